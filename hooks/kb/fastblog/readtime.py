"""Material's read time of a post, without feeding the post's HTML through ``html.parser``.

Material's ``readtime(html, words_per_minute)`` feeds the HTML to an
``HTMLParser`` (``convert_charrefs=True``) that keeps the text outside
``object``, ``script``, ``style`` and ``svg`` elements and counts ``img``
start tags; words are ``len(re.split(r"\\W+", text))``. For HTML made only of
well-formed start and end tags, comments and text - what Markdown writes, and
nearly every post - that text is each stretch between two tags with its
character references decoded (``html.unescape``, as the parser decodes each
stretch), joined. :func:`readtime` finds the stretches with one regular
expression and gives the same number; for anything else (one of those four
elements, a declaration, a processing instruction, CDATA, a ``<`` that does not
open such a tag or comment) it calls Material's function itself.
"""

from __future__ import annotations

import re
from html import unescape
from math import ceil

from material.plugins.blog.readtime import readtime as material_readtime

_WORDS = re.compile(r"\W+")  # Material's
_QUOTED = r"(?:\"[^\"<>]*\"|'[^'<>]*')"
_ATTRIBUTE = rf"[^\s\"'<>/=]+(?:\s*=\s*(?:{_QUOTED}|[^\s\"'=<>`]+))?"
# A start tag (with attributes, optionally self-closing), an end tag, or a comment with
# no "--" inside: each is what HTMLParser takes it for, with the same extent.
_MARKUP = re.compile(
    rf"<(?P<name>[a-zA-Z][a-zA-Z0-9]*)(?:\s+{_ATTRIBUTE})*\s*/?>"
    r"|</[a-zA-Z][a-zA-Z0-9]*\s*>"
    r"|<!--(?:(?!--)[^<>])*-->"
)
_SKIPPED = re.compile(r"<\s*/?\s*(?:object|script|style|svg)\b", re.IGNORECASE)


def text_and_images(html: str) -> tuple[str, int] | None:
    """The text and the number of images Material's parser finds, or None where it is not sure."""
    if _SKIPPED.search(html):
        return None
    parts: list[str] = []
    images = 0
    end = 0
    for found in _MARKUP.finditer(html):
        start = found.start()
        if start > end:
            stretch = html[end:start]
            if "<" in stretch:
                return None  # a "<" that opens nothing this module reads
            parts.append(unescape(stretch))
        name = found.group("name")
        if name is not None and name.lower() == "img":
            images += 1
        end = found.end()
    rest = html[end:]
    if "<" in rest or "&" in rest:
        return None  # the parser may hold a trailing stretch back: leave it to Material's code
    parts.append(rest)
    return "".join(parts), images


def readtime(html: str, words_per_minute: int) -> int:
    """Material's ``readtime(html, words_per_minute)``, the same number."""
    found = text_and_images(html)
    if found is None:
        return int(material_readtime(html, words_per_minute))
    text, images = found
    # From here on Material's own arithmetic.
    words = len(_WORDS.split(text))
    seconds = ceil(words / words_per_minute * 60)
    delta = 12
    for _ in range(images):
        seconds += delta
        if delta > 3:
            delta -= 1
    return ceil(seconds / 60)
