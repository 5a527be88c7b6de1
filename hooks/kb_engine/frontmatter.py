"""Split a Markdown file into its YAML front matter and its body."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from kb_engine.kept import Kept, text_key
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


class KeptDocuments(Kept[tuple[bytes, str], Document | Problem]):
    """:func:`parse_document`'s results by text (:func:`~kb_engine.kept.text_key`) and file name,
    kept from one build to the next.

    For the preview (:mod:`kb_engine.kept`). A :class:`Document` is frozen and
    its ``meta`` is only read by the checks that use this, so the kept one is
    handed out as it is.
    """

    def parse(self, text: str, file: str) -> Document | Problem:
        """:func:`parse_document` ``(text, file)``, parsed once."""
        return self.get((text_key(text), file), lambda: parse_document(text, file))
