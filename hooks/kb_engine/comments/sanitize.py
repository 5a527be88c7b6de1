"""The one sanitiser for comment bodies, used by the build and the intake.

Built on nh3 (bindings to the Rust ``ammonia`` crate): a maintained,
allow-list HTML sanitiser that parses with html5ever, the same HTML5 parsing
algorithm browsers use, so what it lets through is what a browser will see.

The allow-list is WordPress's comment set, plus ``p`` and ``br``. Links get
``rel="nofollow ugc noopener"`` as WordPress comment links do, and only
http and https URLs survive (a ``mailto:`` link could only publish an
address). The output is valid HTML whatever the input: a URL is
percent-encoded where it holds characters no URL may (or dropped when it
cannot be a URL), a link whose URL was removed loses its ``rel`` too
(``rel`` needs ``href``), the empty paragraphs the HTML parser leaves when
a block sits inside a paragraph (``<p>a<blockquote>b</blockquote></p>``)
are dropped, a block element inside a text-level element or a paragraph
(``<b>a<p>x</p></b>``, which the parser keeps) is lifted out of it by
:func:`lift_blocks`, and the obsolete ``acronym`` and ``strike`` become
``abbr`` and ``s``.
"""

from __future__ import annotations

import html
import re
from typing import NamedTuple
from urllib.parse import quote, urlsplit, urlunsplit

import nh3

ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "a", "abbr", "acronym", "b", "blockquote", "br", "cite", "code", "del",
        "em", "i", "p", "q", "s", "strike", "strong",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "title"}),
    "abbr": frozenset({"title"}),
    "acronym": frozenset({"title"}),
    "blockquote": frozenset({"cite"}),
    "del": frozenset({"datetime"}),
    "q": frozenset({"cite"}),
}
URL_SCHEMES: frozenset[str] = frozenset({"http", "https"})
LINK_REL = "nofollow ugc noopener"
# Elements whose content is dropped with them, not kept as text.
DROP_WITH_CONTENT: frozenset[str] = frozenset(
    {
        "script", "style", "iframe", "object", "embed", "template", "noscript",
        "textarea", "title", "svg", "math",
    }
)  # fmt: skip


# Attributes holding a URL. nh3 checks the scheme of ``href`` only; ``cite``
# is checked here (by attribute_filter), so every URL obeys URL_SCHEMES.
URL_ATTRIBUTES: frozenset[str] = frozenset({"href", "cite"})
_SCHEME = re.compile(r"\A([A-Za-z][A-Za-z0-9+.-]*):")
# Browsers ignore these inside a URL ("java\tscript:" is "javascript:").
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f]")


def url_allowed(value: str) -> bool:
    """A relative URL, or one whose scheme is in URL_SCHEMES."""
    match = _SCHEME.match(_IGNORED_IN_URLS.sub("", value))
    return match is None or match.group(1).lower() in URL_SCHEMES


# What a valid URL may hold unescaped in each part (RFC 3986; the HTML
# checker refuses "<", '"', a backslash, a lone "%" and the like).
_SAFE_PATH = "/:@!$&'()*+,;=-._~%"
_SAFE_QUERY = _SAFE_PATH + "?"
# An http(s) URL that needs no repair: a plain host, then only characters a
# URL may hold, "%" only in escapes, at most one "#".
_URL_CHAR = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})"
_PLAIN_WEB_URL = re.compile(
    rf"\A[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9.-]+(?::[0-9]{{1,5}})?(?:/{_URL_CHAR}*)?(?:\?{_URL_CHAR}*)?"
    rf"(?:#{_URL_CHAR}*)?\Z"
)
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_BAD_HOST = re.compile(r"[\s<>\"\\^`{|}%]")


