"""The questions a page answers: front matter ``questions:``, one rule for the build and ``check``.

A guide lists the questions it answers, in sellers' words. The page shows
them under its title ("This guide answers: ...") and the search indexes them
in their own field, so a seller's question meets the guide that answers it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kb_engine.problems import Problem

KEY = "questions"
MAX_QUESTIONS = 12
MIN_LENGTH = 8
MAX_LENGTH = 160


def _line(meta: Mapping[str, Any]) -> int | None:
    line_of = getattr(meta, "line_of", None)
    return line_of(KEY) if line_of else None


def page_questions(meta: Mapping[str, Any], file: str) -> tuple[list[str], list[Problem]]:
    """The page's questions (stripped), and what is wrong with the field.

    ``meta`` is the page's front matter (a :class:`kb_engine.yamlfile.LineDict`
    gives the line of the field; a plain dict, as MkDocs keeps it, does not).
    """
    if KEY not in meta or meta[KEY] is None:
        return [], []
    raw = meta[KEY]
    line = _line(meta)
    if not isinstance(raw, list):
        return [], [Problem(file, line, f"`{KEY}`: expected a list of questions (one `- question` a line), "
                                        f"got {type(raw).__name__}")]
    problems: list[Problem] = []
    questions: list[str] = []
    seen: dict[str, int] = {}
    for number, item in enumerate(raw, start=1):
        where = f"`{KEY}` item {number}"
        if not isinstance(item, str):
            problems.append(Problem(file, line, f"{where}: expected text, got {type(item).__name__}"))
            continue
        text = " ".join(item.split())
        if any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 or 0xD800 <= ord(c) < 0xE000 for c in text):
            problems.append(Problem(file, line, f"{where}: contains a control character"))
            continue
        if len(text) < MIN_LENGTH:
            problems.append(Problem(file, line, f"{where}: '{text}' is too short for a question "
                                                f"(at least {MIN_LENGTH} characters)"))
            continue
        if len(text) > MAX_LENGTH:
            problems.append(Problem(file, line, f"{where}: longer than {MAX_LENGTH} characters "
                                                f"({len(text)}); ask one thing, as a seller would type it"))
            continue
        key = text.casefold()
        if key in seen:
            problems.append(Problem(file, line, f"{where}: repeats item {seen[key]}"))
            continue
        seen[key] = number
        questions.append(text)
    if len(raw) > MAX_QUESTIONS:
        problems.append(Problem(file, line, f"`{KEY}`: {len(raw)} questions, at most {MAX_QUESTIONS}; "
                                            f"keep the ones sellers really ask"))
    return (questions if not problems else []), problems
