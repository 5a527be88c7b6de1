"""Build the site at two git revisions and compare every file they produce.

    python3 benchmarks/compare_builds.py OLD [NEW]

Each revision is checked out into a temporary worktree and built with its own
``python3 dev.py build`` in its own virtual environment (``KB_VENV``), so two
revisions with different packages, plugins or layouts are each built as they
were meant to be. NEW defaults to the working tree's HEAD. Prints every file
only one build has and every file whose bytes differ (``sitemap.xml.gz``
compared decompressed: gzip records the time it was written), then a count;
exit status 0 when the two sites are identical, 1 otherwise.

Used to show that a change of structure (the engine as a package, a move of
templates) leaves every page, feed, search index and sitemap as it was.
"""

from __future__ import annotations

import argparse
import gzip
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build_revision(revision: str, work: Path) -> Path:
    """Build ``revision`` in a worktree under ``work``; returns its site folder."""
    tree = work / revision.replace("/", "_")
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(tree), revision], check=True)
    env = dict(os.environ, KB_VENV=str(work / f"venv-{tree.name}"))
    subprocess.run([sys.executable, "dev.py", "build"], cwd=tree, env=env, check=True)
    return tree / "site"


def site_bytes(site: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.name.endswith(".gz"):
            data = gzip.decompress(data)
        files[path.relative_to(site).as_posix()] = data
    return files


def compare(old: dict[str, bytes], new: dict[str, bytes]) -> list[str]:
    lines = [f"only in the old build: {name}" for name in sorted(old.keys() - new.keys())]
    lines += [f"only in the new build: {name}" for name in sorted(new.keys() - old.keys())]
    lines += [f"differs: {name}" for name in sorted(old.keys() & new.keys()) if old[name] != new[name]]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", help="a git revision (e.g. a commit or a tag)")
    parser.add_argument("new", nargs="?", default="HEAD", help="another (default: HEAD)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="compare-builds-") as tmp:
        work = Path(tmp)
        try:
            old = site_bytes(build_revision(args.old, work))
            new = site_bytes(build_revision(args.new, work))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "prune"], check=False)
            for tree in work.iterdir():
                if tree.is_dir() and not tree.name.startswith("venv-"):
                    subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                                   check=False, capture_output=True)
    differences = compare(old, new)
    for line in differences:
        print(line)
    print(f"{len(old)} files in the old build, {len(new)} in the new; {len(differences)} differences")
    return 1 if differences else 0


if __name__ == "__main__":
    raise SystemExit(main())
