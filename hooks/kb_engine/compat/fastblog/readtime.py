"""Material's read time of a post, with its own parser fed faster (:mod:`kb_engine.compat.fasthtml`).

Material's ``readtime(html, words_per_minute)`` feeds the HTML to its
``ReadtimeParser`` and works the minutes out from the text and the images it
found. This is that function with ``parser.feed(html)`` replaced by
:func:`kb_engine.compat.fasthtml.feed`, which makes the very same calls on the parser: the
same numbers (``tests/engine/test_fasthtml.py`` compares them).
"""

from __future__ import annotations

import re
from math import ceil

from material.plugins.blog.readtime.parser import ReadtimeParser

from kb_engine.compat.fasthtml import Token, feed_tokens, tokens


def readtime(html: str, words_per_minute: int) -> int:
    """Material 9.8.2's ``readtime(html, words_per_minute)``."""
    return readtime_of_tokens(html, words_per_minute, tokens(html))


def readtime_of_tokens(html: str, words_per_minute: int, found: list[Token] | None) -> int:
    """:func:`readtime`, given what :func:`kb_engine.compat.fasthtml.tokens` found in ``html``."""
    parser = ReadtimeParser()
    feed_tokens(parser, html, found)
    parser.close()

    # From here on Material's own code.
    words = len(re.split(r"\W+", "".join(parser.text)))
    seconds = ceil(words / words_per_minute * 60)
    delta = 12
    for _ in range(parser.images):
        seconds += delta
        if delta > 3:
            delta -= 1
    return ceil(seconds / 60)
