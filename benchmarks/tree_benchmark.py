#!/usr/bin/env python3
"""How much build time a 500-node decision tree adds.

Builds a copy of the project three times as it is and three times with a
generated 500-node tree added (250 questions, 250 outcomes citing real
guides and anchors), in-process like `mkdocs build --strict`, and prints
the median of each and the difference. The target is under one second.

    .venv/bin/python benchmarks/tree_benchmark.py [--runs 3] [--nodes 500]

Not collected by pytest: timings belong here, not in tests.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from sitebuild import build_site, copy_project  # noqa: E402

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


def generated_tree(size: int) -> dict[str, object]:
    """A tree of ``size`` nodes: a binary heap of questions over outcomes.

    Node i asks a question whose answers lead to nodes 2i+1 and 2i+2; nodes
    without children are outcomes. An odd node count is made even by giving
    the first question a third answer.
    """
    heap = size if size % 2 else size - 1
    nodes: list[dict[str, object]] = []
    for i in range(heap):
        children = [c for c in (2 * i + 1, 2 * i + 2) if c < heap]
        if children:
            answers = [
                {"label": f"Answer {k + 1} to question {i}", "next": f"n{c}"} for k, c in enumerate(children)
            ]
            if i == 0 and heap < size:
                answers.append({"label": "Something else", "next": f"n{heap}"})
            nodes.append(
                {
                    "id": f"n{i}",
                    "question": f"Question {i}: is this customer showing signal number {i} of a partnership?",
                    "help": f"Why we ask question {i}: it separates the two kinds of customer below it.",
                    "answers": answers,
                }
            )
        else:
            nodes.append(outcome(i))
    if heap < size:
        nodes.append(outcome(heap))
    return {
        "id": "generated",
        "title": "Generated benchmark tree",
        "intro": f"A generated tree of {size} nodes.",
        "start": "n0",
        "nodes": nodes,
    }


def outcome(i: int) -> dict[str, object]:
    return {
        "id": f"n{i}",
        "outcome": f"Outcome {i}",
        "summary": f"The recommendation at the end of path {i}.",
        "read_next": [CITATIONS[i % len(CITATIONS)], CITATIONS[(i + 3) % len(CITATIONS)]],
    }


def timed_build(config: Path, site: Path) -> float:
    start = time.perf_counter()
    result = build_site(config, site)
    elapsed = time.perf_counter() - start
    if result.warnings:
        raise SystemExit(f"the build warned: {result.warnings}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--nodes", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        plain = copy_project(base / "plain")
        with_tree = copy_project(base / "with-tree")
        tree = generated_tree(args.nodes)
        (with_tree.parent / "docs" / "decisions" / "generated.yml").write_text(
            yaml.safe_dump(tree, sort_keys=False, allow_unicode=True), encoding="utf-8"
        )
        timed_build(plain, base / "warm-up")  # imports, template caches
        without: list[float] = []
        with_: list[float] = []
        for run in range(args.runs):
            without.append(timed_build(plain, base / f"site-plain-{run}"))
            with_.append(timed_build(with_tree, base / f"site-tree-{run}"))
        page = base / f"site-tree-{args.runs - 1}" / "decisions" / "generated" / "index.html"
        size_kib = page.stat().st_size / 1024
    plain_median = statistics.median(without)
    tree_median = statistics.median(with_)
    print(f"nodes in the generated tree: {len(tree['nodes'])}")  # type: ignore[arg-type]
    print(f"build without the tree (median of {args.runs}): {plain_median:.3f} s")
    print(f"build with the tree    (median of {args.runs}): {tree_median:.3f} s")
    print(f"tree page size: {size_kib:.0f} KiB")
    print(f"extra build time for a {args.nodes}-node tree: {tree_median - plain_median:.3f} s")


if __name__ == "__main__":
    main()
