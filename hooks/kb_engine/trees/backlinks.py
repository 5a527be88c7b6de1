"""Which tree nodes cite which page: the data of the "In the decision tree" boxes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kb_engine.trees.model import Tree, step_anchor


@dataclass(frozen=True)
class Backlink:
    """One node of one tree that cites a page."""

    tree_id: str
    tree_title: str
    node_id: str
    node_kind: str  # "question" or "outcome"
    node_text: str
    anchor: str  # the node's step on the tree page
    cited_anchors: tuple[str, ...]  # sections of the page it points to; empty: the whole page


def backlinks(trees: Iterable[Tree]) -> dict[str, list[Backlink]]:
    """Cited page path (relative to docs/) -> the nodes citing it, trees by title, nodes in file order."""
    found: dict[str, list[Backlink]] = {}
    for tree in sorted(trees, key=lambda t: (t.title.casefold(), t.id)):
        for outcome in tree.outcomes():
            anchors: dict[str, list[str]] = {}
            for citation in outcome.read_next:
                cited = anchors.setdefault(citation.path, [])
                if citation.anchor and citation.anchor not in cited:
                    cited.append(citation.anchor)
            for path, cited in anchors.items():
                found.setdefault(path, []).append(
                    Backlink(
                        tree.id,
                        tree.title,
                        outcome.id,
                        outcome.kind,
                        outcome.text,
                        step_anchor(outcome.id),
                        tuple(cited),
                    )
                )
    return found
