"""lunr's English stop words, and a search separator that drops them from queries.

Material's search worker (lunr 2.3.9) removes these words from the index
(the ``stopWordFilter`` of its pipeline), but not from a query: it appends
``*`` to every query word and lunr runs no pipeline on such a term. So the
``the`` of "signals the customer wants a partner" matches ``their``,
``there's`` and ``theory``, and ``a`` matches every word that starts with an
a, in every title. The worker splits both the pages and the queries with
the index's ``separator`` (search_index.json, a regular expression), and a
word the separator swallows is gone from the query as from the pages: the
separator made by :func:`separator_dropping_stop_words` swallows exactly
these words (as whole words, not inside contractions), so a query keeps only
the words that can match. Nothing of the worker is changed.

``STOP_WORDS`` is copied from lunr 2.3.9 as bundled in Material 9.8's search
worker. :func:`worker_stop_words` reads the installed worker's list: the
build leaves the separator as it is, with a warning, when the two differ
(kb_engine.search.site), and tests/engine/test_search_answers.py fails.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

_WORKER_LIST = re.compile(r"generateStopWordFilter\(\[([^\]]*)\]\)")

STOP_WORDS: tuple[str, ...] = (
    "a", "able", "about", "across", "after", "all", "almost", "also", "am", "among", "an", "and", "any",
    "are", "as", "at", "be", "because", "been", "but", "by", "can", "cannot", "could", "dear", "did", "do",
    "does", "either", "else", "ever", "every", "for", "from", "get", "got", "had", "has", "have", "he", "her",
    "hers", "him", "his", "how", "however", "i", "if", "in", "into", "is", "it", "its", "just", "least",
    "let", "like", "likely", "may", "me", "might", "most", "must", "my", "neither", "no", "nor", "not", "of",
    "off", "often", "on", "only", "or", "other", "our", "own", "rather", "said", "say", "says", "she",
    "should", "since", "so", "some", "than", "that", "the", "their", "them", "then", "there", "these",
    "they", "this", "tis", "to", "too", "twas", "us", "wants", "was", "we", "were", "what", "when",
    "where", "which", "while", "who", "whom", "why", "will", "with", "would", "yet", "you", "your",
)


def _either_case(word: str) -> str:
    """``the`` -> ``[Tt]he``: the worker splits the text before it lower-cases it."""
    first = word[0]
    return f"[{first}{first.upper()}]{word[1:]}" if first.isalpha() else word


def separator_dropping_stop_words(separator: str) -> str:
    """``separator`` (Material's, or the site's), also matching every stop word as a whole word.

    A word followed by an apostrophe and a letter (``it's``, ``don't``) is
    left alone, as are words inside others (``forecast``, ``island``). Only
    lookahead is used: the worker's JavaScript engine may lack lookbehind.
    """
    words = "|".join(_either_case(w) for w in sorted(STOP_WORDS, key=lambda w: (-len(w), w)))
    stop = f"\\b(?:{words})\\b(?!['\u2019][A-Za-z])"
    if separator.endswith(f"|{stop}"):  # already done (a rebuild reusing the config)
        return separator
    return f"{separator}|{stop}"


def worker_stop_words(material_dir: Path) -> tuple[str, ...] | None:
    """The stop words of the search worker Material ships in ``material_dir`` (None: not found)."""
    workers = material_dir / "templates" / "assets" / "javascripts" / "workers"
    for worker in sorted(workers.glob("search.*.min.js")):
        found = _WORKER_LIST.search(worker.read_text(encoding="utf-8"))
        if found:
            words = json.loads(f"[{found.group(1)}]")
            return tuple(str(w) for w in words)
    return None
