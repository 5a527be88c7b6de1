"""Links between pages, checked without a build, by MkDocs' own rule.

A strict build stops when a page links to a file that does not exist
(``validation.links`` in mkdocs.yml: MkDocs warns, ``--strict`` fails). The
content check finds the same links without rendering: the link targets are
read from the Markdown (inline links and images, reference definitions;
code spans and fenced code skipped), and each one is judged by the method
MkDocs itself calls on every link of a rendered page
(:mod:`kb_engine.compat.linkjudge`), whose warnings
become problems naming the file and the line.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from kb_engine.compat.linkjudge import link_judge
from kb_engine.problems import Problem

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files

_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+).*?\1")
# [text](target "title") and ![alt](target), the target possibly in <...>.
_INLINE = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*(<[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)")
_REFERENCE = re.compile(r"^[ \t]{0,3}\[([^\]]+)\]:[ \t]*(<[^>\n]*>|\S+)")
_LABEL_USE = re.compile(r"\[([^\[\]]+)\](?!:|\()")


def link_targets(markdown: str) -> Iterator[tuple[int, str]]:
    """``(line, url)`` of every link and image of a Markdown text, outside code.

    A reference definition counts where its label is used (``[text][label]``,
    ``[label][]`` or ``[label]``): an unused one makes no link.
    """
    fence: str | None = None
    definitions: list[tuple[int, str, str]] = []
    used: set[str] = set()
    for number, line in enumerate(markdown.splitlines(), start=1):
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            continue
        if line.startswith(("    ", "\t")) and not line.strip().startswith(("-", "*", "[")):
            continue  # an indented code block (or a continuation: links there are rare)
        text = _CODE_SPAN.sub("", line)
        reference = _REFERENCE.match(text)
        if reference:
            definitions.append((number, reference.group(1).casefold(), reference.group(2).strip("<>")))
            continue
        used.update(label.casefold() for label in _LABEL_USE.findall(text))
        for match in _INLINE.finditer(text):
            target = match.group(1).strip("<>")
            if target:
                yield number, target
    for number, label, target in definitions:
        if label in used:
            yield number, target


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def broken_links(pages: Iterable[tuple[File, str, str]], files: Files, config: MkDocsConfig) -> list[Problem]:
    """Links MkDocs would warn about, from ``(file, shown name, markdown)`` of each page."""
    problems: list[Problem] = []
    logger = logging.getLogger("mkdocs.structure.pages")
    handler = _Warnings()
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    try:
        for file, shown, markdown in pages:
            judge = link_judge(file, files, config)
            for line, url in link_targets(markdown):
                handler.messages.clear()
                judge(url)
                problems.extend(Problem(shown, line, _plain(message, file)) for message in handler.messages)
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
    return problems


def _plain(message: str, file: File) -> str:
    """MkDocs' message without the file name it starts with (the problem names it)."""
    return message.removeprefix(f"Doc file '{file.src_uri}' ")
