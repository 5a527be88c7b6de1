"""Hook: the posts feeds (RSS 2.0, Atom 1.0, JSON Feed 1.1, RSS per category).

Settings are checked in on_config; the posts that may appear are chosen after
the blog plugin has read them (its on_files runs at -50); their rendered
content is kept as pages are built, and the feeds are written in on_post_build.
Pages advertise the feeds in their head; the feeds page lists them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mkdocs.plugins import event_priority

from kb_engine.feeds import site
from kb_engine.headlinks import add_head_links

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    site.start(config)
    return config


@event_priority(-100)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    site.find_posts(files, config)
    return files


@event_priority(-100)
def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    site.collect_post(html, page, config)
    return site.add_to_page(html, page, config)


def on_page_context(context: Any, page: Page, config: MkDocsConfig, nav: Navigation) -> Any:
    add_head_links(context, site.head_links(page, config))
    context["kb_feeds_page"] = site.feeds_page_href(page, config)
    return context


def on_post_build(config: MkDocsConfig) -> None:
    site.write_feeds(config)
