"""Content problems, reported as ``file:line: message``.

Every validator in this package returns a list of :class:`Problem` instead of
raising on the first one, so that the content check can report all problems
at once, and the build can stop with a clean, one-line-per-problem error.
"""

from __future__ import annotations

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
