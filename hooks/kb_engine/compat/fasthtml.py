"""Feed HTML to a ``html.parser.HTMLParser`` subclass faster, with the very same calls.

Material reads every page's HTML with parsers built on Python's ``HTMLParser``:
the search index (``material.plugins.search.plugin.Parser``) and the blog's
read time (``ReadtimeParser``). Their logic is in the ``handle_*`` methods;
most of their cost is ``HTMLParser``'s own tokenizer, which looks at the text
a few characters at a time and counts lines as it goes.

For HTML made only of well-formed start tags, end tags, comments and text,
with no ``script`` or ``style`` element (whose content the parser reads
differently) - what Markdown writes, and nearly every page of the site -
:func:`tokens` finds the same pieces with one regular expression, and
:func:`feed` makes exactly the calls ``HTMLParser`` (``convert_charrefs=True``)
makes for them, in the same order, with the same arguments: ``handle_data``
once per stretch of text between two pieces, its character references decoded
with ``html.unescape``; ``handle_starttag`` with the lower-cased name and the
attributes as ``HTMLParser.parse_starttag`` reads them (with its own regular
expressions); ``handle_startendtag`` for ``<x/>``; ``handle_endtag``;
``handle_comment``. Anything else - a declaration, a processing instruction,
CDATA, a ``<`` that opens none of these - and the whole text is fed to the
parser the ordinary way. ``tests/engine/test_fasthtml.py`` compares the calls of both
ways on the site's pages and on generated and hostile HTML.

A post's HTML is read twice, for its read time and for the search index.
:func:`keep` reads it and keeps what it found on the page; :func:`kept` gives
that back to the next reader when the page's HTML is still the same text, and
reads it afresh otherwise: what was found depends on the text alone.

Written against Python 3.11's ``html.parser`` (``tagfind_tolerant`` and
``attrfind_tolerant`` are read from it).
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser, attrfind_tolerant, tagfind_tolerant  # type: ignore[attr-defined]
from typing import Any

_QUOTED = r"(?:\"[^\"<>]*\"|'[^'<>]*')"
_ATTRIBUTE = rf"[^\s\"'<>/=]+(?:\s*=\s*(?:{_QUOTED}|[^\s\"'=<>`]+))?"
_PIECE = re.compile(
    r"<(?P<bare>[a-zA-Z][a-zA-Z0-9]*)>"
    rf"|(?P<start><[a-zA-Z][a-zA-Z0-9]*(?:\s+{_ATTRIBUTE})*\s*(?P<empty>/?)>)"
    r"|</(?P<end>[a-zA-Z][a-zA-Z0-9]*)\s*>"
    r"|<!--(?P<comment>(?:(?!--)[^<>])*)-->"
)
_RAW_TEXT = re.compile(r"<\s*/?\s*(?:script|style)\b", re.IGNORECASE)

Token = tuple[str, Any, Any]  # ("data", text, None), ("start" | "startend", tag, attrs), ...


def _attributes(tag_text: str) -> tuple[str, list[tuple[str, str | None]]] | None:
    """``HTMLParser.parse_starttag``'s reading of one start tag: its name and attributes."""
    match = tagfind_tolerant.match(tag_text, 1)
    if match is None:
        return None
    k = match.end()
    tag = match.group(1).lower()
    attrs: list[tuple[str, str | None]] = []
    endpos = len(tag_text)
    while k < endpos:
        m = attrfind_tolerant.match(tag_text, k)
        if not m:
            break
        attrname, rest, attrvalue = m.group(1, 2, 3)
        if not rest:
            attrvalue = None
        elif attrvalue[:1] == "'" == attrvalue[-1:] or attrvalue[:1] == '"' == attrvalue[-1:]:
            attrvalue = attrvalue[1:-1]
        if attrvalue:
            attrvalue = unescape(attrvalue)
        attrs.append((attrname.lower(), attrvalue))
        k = m.end()
    if tag_text[k:].strip() not in (">", "/>"):
        return None
    return tag, attrs


def tokens(html: str) -> list[Token] | None:
    """The pieces ``HTMLParser`` finds in ``html``, or None where this module cannot be sure."""
    if _RAW_TEXT.search(html):
        return None
    found: list[Token] = []
    # The same start tag (a highlighted span, a table cell) comes back many times in a
    # page: it is read once. Parsers are given the attribute list and only read it.
    read_tags: dict[str, tuple[str, list[tuple[str, str | None]]] | None] = {}
    end = 0
    for piece in _PIECE.finditer(html):
        start = piece.start()
        if start > end:
            stretch = html[end:start]
            if "<" in stretch:
                return None
            found.append(("data", unescape(stretch), None))
        bare = piece.group("bare")
        if bare is not None:  # no attributes: what parse_starttag reads is the name
            found.append(("start", bare.lower(), []))
        elif (tag_text := piece.group("start")) is not None:
            if tag_text in read_tags:
                read = read_tags[tag_text]
            else:
                read = read_tags[tag_text] = _attributes(tag_text)
            if read is None:
                return None
            found.append(("startend" if piece.group("empty") else "start", read[0], read[1]))
        elif piece.group("end") is not None:
            found.append(("end", piece.group("end").lower(), None))
        else:
            found.append(("comment", piece.group("comment"), None))
        end = piece.end()
    rest = html[end:]
    if "<" in rest:
        return None
    if rest:
        found.append(("data", unescape(rest), None))
    return found


_KEPT = "kb_html_tokens"
READ_ONCE = "read_once"  # kb_engine.buildstate: this build's search index takes what keep() kept


class ReadOnce:
    """Made for a build (``kb_engine.buildstate``) whose search index takes what :func:`keep` kept.

    Without it nothing is kept: a page would hold what was found to the end of the build.
    """


def keep(page: object, html: str) -> list[Token] | None:
    """``tokens(html)``, kept on ``page`` for one later :func:`kept` of the same HTML."""
    found = tokens(html)
    setattr(page, _KEPT, (html, found))
    return found


def kept(page: object, html: str | None, *, read: bool = True) -> list[Token] | None:
    """``tokens(html)``: what :func:`keep` found, if it read this same text; let go either way.

    ``read=False``: None where :func:`keep` did not read this text (nothing is read here).
    """
    held = getattr(page, _KEPT, None)
    if held is not None:
        delattr(page, _KEPT)  # gone, not None: a preview compares pages by what they hold
        if held[0] == html:
            return held[1]  # type: ignore[no-any-return]
    return tokens(html) if read and isinstance(html, str) else None


def feed(parser: HTMLParser, html: str | None) -> None:
    """``parser.feed(html)``: the same calls, made faster where :func:`tokens` reads the HTML."""
    feed_tokens(parser, html, tokens(html) if isinstance(html, str) else None)


def feed_tokens(parser: HTMLParser, html: str | None, found: list[Token] | None) -> None:
    """:func:`feed` with ``found``, what :func:`tokens` gave for ``html``."""
    if found is None or not parser.convert_charrefs:
        parser.feed(html)  # type: ignore[arg-type]  # None fails as it fails for Material
        return
    for kind, value, attrs in found:
        if kind == "data":
            parser.handle_data(value)
        elif kind == "start":
            parser.handle_starttag(value, attrs)
        elif kind == "startend":
            parser.handle_startendtag(value, attrs)
        elif kind == "end":
            parser.handle_endtag(value)
        else:
            parser.handle_comment(value)
