"""The diagram's labels: how they wrap, and the most they may hold.

One rule, one place: the tree file's validation (:mod:`kb_engine.trees.model`,
run by ``check`` and the build) and the diagram's layout
(:mod:`kb_engine.trees.layout`) both wrap with :func:`wrap_label`, so a label that
passes the check is drawn whole, never cut.

A box (a question or an outcome) shows the node's ``short`` label, or its
full text when it has none: at most :data:`BOX_LINES` lines of
:data:`BOX_CHARS` characters. An answer's line shows its ``short`` label, or
its full label: at most :data:`ANSWER_LINES` lines of :data:`ANSWER_CHARS`
characters. handbook/decision-trees.md documents these figures.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass


@dataclass(frozen=True)
class LabelRule:
    what: str  # "box" or "answer", for messages
    chars: int  # per line
    lines: int  # at most


BOX = LabelRule("box", 20, 4)
ANSWER = LabelRule("answer", 18, 2)


def wrap_label(text: str, rule: LabelRule) -> tuple[str, ...]:
    """``text`` in lines of at most ``rule.chars`` characters, every word kept.

    A word longer than a line is split (there is no other way to keep it
    inside the box); the line count tells whether the label fits.
    """
    return tuple(textwrap.wrap(" ".join(text.split()), width=rule.chars, break_long_words=True)) or ("",)


def label_problem(text: str, rule: LabelRule, has_short: bool) -> str | None:
    """Why ``text`` cannot be the diagram label under ``rule``, or None if it fits."""
    lines = wrap_label(text, rule)
    if len(lines) <= rule.lines:
        return None
    limit = f"at most {rule.lines} lines of {rule.chars} characters, about {rule.lines * rule.chars - 4}"
    if has_short:
        return f"`short` '{text}' is too long for the diagram's {rule.what} ({limit}); shorten it"
    return (
        f"'{text}' is too long for the diagram's {rule.what} ({limit}); "
        "add a `short:` label for the diagram"
    )
