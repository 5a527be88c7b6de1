"""A tree's walk placed inside any page with one Markdown line.

Write, on a line of its own, outside code blocks::

    <!-- kb:tree partner-vs-vendor -->

Being an HTML comment, the line is invisible wherever the build does not
replace it (a plain Markdown preview, a feed). The build replaces it with the
tree's walk; its anchors are prefixed with ``<tree id>--`` so that two trees
on one page keep them apart. :func:`find_embeds` and :func:`check_embeds`
are the one rule both ``check`` and the build apply.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection
from dataclasses import dataclass

from kb_engine.problems import Problem
from kb_engine.trees.model import ID_PATTERN

SIGNATURE = "kb:tree"
LINE = re.compile(r"^ {0,3}<!--\s*kb:tree\b(?P<rest>.*?)-->\s*$")
FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})")
# The marker as it comes out of Markdown (kept verbatim, as raw HTML).
RENDERED = re.compile(r"<!--\s*kb:tree\s+(?P<id>[a-z0-9_-]+)\s*-->")
USAGE = "write it as <!-- kb:tree TREE-ID --> on a line of its own"


@dataclass(frozen=True)
class Embed:
    tree_id: str
    line: int


def find_embeds(markdown: str, file: str) -> tuple[list[Embed], list[Problem]]:
    """Every marker line of a page's source (front matter included), outside fenced code."""
    if SIGNATURE not in markdown:
        return [], []
    embeds: list[Embed] = []
    problems: list[Problem] = []
    fence: str | None = None
    for number, line in enumerate(markdown.splitlines(), start=1):
        opened = FENCE.match(line)
        if fence is not None:
            if opened and opened.group("fence")[0] == fence[0] and len(opened.group("fence")) >= len(fence):
                fence = None
            continue
        if opened:
            fence = opened.group("fence")
            continue
        found = LINE.match(line)
        if found is None:
            continue
        tree_id = found.group("rest").strip()
        if not ID_PATTERN.match(tree_id):
            problems.append(Problem(file, number, f"malformed decision tree marker: {USAGE}"))
            continue
        embeds.append(Embed(tree_id, number))
    return embeds, problems


def check_embeds(embeds: list[Embed], known: Collection[str], file: str) -> list[Problem]:
    """Unknown tree ids, and a tree placed twice on one page."""
    problems: list[Problem] = []
    first: dict[str, int] = {}
    for embed in embeds:
        if embed.tree_id not in known:
            names = ", ".join(sorted(known)) or "none"
            close = difflib.get_close_matches(embed.tree_id, sorted(known), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            problems.append(
                Problem(file, embed.line, f"unknown decision tree '{embed.tree_id}' (known: {names}){hint}")
            )
        elif embed.tree_id in first:
            problems.append(
                Problem(
                    file,
                    embed.line,
                    f"decision tree '{embed.tree_id}' is placed twice on this page "
                    f"(first on line {first[embed.tree_id]}); its steps would share anchors",
                )
            )
        first.setdefault(embed.tree_id, embed.line)
    return problems


def anchor_prefix(tree_id: str) -> str:
    """What an embedded walk's ids start with (node ids never contain ``--``)."""
    return f"{tree_id}--"