def clean_url(value: str) -> str | None:
    """``value`` as a valid URL with an allowed scheme (or relative); None if it cannot be one.

    Characters a URL may not hold are percent-encoded; an http(s) URL
    without a host (``https:alert(1)``) is dropped.
    """
    if _PLAIN_WEB_URL.match(value):
        return value  # the common case, valid as it is
    if not url_allowed(value):
        return None
    try:
        parts = urlsplit(_LONE_PERCENT.sub("%25", value.strip()))
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and not parts.hostname:
        return None
    if _BAD_HOST.search(parts.netloc):
        return None
    return urlunsplit(
        (
            parts.scheme,
            parts.netloc,
            quote(parts.path, safe=_SAFE_PATH),
            quote(parts.query, safe=_SAFE_QUERY),
            quote(parts.fragment, safe=_SAFE_QUERY),
        )
    )


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute in URL_ATTRIBUTES:
        return clean_url(value)
    return value


# Built once: an nh3 Cleaner is immutable and about four times faster than
# passing the options to nh3.clean on every call (thousands of comments).
_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(DROP_WITH_CONTENT),
    attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(URL_SCHEMES),
    link_rel=LINK_REL,
    strip_comments=True,
    attribute_filter=_filter_attribute,
)


_REL = f'rel="{LINK_REL}"'


def _drop_lone_rel(clean: str) -> str:
    """``rel`` removed from every link without ``href`` (the sanitiser adds it to all).

    In the sanitiser's output every "<a " starts a link tag (a "<" in text is
    written "&lt;"), and the tag ends at the first ">" (one in an attribute
    value is written "&gt;"); its attributes are in double quotes.
    """
    parts = clean.split("<a ")
    for index in range(1, len(parts)):
        part = parts[index]
        end = part.find(">")
        tag = part[:end]
        if tag.startswith('href="') or ' href="' in tag:
            parts[index] = " " + part
            continue
        attributes = tag.replace(" " + _REL, "").replace(_REL, "").strip()
        parts[index] = (" " + attributes if attributes else "") + part[end:]
    return "<a".join(parts)


_EMPTY_PARAGRAPH = re.compile(r"<p>[ \t\n]*</p>")

# The allow-list's block elements; every other allowed element is text-level.
BLOCK_TAGS: frozenset[str] = frozenset({"p", "blockquote"})
_BLOCK_START = re.compile(r"<(?:p|blockquote)[\s>]")
# A tag of the sanitiser's output (see _TAG below), captured to split on.
_TOKEN = re.compile(r'(<[^>"]*(?:"[^"]*"[^>"]*)*>)')
_TAG_NAME = re.compile(r"</?([a-z]+)")


def _blocks_misplaced(clean: str) -> bool:
    """Whether a block element in the sanitiser's output may sit in a text-level element or a ``p``.

    A quick, conservative test: no block start tag can be inside anything but
    ``blockquote`` elements when each one is the first thing, or follows
    (spaces aside) a ``</p>``, a ``</blockquote>`` or a ``<blockquote>``: by
    induction, an element closed just before was opened where only
    ``blockquote`` elements were open, and the output's tags are balanced.
    """
    for match in _BLOCK_START.finditer(clean):
        end = match.start()
        while end and clean[end - 1] in " \t\n\r\f":
            end -= 1
        if not end or clean.endswith(("</p>", "</blockquote>"), 0, end):
            continue
        if clean[end - 1] != ">" or not clean.startswith("<blockquote", clean.rfind("<", 0, end)):
            return True
    return False


class _Open(NamedTuple):
    name: str
    tag: str  # the start tag as written


