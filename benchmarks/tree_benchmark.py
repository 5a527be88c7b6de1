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
from treegen import generated_tree  # noqa: E402


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
