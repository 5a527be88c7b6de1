"""Material's search index, its parser fed by :mod:`kb_engine.compat.fasthtml` (the same entries, faster).

``SearchIndex.add_entry_from_context(page)`` feeds the page's HTML to
Material's search ``Parser`` and adds an entry per section. :func:`install`
gives the build's index an ``add_entry_from_context`` that is Material
9.8.2's, line for line, except that the HTML is fed with
:func:`kb_engine.compat.fasthtml.feed_tokens`, which makes the same calls on the same parser (a
post's HTML read once for its read time and the index: :func:`kb_engine.compat.fasthtml.kept`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from material.plugins.search.plugin import Parser, SearchIndex, SearchPlugin

from kb_engine.compat.fasthtml import Token, feed_tokens, kept, tokens

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


_SECTIONS = "kb_search_sections"


def _sections(html: str | None, found: list[Token] | None) -> list[Any]:
    parser = Parser()
    feed_tokens(parser, html, found)
    parser.close()
    return parser.data  # type: ignore[no-any-return]


def read_early(page: Page, html: str) -> None:
    """Read a post's HTML for the index now, if its read time was just worked out from it.

    What :func:`kb_engine.compat.fasthtml.keep` found for the read time is then at hand; the
    sections are kept on the page, their pieces joined as the index joins them
    (``create_entry_for_section``), for its ``add_entry_from_context``, which
    uses them if the page's HTML is still this text. Any other page is read
    when it is indexed, as before (a preview rebuild reuses most pages' entries
    without reading them). Broken HTML that fails Material's parser is left to
    fail there, as it fails for Material.
    """
    found = kept(page, html, read=False)
    search: dict[str, Any] = page.meta.get("search") or {}
    if found is None or search.get("exclude"):
        return
    try:
        sections = _sections(html, found)
    except Exception:  # read again, and failed the same way, when the index is made
        return
    for section in sections:
        if section.title:
            section.title = ["".join(section.title)]
        if section.text:
            section.text = ["".join(section.text)]
    setattr(page, _SECTIONS, (html, sections))


def install(index: SearchIndex) -> None:
    """Give this build's index an ``add_entry_from_context`` that feeds the parser faster."""

    def add_entry_from_context(page: Page) -> None:
        # Material 9.8.2's SearchIndex.add_entry_from_context, feeding with kb_engine.compat.fasthtml.
        search: dict[str, Any] = page.meta.get("search") or {}
        held = getattr(page, _SECTIONS, None)
        if held is not None:
            delattr(page, _SECTIONS)  # gone, not None: a preview compares pages by what they hold
        if search.get("exclude"):
            return
        if held is not None and held[0] == page.content:
            sections = held[1]
        else:
            html = page.content
            sections = _sections(html, tokens(html) if isinstance(html, str) else None)
        for section in sections:
            if not section.is_excluded():
                index.create_entry_for_section(section, page.toc, page.url, page)

    index.add_entry_from_context = add_entry_from_context
