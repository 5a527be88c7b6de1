"""Material's search index, its parser fed by :mod:`kb_engine.compat.fasthtml` (the same entries, faster).

``SearchIndex.add_entry_from_context(page)`` feeds the page's HTML to
Material's search ``Parser`` and adds an entry per section. :func:`install`
gives the build's index an ``add_entry_from_context`` that is Material
9.8.2's, line for line, except that the HTML is read with
:func:`kb_engine.compat.fasthtml.tokens` (a post's HTML read once for its read time and the
index: :func:`kb_engine.compat.fasthtml.kept`), and what the parser's ``handle_*`` methods
would do with those tokens is done by :func:`sections_of`: the same sections, three times
faster. HTML that ``tokens`` does not read is fed to Material's ``Parser`` as before.

:func:`sections_of` is Material 9.8.2's ``Parser`` (``handle_starttag``, ``handle_endtag``,
``handle_data``; ``handle_startendtag`` and ``handle_comment`` are ``HTMLParser``'s) as one
loop over the tokens, keeping its behaviour exactly, quirks included: Material's ``Element``
compares equal to any element, or text, of the same tag name, so its ``skip`` set and every
``in self.context`` test go by tag names, which is what the loop keeps (a set of skipped tag
names and a stack of open tags with their attributes). Its sections are Material's own
``Section`` and ``Element`` objects. ``tests/engine/test_search_sections.py`` compares both on
the site's pages, on random HTML and on generated token streams (Hypothesis).
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from material.plugins.search.plugin import Element, Parser, SearchIndex, SearchPlugin, Section, void

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


_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_KEEP = frozenset(("p", "code", "pre", "li", "ol", "ul", "sub", "sup"))  # Parser.keep
_SKIPPED_FOR_GOOD = ("script", "style", "object")  # Parser.skip as it starts; these never leave it


def sections_of(found: list[Token]) -> list[Section]:
    """What Material's search ``Parser`` fed ``found`` (``feed_tokens``) leaves in its ``data``.

    Raises where the parser raises (a closing tag whose opening one was not kept: ValueError).
    """
    skip = set(_SKIPPED_FOR_GOOD)  # Parser.skip, by tag name
    tags: list[str] = []  # Parser.context, by tag name ...
    attributes: list[dict[str, str | None]] = []  # ... and each one's attributes
    data: list[Section] = []
    section: Section | None = None
    for kind, value, raw_attributes in found:
        if kind == "data":  # Parser.handle_data
            text: str = value
            if not skip.isdisjoint(tags):
                continue
            if "pre" not in tags:
                text = " " if text.isspace() else text.replace("\n", " ")
            if section is None:
                section = Section(Element("hx"))
                data.append(section)
            if section.el.tag in tags:
                permalink = False
                for tag, attrs in zip(tags, attributes, strict=True):
                    if tag == "a" and attrs.get("class") == "headerlink":
                        permalink = True
                if not permalink:
                    section.title.append(escape(text, quote=False))
            elif text.isspace():
                if not section.text or not section.text[-1].isspace() or "pre" in tags:
                    section.text.append(text)
            else:
                section.text.append(escape(text, quote=False))
            continue
        if kind not in ("start", "startend", "end"):
            continue  # a comment: HTMLParser.handle_comment does nothing
        tag = value
        if kind != "end" and tag not in void:  # Parser.handle_starttag (a void tag is ignored)
            attrs = dict(raw_attributes)
            tags.append(tag)
            attributes.append(attrs)
            if tag in _HEADINGS and "id" in attrs:
                depth = len(tags)
                if tag != "h1" and not data:
                    data.append(Section(Element("hx"), depth))
                section = Section(Element(tag, attrs), depth)
                if data:
                    section.id = attrs["id"]
                data.append(section)
            if section is None:
                section = Section(Element("hx"))
                data.append(section)
            excluded = False
            for key, attribute in attrs.items():
                if key == "data-search-exclude" or (key == "class" and attribute == "linenodiv"):
                    skip.add(tag)
                    excluded = True
                    break
            if not excluded and tag in _KEEP and skip.isdisjoint(tags):
                (section.title if section.el.tag in tags else section.text).append(f"<{tag}>")
        if kind == "start" or not tags or tags[-1] != tag:
            continue
        # Parser.handle_endtag (for "startend" too, as HTMLParser.handle_startendtag calls it)
        assert section is not None  # an open tag made one
        if section.depth > len(tags):
            for earlier in reversed(data):
                if earlier.depth <= len(tags):
                    section.depth = float("inf")
                    section = earlier
                    break
        tags.pop()
        attributes.pop()
        if tag in skip:
            if tag not in _SKIPPED_FOR_GOOD:
                skip.remove(tag)
            continue
        if tag in _KEEP and skip.isdisjoint(tags):
            pieces = section.title if section.el.tag in tags else section.text
            index = pieces.index(f"<{tag}>")
            for i in range(index + 1, len(pieces)):
                if not pieces[i].isspace():
                    index = len(pieces)
                    break
            if len(pieces) > index:
                del pieces[index:]
            else:
                pieces.append(f"</{tag}>")
    return data


def _sections(html: str | None, found: list[Token] | None) -> list[Any]:
    if found is not None:
        return sections_of(found)
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
