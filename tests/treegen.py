"""Generated decision trees of any size, for the diagram tests and the tree benchmark."""

from __future__ import annotations

CITATIONS = [
    "guides/great-vendor.md#great-service",
    "guides/great-vendor.md#vendor-excellence-checklist",
    "guides/cost-of-partnership.md#readiness-checklist",
    "guides/limiting-the-investment.md#scoping-the-commitment",
    "guides/revisiting-the-relationship.md#review-cadence",
    "guides/partner-or-vendor.md#questions-to-ask-the-customer",
    "guides/glossary.md#partnership",
    "blog/posts/good-customers-good-vendors.md",
]
TONES = ("positive", "caution", "neutral")


def generated_tree(size: int, tree_id: str = "generated") -> dict[str, object]:
    """A tree of ``size`` nodes: a binary heap of questions over outcomes.

    Node i asks a question whose answers lead to nodes 2i+1 and 2i+2; nodes
    without children are outcomes. An odd node count is made even by giving
    the first question a third answer. Every fifth question also leads to
    the outcome two layers down (edges that skip a layer, and crossings).
    """
    heap = size if size % 2 else size - 1
    nodes: list[dict[str, object]] = []
    for i in range(heap):
        children = [c for c in (2 * i + 1, 2 * i + 2) if c < heap]
        if children:
            answers: list[dict[str, str]] = [
                {"label": f"Answer {k + 1} to question {i}", "next": f"n{c}"} for k, c in enumerate(children)
            ]
            skip = 4 * i + 3
            if i % 5 == 4 and skip < heap:
                answers.append({"label": "Skip ahead", "short": "Skip", "next": f"n{skip}"})
            if i == 0 and heap < size:
                answers.append({"label": "Something else", "next": f"n{heap}"})
            nodes.append(
                {
                    "id": f"n{i}",
                    "question": f"Question {i}: is this customer showing signal number {i} of a partnership?",
                    "short": f"Signal {i}?",
                    "help": f"Why we ask question {i}: it separates the two kinds of customer below it.",
                    "answers": answers,
                }
            )
        else:
            nodes.append(outcome(i))
    if heap < size:
        nodes.append(outcome(heap))
    return {
        "id": tree_id,
        "title": "Generated tree",
        "intro": f"A generated tree of {size} nodes.",
        "start": "n0",
        "nodes": nodes,
    }


def outcome(i: int) -> dict[str, object]:
    return {
        "id": f"n{i}",
        "outcome": f"Outcome {i}",
        "tone": TONES[i % 3],
        "summary": f"The recommendation at the end of path {i}.",
        "read_next": [CITATIONS[i % len(CITATIONS)], CITATIONS[(i + 3) % len(CITATIONS)]],
    }
