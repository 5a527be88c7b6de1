"""Material's read time of a post, from the tokens :mod:`kb_engine.compat.fasthtml` finds.

Material's ``readtime(html, words_per_minute)`` feeds the HTML to its
``ReadtimeParser`` and works the minutes out from the text and the images it
found. Here the HTML is read by :func:`kb_engine.compat.fasthtml.tokens`, and what
``ReadtimeParser``'s three ``handle_*`` methods do with those calls (count ``img``
tags; keep the text outside ``object``, ``script``, ``style`` and ``svg``
elements, the open elements being a stack that an end tag pops only when it
closes the last one opened; void tags never opened) is done in one loop
(:func:`_text_and_images`); HTML that ``tokens`` does not read is fed to
Material's parser as before. The minutes are then worked out by Material's own
lines. ``tests/engine/test_fasthtml.py`` compares the read times with Material's on
the site's pages and random HTML, and the text and images with its parser's on
generated token streams (Hypothesis).
"""

from __future__ import annotations

import re
from math import ceil

from material.plugins.blog.readtime.parser import ReadtimeParser
from material.plugins.search.plugin import void  # what ReadtimeParser imports

from kb_engine.compat.fasthtml import Token, feed_tokens, tokens

_SKIPPED = frozenset(("object", "script", "style", "svg"))  # ReadtimeParser.skip


def readtime(html: str, words_per_minute: int) -> int:
    """Material 9.8.2's ``readtime(html, words_per_minute)``."""
    return readtime_of_tokens(html, words_per_minute, tokens(html))


def _text_and_images(found: list[Token]) -> tuple[list[str], int]:
    """``ReadtimeParser``'s ``text`` and ``images`` after it is fed ``found`` (``feed_tokens``)."""
    context: list[str] = []
    skipped = 0  # how many of the open elements are skipped ones
    text: list[str] = []
    images = 0
    for kind, value, _ in found:
        if kind == "data":
            if not skipped:
                text.append(value)
        elif kind == "start" or kind == "startend":
            if value == "img":
                images += 1
            if value not in void:
                context.append(value)
                skipped += value in _SKIPPED
                if kind == "startend":  # HTMLParser.handle_startendtag: the start, then the end
                    context.pop()
                    skipped -= value in _SKIPPED
        elif kind == "end" and context and context[-1] == value:
            context.pop()
            skipped -= value in _SKIPPED
    return text, images


def readtime_of_tokens(html: str, words_per_minute: int, found: list[Token] | None) -> int:
    """:func:`readtime`, given what :func:`kb_engine.compat.fasthtml.tokens` found in ``html``."""
    if found is None:
        parser = ReadtimeParser()
        feed_tokens(parser, html, found)
        parser.close()
        text, images = parser.text, parser.images
    else:
        text, images = _text_and_images(found)

    # From here on Material's own code.
    words = len(re.split(r"\W+", "".join(text)))
    seconds = ceil(words / words_per_minute * 60)
    delta = 12
    for _ in range(images):
        seconds += delta
        if delta > 3:
            delta -= 1
    return ceil(seconds / 60)
