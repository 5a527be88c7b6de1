"""Content problems, reported as ``file:line: message``.

Every validator in this package returns a list of :class:`Problem` instead of
raising on the first one, so that the content check can report all problems
at once, and the build can stop with a clean, one-line-per-problem error.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one input file."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}: {self.message}"
        return f"{self.file}: {self.message}"


class ContentError(Exception):
    """Raised where a caller wants problems as an exception."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(format_problems(self.problems))


def format_problems(problems: Iterable[Problem]) -> str:
    """One line per problem, in a stable order."""
    return "\n".join(str(p) for p in sorted(problems, key=_sort_key))


def _sort_key(problem: Problem) -> tuple[str, int, str]:
    return (problem.file, problem.line or 0, problem.message)


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` naming the closest of ``known`` to ``name``, or ``""``.

    The one suggestion helper of every check (trees, posts, categories, authors),
    so that all of them suggest alike.
    """
    close = difflib.get_close_matches(name, list(known), n=1)
    if not close:  # case alone: 'partnerships' for 'Partnerships'
        folded = {k.casefold(): k for k in known}
        close = difflib.get_close_matches(name.casefold(), list(folded), n=1)
        close = [folded[c] for c in close]
    return f" (did you mean '{close[0]}'?)" if close else ""
