"""One vocabulary for categories and tags.

Categories are the blog's fixed sections (`categories_allowed` in
mkdocs.yml): a post is filed under one or more of them, and each has a page
and a feed. Tags are free topics on any page (posts and guides), grouped on
the Tags page. A tag may repeat a category's name exactly, but never
another spelling of it ("Partnership" beside "Partnerships"), and no two
tags may be spellings of one word: readers would find two lists where one
was meant. The content check and the build both call :func:`tag_problems`.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable, Mapping

from kb_engine.problems import Problem

_NOT_WORD = re.compile(r"[^0-9a-z]+")
_CLOSE = 0.88  # how alike two spellings must be (difflib ratio) to count as one name


def _key(name: str) -> str:
    """``'Partnerships'``, ``'partnership'`` and ``'Partner-ship'`` share one key."""
    words = [w.removesuffix("s") for w in _NOT_WORD.split(name.casefold()) if w]
    return "".join(words)


def near_duplicate(name: str, vocabulary: Iterable[str]) -> str | None:
    """The name of ``vocabulary`` that ``name`` is another spelling of, if any (never ``name`` itself)."""
    for other in vocabulary:
        if other != name and _alike(name, other):
            return other
    return None


@functools.lru_cache(maxsize=65536)
def _alike(name: str, other: str) -> bool:
    # Pure and called for every tag of every post against every category (an import checks
    # thousands of posts against one vocabulary): worth remembering. No state beyond the two names.
    key, other_key = _key(name), _key(other)
    return other_key == key or difflib.SequenceMatcher(None, key, other_key).ratio() >= _CLOSE


def tag_problems(
    file: str, tags: Iterable[tuple[str, int | None]], categories: Iterable[str],
    other_tags: Mapping[str, int] | None = None,
) -> list[Problem]:
    """Tags of one page (name, line) that are another spelling of a category or of a more used tag.

    ``other_tags``: every tag of the site with the number of pages using it
    (the content check passes it; the build, which sees one post at a time, does not).
    """
    categories = list(categories)
    problems: list[Problem] = []
    for tag, line in tags:
        if tag in categories:
            continue
        category = near_duplicate(tag, categories)
        if category is not None:
            problems.append(Problem(
                file, line,
                f"tag '{tag}' is another spelling of the category '{category}'; use '{category}' "
                "(tags must not repeat a category in another spelling)",
            ))
            continue
        if other_tags:
            used = other_tags.get(tag, 0)
            rivals = [t for t, n in other_tags.items() if n > used or (n == used and t < tag)]
            other = near_duplicate(tag, rivals)
            if other is not None and other not in categories:
                problems.append(Problem(
                    file, line, f"tag '{tag}' is another spelling of the tag '{other}'; use '{other}'",
                ))
    return problems
