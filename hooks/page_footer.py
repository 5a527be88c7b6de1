"""Hook: footer "Previous"/"Next" links skip the blog's generated views (see kb_engine.footer).

Runs after Material's blog plugin has added its views to the navigation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from material.plugins.blog.structure import Archive, Category, Profile
from mkdocs.plugins import event_priority

from kb_engine.footer import relink

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation


@event_priority(-100)
def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    relink(nav.pages, lambda page: isinstance(page, (Archive, Category, Profile)))
    return nav
