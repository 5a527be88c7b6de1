"""Split a Markdown file into its YAML front matter and its body."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from kb_engine.problems import Problem
from kb_engine.yamlfile import LineDict, YAMLProblem, load_yaml

# The same rule MkDocs and Material use: a block fenced by `---` lines at the
# very start of the file, closed by `---` or `...`.
_FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n(.*?\n)?(?:\.{3}|-{3})[ \t]*(?:\n|\Z)", re.DOTALL)


@dataclass(frozen=True)
class Document:
    """A Markdown document: front matter (with lines) and body."""

    meta: LineDict
    body: str
    body_line: int  # 1-based line on which the body starts


def parse_document(text: str, file: str) -> Document | Problem:
    """Read front matter and body, or return the problem that prevents it."""
    text = text.removeprefix("\ufeff")
    match = _FRONT_MATTER.match(text)
    if match is None:
        return Document(LineDict(line=1), text, 1)
    yaml_text = match.group(1) or ""
    try:
        meta: Any = load_yaml(yaml_text, file, first_line=2)
    except YAMLProblem as error:
        return error.problem
    if meta is None:
        meta = LineDict(line=1)
    if not isinstance(meta, LineDict):
        return Problem(file, 2, "front matter must be a mapping of `key: value` lines")
    body_line = text.count("\n", 0, match.end()) + 1
    return Document(meta, text[match.end():], body_line)


class KeptDocuments:
    """:func:`parse_document`'s results by text and file name, kept from one build to the next.

    For the preview: MkDocs keeps plugin instances across ``mkdocs serve``
    rebuilds, so a rebuild parses only the posts whose text changed. A
    :class:`Document` is frozen and its ``meta`` is only read by the checks
    that use this, so the kept one is handed out as it is. Only the texts of
    the last and the current build are kept (:meth:`start`).
    """

    def __init__(self) -> None:
        self._last: dict[tuple[str, str], Document | Problem] = {}
        self._now: dict[tuple[str, str], Document | Problem] = {}
        self.parsed = 0  # documents parsed in this build
        self.reused = 0  # ... and handed out from a kept parse

    def start(self) -> None:
        """A new build: the last one's parses are kept for it, the ones before are dropped."""
        if self._now:
            self._last = self._now
        self._now = {}
        self.parsed = self.reused = 0

    def parse(self, text: str, file: str) -> Document | Problem:
        """:func:`parse_document` ``(text, file)``, parsed once."""
        key = (text, file)
        known = self._now.get(key) or self._last.get(key)
        if known is None:
            known = parse_document(text, file)
            self.parsed += 1
        else:
            self.reused += 1
        self._now[key] = known
        return known
