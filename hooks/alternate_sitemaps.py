"""Hook: an empty sitemap.xml beside every rel="alternate" link target (see kb.alternates).

Runs after the hooks that add head links (low priority), and writes only
where the site has no sitemap.xml of its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.plugins import event_priority

from kb import buildstate
from kb.alternates import alternate_folders, empty_sitemap
from kb.headlinks import CONTEXT_KEY

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

STATE = "alternate_sitemaps"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    buildstate.start(config, STATE, set[str]())
    return config


@event_priority(-100)
def on_page_context(context: Any, page: Page, config: MkDocsConfig, nav: Navigation) -> Any:
    buildstate.get(config, STATE, set).update(alternate_folders(page.url, context.get(CONTEXT_KEY, [])))
    return context


def on_post_build(config: MkDocsConfig) -> None:
    for folder in sorted(buildstate.get(config, STATE, set)):
        target = Path(config.site_dir) / folder / "sitemap.xml"
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(empty_sitemap())
