"""The site's search vocabulary: groups of words sellers use for one thing.

The file (``search-vocabulary.yml`` by default, ``plugins.kb-search.vocabulary``)
maps a word or phrase the guides use to the other words sellers type for it::

    vendor: [supplier, provider, seller]
    not working: [failing, struggling, stalled]

:func:`parse_vocabulary` is the one rule for the file (the build and
``check`` both call it). :class:`GroupFinder` is how the index uses it: an
index entry that says any word of a group gets the group's other words, so
a seller's paraphrase meets the guide's words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import NamedTuple

from kb_engine import textfile
from kb_engine.problems import Problem
from kb_engine.yamlfile import LineDict, YAMLProblem, load_yaml

MAX_WORDS = 4
_TERM = re.compile(r"[a-z0-9]+(?:['\-][a-z0-9]+)*(?: [a-z0-9]+(?:['\-][a-z0-9]+)*)*")
# Words as the search sees them: lower case, split at anything but letters,
# digits, apostrophes and hyphens (Material's separator splits at hyphens too:
# see :func:`words`).
_WORD = re.compile(r"[0-9a-z]+(?:'[0-9a-z]+)*")


@dataclass(frozen=True)
class Vocabulary:
    """Groups of terms (the group's head first); each term is a tuple of words."""

    groups: tuple[tuple[tuple[str, ...], ...], ...] = ()


def words(text: str) -> list[str]:
    """``text`` as lower-case words; hyphens split, as in Material's default separator."""
    return _WORD.findall(text.casefold().replace("\u2019", "'"))


def base_form(word: str) -> str:
    """One form for singular, plural and possessive: ``buyers``, ``buyer's`` -> ``buyer``."""
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 3 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def parse_vocabulary(text: str, file: str) -> tuple[Vocabulary, list[Problem]]:
    """Read the vocabulary file's text; problems name file, line and the term."""
    try:
        data = load_yaml(text, file)
    except YAMLProblem as error:
        return Vocabulary(), [error.problem]
    if data is None:
        return Vocabulary(), []
    if not isinstance(data, LineDict):
        return Vocabulary(), [Problem(file, 1, "expected lines of `word: [other words, ...]`")]
    problems: list[Problem] = []
    groups: list[tuple[tuple[str, ...], ...]] = []
    owner: dict[tuple[str, ...], tuple[str, int]] = {}  # term (base words) -> (head, line)
    for head, others in data.items():
        line = data.line_of(head)
        if not isinstance(others, list) or not others:
            problems.append(Problem(file, line, f"'{head}': expected a list of other words, e.g. "
                                                f"`{head}: [word, other word]`"))
            continue
        group: list[tuple[str, ...]] = []
        for term in [head, *others]:
            if not isinstance(term, str):
                problems.append(Problem(file, line, f"'{head}': {term!r} is not a word or phrase"))
                continue
            if not _TERM.fullmatch(term):
                problems.append(Problem(file, line, f"'{head}': '{term}' must be lower-case words of "
                                                    f"letters, "
                                                    f"digits, apostrophes and hyphens, one space apart"))
                continue
            if len(term.split()) > MAX_WORDS:
                problems.append(Problem(file, line, f"'{head}': '{term}' is longer than {MAX_WORDS} words"))
                continue
            key = tuple(base_form(w) for w in words(term))
            if key in owner:
                first_head, first_line = owner[key]
                where = ("this group" if first_head == head
                         else f"the group '{first_head}' (line {first_line})")
                problems.append(Problem(file, line, f"'{head}': '{term}' is already in {where}"))
                continue
            owner[key] = (head, line)
            group.append(key)
        if len(group) >= 2:
            groups.append(tuple(group))
    return Vocabulary(tuple(groups)), problems


def read_vocabulary(path: str, shown: str) -> tuple[Vocabulary, list[Problem]]:
    """The vocabulary file at ``path`` (a missing file is an empty vocabulary)."""
    try:
        with open(path, "rb"):
            pass
    except FileNotFoundError:
        return Vocabulary(), []
    text = textfile.read(path, shown)
    if isinstance(text, Problem):
        return Vocabulary(), [text]
    return parse_vocabulary(text, shown)


class Analysed:
    """A text's words in their base forms (:func:`base_form`), in order and as a set."""

    __slots__ = ("_spaced", "bases", "present")

    def __init__(self, bases: list[str]) -> None:
        self.bases = bases
        self.present = frozenset(bases)
        self._spaced: str | None = None

    def says(self, term: tuple[str, ...]) -> bool:
        """Whether the text says the term's words in a row."""
        if len(term) == 1:
            return term[0] in self.present
        if not self.present.issuperset(term):
            return False
        if self._spaced is None:  # words hold no spaces: a phrase in a row is its words, space-joined
            self._spaced = f" {' '.join(self.bases)} "
        return f" {' '.join(term)} " in self._spaced


class Analyser:
    """Texts to :class:`Analysed`, each word's base form worked out once (an index repeats its words)."""

    def __init__(self) -> None:
        self._bases: dict[str, str] = {}

    def analyse(self, text: str) -> Analysed:
        found = words(text)
        known = self._bases
        for word in set(found).difference(known):
            known[word] = base_form(word)
        return Analysed([known[word] for word in found])


def _by_first_word(vocabulary: Vocabulary) -> dict[str, list[tuple[int, tuple[str, ...]]]]:
    by_word: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
    for number, group in enumerate(vocabulary.groups):
        for term in group:
            by_word.setdefault(term[0], []).append((number, term))
    return by_word


class Said(NamedTuple):
    """What an index entry says of a vocabulary: its groups, and which of the vocabulary's words."""

    groups: list[int]
    words: frozenset[str]


class GroupFinder:
    """Which groups of a vocabulary texts say, looking up only the words a text has."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self._by_first_word = _by_first_word(vocabulary)
        self._words = frozenset(word for group in vocabulary.groups for term in group for word in term)

    def said(self, text: Analysed) -> Said:
        """What :func:`related` needs of a text: a few words and numbers, where the text is thousands."""
        return Said(self.groups(text), text.present.intersection(self._words))

    def groups(self, text: Analysed) -> list[int]:
        """The groups (by number, ascending) that the text says a term of."""
        found: set[int] = set()
        present = text.present
        for word in present.intersection(self._by_first_word):
            for number, term in self._by_first_word[word]:
                if number not in found and text.says(term):
                    found.add(number)
        return sorted(found)

    def related(self, said: AbstractSet[str], groups: Iterable[int]) -> list[str]:
        """The words of ``groups`` not among ``said`` (a text's words), once each, in vocabulary order."""
        out: list[str] = []
        for number in groups:
            for term in self.vocabulary.groups[number]:
                for word in term:
                    if word not in said and word not in out:
                        out.append(word)
        return out

