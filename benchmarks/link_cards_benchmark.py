#!/usr/bin/env python3
"""What the link preview cards (og:image) cost a build of 1,000 posts.

Generates the synthetic site of build_benchmark.py (N posts, N/10 guides,
comments, a decision tree) inside a copy of the project and builds it, each
build a fresh `mkdocs build` process (timed_mkdocs.py), three ways:

- off:  `plugins.kb-link-cards.enabled: false`;
- cold: cards on, with an empty card cache (every card drawn, as on a first build);
- warm: cards on, with the cache of the previous build (the usual build: no card drawn).

The builds of one round run back to back (off, cold, warm); it prints the
median CPU time of each, the extra time of cold and warm over off (as a
ratio of medians and as the median of each round's back-to-back pair, which
a loaded machine disturbs less), and the time spent in kb-link-cards.
The target is under 10%, for a first (cold) build as for the usual (warm)
one.

    .venv/bin/python benchmarks/link_cards_benchmark.py [--posts 1000] [--runs 3]

Not collected by pytest: timings belong here, not in tests.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402
from build_benchmark import run_build  # noqa: E402

from sitebuild import copy_project  # noqa: E402

HOOK = "kb-link-cards"


def prepare(work: Path, posts: int) -> tuple[Path, Path]:
    """The project with N synthetic posts; returns (cards on, cards off) config files."""
    content = work / "content"
    synthetic.write_content(content, posts)
    site = work / "project"
    config = copy_project(site)
    shutil.copytree(content / "docs", site / "docs", dirs_exist_ok=True)
    shutil.copytree(content / "comments", site / "comments", dirs_exist_ok=True)
    text = config.read_text(encoding="utf-8")
    off = site / "mkdocs-off.yml"
    off.write_text(text.replace("  link_cards:\n    enabled: true\n", "  link_cards:\n    enabled: false\n"),
                   encoding="utf-8")
    settings = yaml.safe_load(off.read_text(encoding="utf-8").split("\nplugins:")[0])["extra"]["link_cards"]
    if settings["enabled"]:
        raise SystemExit("could not turn the cards off in the copy of mkdocs.yml")
    return config, off


def hook_seconds(events: dict[str, float]) -> float:
    return sum(seconds for key, seconds in events.items() if key.split("\t")[0].endswith(HOOK))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kb-cards-") as tmp:
        work = Path(tmp)
        on, off = prepare(work, args.posts)
        cache = on.parent / ".cache" / "link-cards"
        cpu: dict[str, list[float]] = {"off": [], "cold": [], "warm": []}
        hook: dict[str, list[float]] = {"cold": [], "warm": []}
        cards = 0
        for run in range(args.runs):
            data = run_build(off, work)
            cpu["off"].append(data["cpu_seconds"])
            shutil.rmtree(cache, ignore_errors=True)
            for kind in ("cold", "warm"):
                data = run_build(on, work)
                cpu[kind].append(data["cpu_seconds"])
                hook[kind].append(hook_seconds(data["events"]))
            cards = len(list(cache.glob("*.png")))
            print(f"  round {run + 1}: off {cpu['off'][-1]:.1f} s, cold {cpu['cold'][-1]:.1f} s "
                  f"({(cpu['cold'][-1] / cpu['off'][-1] - 1) * 100:+.1f}%), warm {cpu['warm'][-1]:.1f} s "
                  f"({(cpu['warm'][-1] / cpu['off'][-1] - 1) * 100:+.1f}%) CPU", flush=True)
        base = statistics.median(cpu["off"])
        print(f"{args.posts} posts, {cards} cards, median of {args.runs} builds each (CPU, user + system):")
        print(f"  cards off:  {base:.2f} s")
        for kind in ("cold", "warm"):
            median = statistics.median(cpu[kind])
            paired = statistics.median(on / off - 1 for on, off in zip(cpu[kind], cpu["off"], strict=True))
            print(f"  cards {kind}: {median:.2f} s  ({(median / base - 1) * 100:+.1f}% of medians, "
                  f"{paired * 100:+.1f}% median of the rounds' pairs; "
                  f"{statistics.median(hook[kind]):.2f} s in {HOOK})")


if __name__ == "__main__":
    main()