def lift_blocks(clean: str) -> str:
    """The sanitiser's output with no block element inside a text-level element or a ``p``.

    The HTML parser leaves ``<b>a<p>x</p></b>`` as it is, and a stripped
    element (``<p>a<table><p>b``...) can leave a ``p`` in a ``p``: both are
    invalid HTML. As the parser's adoption agency does for formatting
    elements, the text-level elements open at a block are closed before it and
    opened again inside it (and after it) where text follows, so the text
    keeps its emphasis and its link: ``<b>a</b><p><b>x</b></p>``. A ``p``
    around a block is closed before it; what follows the block stays outside
    any paragraph, as a browser would place it. Only tags move (and a
    text-level element with no text in it goes): the text and its order are
    unchanged. (Unwrapping the block instead would lose the reader's
    paragraph break or quotation; dropping the text-level element, their
    emphasis or link.)
    """
    source: list[_Open] = []  # the elements open in the input
    output: list[_Open] = []  # those open in the result: blocks, then text-level ones
    out: list[str] = []

    def close_to(index: int) -> None:
        while len(output) > index:
            out.append(f"</{output.pop().name}>")

    def reopen() -> None:
        """The result's text-level elements made those open in the input."""
        first = len(output)
        while first and output[first - 1].name not in BLOCK_TAGS:
            first -= 1
        wanted = [element for element in source if element.name not in BLOCK_TAGS]
        kept = 0
        while kept < len(wanted) and first + kept < len(output) and output[first + kept] is wanted[kept]:
            kept += 1
        close_to(first + kept)
        for element in wanted[kept:]:
            out.append(element.tag)
            output.append(element)

    for index, token in enumerate(_TOKEN.split(clean)):
        if index % 2 == 0:  # text
            if token and not token.isspace():
                reopen()
            out.append(token)
            continue
        match = _TAG_NAME.match(token)
        name = match.group(1) if match else ""
        if name == "br":
            reopen()
            out.append(token)
        elif token.startswith("</"):
            if source and source[-1].name == name:
                element = source.pop()
                if any(open_ is element for open_ in output):
                    close_to(next(i for i, open_ in enumerate(output) if open_ is element))
        elif name in BLOCK_TAGS:
            first = len(output)
            while first and output[first - 1].name not in BLOCK_TAGS:
                first -= 1
            if first and output[first - 1].name == "p":
                first -= 1
            close_to(first)
            element = _Open(name, token)
            source.append(element)
            output.append(element)
            out.append(token)
        else:  # opened where text follows, so that none is left empty
            source.append(_Open(name, token))
    close_to(0)
    return "".join(out)


def unnest_links(clean: str) -> str:
    """The sanitiser's output with no link inside a link (invalid HTML).

    The HTML parser closes an open ``a`` at the next ``<a>``, but not across
    an element the allow-list then strips, keeping its content
    (``<a>x<marquee><a>y</a></marquee></a>``). An inner link's tags are
    dropped and its text kept, inside the outer link.
    """
    out: list[str] = []
    inner: list[bool] = []  # for each open ``a``: whether its tags are dropped
    for index, piece in enumerate(_TOKEN.split(clean)):
        if index % 2 == 1 and (piece.startswith("<a ") or piece == "<a>"):
            inner.append(bool(inner))
            if inner[-1]:
                continue
        elif index % 2 == 1 and piece == "</a>" and inner and inner.pop():
            continue
        out.append(piece)
    return "".join(out)


def sanitize_html(html: str) -> str:
    """A comment body reduced to the allow-list; safe to put in a page."""
    clean: str = _CLEANER.clean(html)
    if clean.count("<a ") > 1:
        clean = unnest_links(clean)
    if _blocks_misplaced(clean):
        clean = lift_blocks(clean)
    if "<a " in clean:
        clean = _drop_lone_rel(clean)
    if "</p>" in clean:
        clean = _EMPTY_PARAGRAPH.sub("", clean)
    # HTML5 made these two obsolete; their modern equivalents mean the same.
    if "<acronym" in clean:
        clean = clean.replace("<acronym", "<abbr").replace("</acronym>", "</abbr>")
    if "<strike>" in clean:
        clean = clean.replace("<strike>", "<s>").replace("</strike>", "</s>")
    return clean


# A tag as the sanitiser writes it: every attribute value in double quotes,
# with any `"` inside written as `&quot;`, and no comments. (It escapes `<`
# and `>` in attribute values too; the quotes are matched all the same.)
# Only ever applied to the sanitiser's output.
_TAG = re.compile(r'<[^>"]*(?:"[^"]*"[^>"]*)*>')


def body_text(clean: str) -> str:
    """The text of a sanitised body, tags dropped and entities decoded."""
    return html.unescape(_TAG.sub("", str(clean)))
