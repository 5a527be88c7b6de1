"""The search index's entries, reworked to answer sellers' questions (plain data in, data out).

Material's search plugin makes one entry per page section
(``{"location", "title", "text", "tags"?, "boost"?}``); its worker indexes
the fields listed in the index's config with lunr. :func:`rework` adds:

- ``boost`` by kind of page (:class:`PageFacts`), unless the page's front
  matter sets ``search: boost:`` itself: knowledge (guides, decision
  trees) first, then blog posts, then the rest;
- ``questions``: the questions a page declares it answers, on its first
  entry (the one Material shows as the page's result), without the words
  nearly every entry says (:func:`common_words`): a question's "customer"
  or "partnership" would otherwise weigh like a word of the title on every
  guide, and bury the question's distinctive words;
- ``related``: the words of the search vocabulary an entry does not say
  itself, for the groups it does say, skipping the groups that nearly every
  entry says (:func:`common_groups`);
- one entry per decision-tree step (:class:`Step`), right after its page's
  entries, so a question or outcome opens its step.

Every entry Material made stays, with its title and text as they were.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

from kb_engine.search.stopwords import STOP_WORDS
from kb_engine.search.synonyms import Analyser, GroupFinder, Said, Vocabulary, base_form, words

_TAG = re.compile(r"<[^>]*>")
_STOP = frozenset(STOP_WORDS)


@dataclass(frozen=True)
class PageFacts:
    """What the index needs to know of one page, by its URL."""

    boost: float | None = None  # None: the page's own `search: boost:` (or none) stands
    questions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Step:
    """One step of a decision tree, as a search entry of its page."""

    page_url: str
    anchor: str
    title: str
    text: str


@dataclass(frozen=True)
class Ranking:
    step_boost: float = 5.0  # a decision-tree step's lunr document boost
    common_share: float = 0.3  # kb_engine.search.settings.SearchSettings.common_share


def plain(text: str) -> str:
    """An entry's title or text without its markup (Material keeps a few inline tags)."""
    return html.unescape(_TAG.sub(" ", text))


def _page(location: str) -> str:
    return location.split("#", 1)[0]


def _searchable(entry: Mapping[str, Any]) -> str:
    return " ".join([plain(entry.get("title", "")), plain(entry.get("text", "")), entry.get("questions", "")])


def common_groups(said: Sequence[Sequence[int]], share: float) -> set[int]:
    """Groups said by more than ``share`` of the texts (each text's groups in ``said``): too common
    to tell entries apart."""
    counts = Counter(chain.from_iterable(said))
    limit = share * len(said)
    return {group for group, count in counts.items() if count > limit}


def common_words(counts: Counter[str], texts: int, share: float) -> set[str]:
    """Words (in their base form) said by more than ``share`` of the ``texts`` whose words ``counts`` counted
    (once per text)."""
    limit = share * texts
    return {word for word, count in counts.items() if count > limit}


def distinctive(text: str, common: set[str]) -> str:
    """``text``'s words, lower case, without stop words and words nearly every entry says."""
    return " ".join(w for w in words(text) if w not in _STOP and base_form(w) not in common)


def index_form(word: str) -> str:
    """The form a related word is indexed in: the plural, which the singular's prefix also matches.

    The worker appends ``*`` to each query word, so ``supplier*`` and
    ``suppliers*`` both match ``suppliers``, where ``supplier`` would miss
    the plural query.
    """
    return word if word.endswith("s") else word + "s"


def rework(
    entries: Sequence[dict[str, Any]],
    pages: Mapping[str, PageFacts],
    steps: Iterable[Step],
    vocabulary: Vocabulary,
    ranking: Ranking,
) -> list[dict[str, Any]]:
    """The index's entries with boosts, questions, related words and tree steps (see the module)."""
    # Each entry is analysed once and only what is needed is kept of it (an index of thousands
    # of entries with all their words would take hundreds of megabytes).
    analyser, finder = Analyser(), GroupFinder(vocabulary)
    counts: Counter[str] = Counter()
    said_in: list[Said] = []
    for entry in entries:
        text = analyser.analyse(_searchable(entry))
        counts.update(text.present)
        said_in.append(finder.said(text))
    common = common_words(counts, len(entries), ranking.common_share)
    by_page: dict[str, list[Step]] = {}
    for step in steps:
        by_page.setdefault(step.page_url, []).append(step)
    out: list[dict[str, Any]] = []
    said: list[Said] = []  # what each entry of ``out`` says of the vocabulary
    seen_pages: set[str] = set()
    for number, entry in enumerate(entries):
        page = _page(entry["location"])
        facts = pages.get(page, PageFacts())
        entry = dict(entry)
        if facts.boost is not None and "boost" not in entry:
            entry["boost"] = facts.boost
        entry_said = said_in[number]
        if page not in seen_pages:
            seen_pages.add(page)
            questions = distinctive(" ".join(facts.questions), common)
            if questions:
                entry["questions"] = questions
                entry_said = finder.said(analyser.analyse(_searchable(entry)))
        out.append(entry)
        said.append(entry_said)
        following = entries[number + 1]["location"] if number + 1 < len(entries) else None
        if page in by_page and (following is None or _page(following) != page):
            for step in by_page.pop(page):
                added = {"location": f"{page}#{step.anchor}", "title": step.title, "text": step.text,
                         "boost": ranking.step_boost}
                out.append(added)
                said.append(finder.said(analyser.analyse(_searchable(added))))
    too_common = common_groups([entry_said.groups for entry_said in said], ranking.common_share)
    for entry, entry_said in zip(out, said, strict=True):
        groups = [g for g in entry_said.groups if g not in too_common]
        related = finder.related(entry_said.words, groups)
        words = [index_form(w) for w in related if len(w) > 2 and w not in _STOP]
        if words:
            entry["related"] = " ".join(words)
    return out


ADDED_FIELDS = ("questions", "related")


def is_tree_step(location: str, trees_folder: str) -> bool:
    """An entry :func:`rework` adds for a decision-tree step (trees' pages are under ``trees_folder``)."""
    page, _, anchor = location.partition("#")
    return page.startswith(f"{trees_folder}/") and anchor.startswith("step-")


def growth(index: Mapping[str, Any], base_separator: str, trees_folder: str) -> float:
    """How much larger a search_index.json's data is than what Material alone would write (0.2: 20%).

    Material alone: no added fields, no boosts but the pages' own, no tree
    steps, its separator. (A page's own ``search: boost:`` counts as added: a
    slight overestimate.)
    """

    def size(value: Any) -> int:
        return len(json.dumps(value, separators=(",", ":")))

    material = [
        {k: v for k, v in entry.items() if k not in (*ADDED_FIELDS, "boost")}
        for entry in index["docs"]
        if not is_tree_step(entry["location"], trees_folder)
    ]
    config = {**index["config"], "separator": base_separator}
    config["fields"] = {k: v for k, v in config["fields"].items() if k not in ADDED_FIELDS}
    return size(index) / size({"config": config, "docs": material}) - 1
