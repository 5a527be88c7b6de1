"""Material's search index, its parser fed by :mod:`kb.fasthtml` (the same entries, made faster).

``SearchIndex.add_entry_from_context(page)`` feeds the page's HTML to
Material's search ``Parser`` and adds an entry per section. :func:`install`
gives the build's index an ``add_entry_from_context`` that is Material
9.8.2's, line for line, except that the HTML is fed with
:func:`kb.fasthtml.feed`, which makes the same calls on the same parser.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from material.plugins.search.plugin import Parser, SearchIndex, SearchPlugin

from kb.fasthtml import feed

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page


def search_index(config: MkDocsConfig) -> SearchIndex | None:
    """The index Material's search plugin made for this build (None without the plugin)."""
    for plugin in config.plugins.values():
        if type(plugin) is SearchPlugin and plugin.config.enabled:
            index: SearchIndex = plugin.search_index
            return index
    return None


def install(index: SearchIndex) -> None:
    """Give this build's index an ``add_entry_from_context`` that feeds the parser faster."""

    def add_entry_from_context(page: Page) -> None:
        # Material 9.8.2's SearchIndex.add_entry_from_context, feeding with kb.fasthtml.
        search: dict[str, Any] = page.meta.get("search") or {}
        if search.get("exclude"):
            return
        parser = Parser()
        feed(parser, page.content)
        parser.close()
        for section in parser.data:
            if not section.is_excluded():
                index.create_entry_for_section(section, page.toc, page.url, page)

    index.add_entry_from_context = add_entry_from_context
