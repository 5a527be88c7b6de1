"""What 10,000 comments over 1,000 posts add to a full build (target: under 15%).

Run with the project's environment:  .venv/bin/python benchmarks/comments_benchmark.py [repeats] [--disk]

Makes a copy of the project with 1,000 generated posts, and builds it with
``mkdocs build --strict`` (every hook and plugin of mkdocs.yml), each build
in a fresh process so that no build inherits another's memory, twice:
without comment files, and with 10,000 comments (10 per post, threaded up to
four levels deep, half with an e-mail hash and a website, bodies with markup
and blank-line paragraphs). Builds alternate, ``repeats`` times each (default
3), and each pair swaps which site goes first; the median CPU time (user +
system of the build process) of each is compared, which other load on the
machine disturbs far less than wall time. The median of the pairs' ratios
is printed as a second reading.

Both sites and their output live on a RAM disk (``/dev/shm``) where there is
one (``--disk`` to use the temporary folder instead): on the 2-core build
machines, the kernel's time for writing the 5,000 files of a build to disk
grows from one build to the next (0.6 s, 1.4 s, 2.5 s, 3.9 s of system time
for four identical builds), which would swamp the few percent measured here.
User and system time are printed apart as well. The comment files are read,
validated, sanitised, threaded, rendered into each post page, indexed for
search, and written into 1,001 comment feeds and the site-wide feed.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "hooks"))
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

import yaml  # noqa: E402

from kb_engine.comments.identity import email_hash  # noqa: E402
from sitebuild import copy_project  # noqa: E402

POSTS = 1000
COMMENTS_PER_POST = 10
CATEGORIES = ("Uncategorized", "Partnerships", "Vendor excellence", "Value selling", "Strategic accounts")
KEY = b"benchmark-key-not-a-secret-000000"


def write_posts(project: Path) -> list[str]:
    posts = project / "docs/blog/posts"
    ids = []
    start = datetime(2015, 1, 1)
    for n in range(POSTS - 1):  # plus the source post
        post_id = f"bench-{n:04d}"
        date = (start + timedelta(days=n)).date().isoformat()
        paragraph = (
            f"Post {n} on partners and vendors: most customers want a great vendor, "
            "and a few strategic accounts want more. [A guide](../../guides/partner-or-vendor.md) helps.\n\n"
        )
        (posts / f"{post_id}.md").write_text(
            f"---\ntitle: Benchmark post {n}\ndate: {date}\nauthors: [kb-team]\n"
            f"categories: [{CATEGORIES[n % len(CATEGORIES)]}]\n---\n\n# Benchmark post {n}\n\n"
            + paragraph
            + "<!-- more -->\n\n"
            + paragraph * 8,
            encoding="utf-8",
        )
        ids.append(post_id)
    return [*ids, "good-customers-good-vendors"]


def write_comments(project: Path, post_ids: list[str]) -> int:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    written = 0
    for p, post_id in enumerate(post_ids):
        folder = project / "comments" / post_id
        folder.mkdir(parents=True, exist_ok=True)
        previous = None
        for k in range(COMMENTS_PER_POST):
            comment_id = f"2026{p:04d}-{k:08x}"
            data: dict[str, str] = {"id": comment_id, "post": post_id, "author": f"Reader {p}-{k}"}
            if k % 2 == 0:
                data["website"] = f"https://reader{k}.example.net/"
            data["date"] = (start + timedelta(minutes=p * COMMENTS_PER_POST + k)).isoformat()
            if previous and k % 4 != 0:
                data["reply_to"] = previous
            if k % 2 == 0:
                data["email_hash"] = email_hash(f"reader{p}.{k}@example.com", KEY)
            data["body"] = (
                f"Comment {k} on this post. I <em>agree</em> with most of it, see "
                f'<a href="https://example.net/{p}/{k}">my notes</a> &amp; '
                "<code>vendor &lt; partner</code>.\n\n"
                "<blockquote>Sometimes all we want is good customers.</blockquote>\n\n"
                "Thanks for writing it. <script>alert(1)</script>\n"
            )
            (folder / f"{comment_id}.yml").write_text(
                yaml.safe_dump(data, sort_keys=False, width=1000), encoding="utf-8"
            )
            previous = comment_id
            written += 1
    return written


RAM_DISK = Path("/dev/shm")  # noqa: S108 - a RAM disk where Linux has one


@dataclass(frozen=True)
class Timing:
    wall: float
    user: float
    system: float

    @property
    def cpu(self) -> float:
        return self.user + self.system


def timed_build(config_file: Path, site_dir: Path) -> Timing:
    """Wall, user and system seconds of one ``mkdocs build --strict`` in a fresh process."""
    if site_dir.exists():
        shutil.rmtree(site_dir)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"]
    subprocess.run([*command, "-f", str(config_file), "-d", str(site_dir)], check=True)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return Timing(wall, after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("repeats", type=int, nargs="?", default=3)
    parser.add_argument("--disk", action="store_true", help="work in the temporary folder, not on a RAM disk")
    args = parser.parse_args()
    work = None if args.disk or not (RAM_DISK.is_dir() and os.access(RAM_DISK, os.W_OK)) else RAM_DISK
    with tempfile.TemporaryDirectory(prefix="kb-comments-bench-", dir=work) as tmp:
        plain = copy_project(Path(tmp) / "plain")
        shutil.rmtree(plain.parent / "comments", ignore_errors=True)
        post_ids = write_posts(plain.parent)
        with_comments = copy_project(Path(tmp) / "with")
        shutil.rmtree(with_comments.parent / "docs")
        shutil.copytree(plain.parent / "docs", with_comments.parent / "docs")
        count = write_comments(with_comments.parent, post_ids)
        print(f"{len(post_ids)} posts; {count} comments in the second site; working in {tmp}")
        timed_build(plain, Path(tmp) / "warm-up")  # imports, caches of the theme
        sites = {
            "without": (plain, Path(tmp) / "site-plain"),
            "with": (with_comments, Path(tmp) / "site-with"),
        }
        results: dict[str, list[Timing]] = {"without": [], "with": []}
        for repeat in range(args.repeats):
            for label in ("without", "with") if repeat % 2 == 0 else ("with", "without"):
                results[label].append(timed_build(*sites[label]))
        parts = ("cpu", "user", "system", "wall")
        median = {
            k: {part: statistics.median(getattr(t, part) for t in v) for part in parts}
            for k, v in results.items()
        }
        for label in ("without", "with"):
            runs = ", ".join(f"{t.cpu:.1f}" for t in results[label])
            m = median[label]
            print(
                f"build {label} comments: CPU median {m['cpu']:.2f} s ({runs}); user {m['user']:.2f} s, "
                f"system {m['system']:.2f} s, wall {m['wall']:.2f} s"
            )
        for part in ("cpu", "user", "wall"):
            overhead = median["with"][part] / median["without"][part] - 1
            print(f"overhead of {count} comments, {part}: {overhead:+.1%}")
        # The two builds of a pair ran back to back, so a slow spell of the
        # machine weighs on both: the median of the pairs' ratios is a second
        # reading, less moved by such spells than the ratio of the medians.
        paired = statistics.median(
            w.cpu / o.cpu for w, o in zip(results["with"], results["without"], strict=True)
        )
        print(f"overhead of {count} comments, cpu, median of the {args.repeats} pairs: {paired - 1:+.1%}")


if __name__ == "__main__":
    main()
