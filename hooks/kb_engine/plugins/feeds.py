"""``kb-feeds``: RSS, Atom and JSON Feed of the posts, site-wide and per category (kb_engine.feeds)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kb_engine.feeds import site
from kb_engine.feeds.config import FeedsSettings
from kb_engine.headlinks import add_head_links
from kb_engine.plugins.base import FeaturePlugin, start
from kb_engine.plugins.order import ordered

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page


class FeedsPlugin(FeaturePlugin[FeedsSettings]):  # type: ignore[no-untyped-call]  # MkDocs leaves BasePlugin untyped
    name = "kb-feeds"

    @ordered("config", "kb-feeds")
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        start(config)
        site.start(config)
        return config

    @ordered("files", "kb-feeds")
    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        site.find_posts(files, config)
        return files

    @ordered("page_content", "kb-feeds")
    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        site.collect_post(html, page, config)
        return site.add_to_page(html, page, config)

    @ordered("page_context", "kb-feeds")
    def on_page_context(self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Navigation) -> Any:
        add_head_links(context, site.head_links(page, config))
        context["kb_feeds_page"] = site.feeds_page_href(page, config)
        return context

    @ordered("post_build", "kb-feeds")
    def on_post_build(self, config: MkDocsConfig) -> None:
        site.write_feeds(config)
