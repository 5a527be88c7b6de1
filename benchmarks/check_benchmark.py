#!/usr/bin/env python3
"""How long the content check takes on a big site: 1,000 posts, 10,000 comments.

    .venv/bin/python benchmarks/check_benchmark.py [--posts 1000] [--comments 10000] [--runs 3]

Copies the project into a temporary folder, adds generated posts (valid
front matter, a few paragraphs) and comment files
(``comments/<post-id>/<id>.yml``), then runs the real command,
``python -m kb_engine.cli.check``, several times and prints the median wall time,
process start-up included, and the CPU time it used (which other load on
the machine does not inflate). The target is under 2 seconds. Not collected by
pytest; the figure goes into benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "tests"))

from sitebuild import copy_project  # noqa: E402

CATEGORIES = ["Partnerships", "Vendor excellence", "Value selling", "Strategic accounts"]
WORDS = (
    "customer vendor partner value account review risk trust outcome price scope renewal "
    "champion budget roadmap pilot proof delivery service support executive sponsor"
).split()




def paragraph(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def generate(root: Path, posts: int, comments: int) -> None:
    rng = random.Random(8)  # noqa: S311 - deterministic filler text, not a secret
    post_dir = root / "docs/blog/posts"
    start = dt.datetime(2015, 1, 1, 9, 0, tzinfo=dt.UTC)
    slugs = []
    for number in range(posts):
        slug = f"bench-post-{number:04d}"
        slugs.append(slug)
        created = start + dt.timedelta(days=number)
        body = "\n\n".join(paragraph(rng, 60) for _ in range(4))
        (post_dir / f"{slug}.md").write_text(
            f"---\ntitle: Bench post {number}\nslug: {slug}\ndate:\n  created: {created.isoformat()}\n"
            f"authors: [kb-team]\ncategories: [{rng.choice(CATEGORIES)}]\ntags: [Benchmark]\n---\n\n"
            f"# Bench post {number}\n\n{paragraph(rng, 30)}\n\n<!-- more -->\n\n{body}\n",
            encoding="utf-8",
        )
    for number in range(comments):
        slug = slugs[number % len(slugs)]
        folder = root / "comments" / slug
        folder.mkdir(parents=True, exist_ok=True)
        comment_id = f"c{number:05d}"
        created = start + dt.timedelta(days=number % len(slugs), hours=1 + number // len(slugs))
        digest = hashlib.sha256(comment_id.encode()).hexdigest()
        reply = f"reply_to: c{number - len(slugs):05d}\n" if number >= len(slugs) and number % 3 == 0 else ""
        (folder / f"{comment_id}.yml").write_text(
            f"id: {comment_id}\npost: {slug}\nauthor: Reader {number}\nwebsite: https://reader{number}.example.org/\n"
            f"date: {created.isoformat()}\n{reply}email_hash: hmac-sha256:{digest}\n"
            f"body: |\n  <p>{paragraph(rng, 25)}</p>\n  <p><em>{paragraph(rng, 10)}</em></p>\n",
            encoding="utf-8",
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--comments", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kb-check-bench-") as tmp:
        root = Path(tmp)
        copy_project(root)
        generate(root, args.posts, args.comments)
        times: list[float] = []
        cpu: list[float] = []
        for _ in range(args.runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            begin = time.perf_counter()
            result = subprocess.run(
                [sys.executable, "-m", "kb_engine.cli.check"], cwd=root, capture_output=True, text=True, check=False
            )
            times.append(time.perf_counter() - begin)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            if result.returncode != 0:
                print(result.stderr[:2000], file=sys.stderr)
                raise SystemExit(f"the check found problems in the generated site: {result.stdout.strip()}")
    print(
        f"content check, {args.posts} posts and {args.comments} comments, {args.runs} runs: "
        f"median wall time {statistics.median(times):.2f} s ({', '.join(f'{t:.2f}' for t in times)}), "
        f"median CPU time {statistics.median(cpu):.2f} s; target < 2 s"
    )


if __name__ == "__main__":
    main()
