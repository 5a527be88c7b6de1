"""``kb-engine new-site DIR``: write a minimal site that builds with every feature.

DIR must be new or empty (else one line naming it, exit 1, nothing
written); its parent must exist. Prints what it wrote and the next two
commands.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kb_engine.cli.common import EXIT_OK, EXIT_PROBLEMS
from kb_engine.cli.program import command_prog
from kb_engine.newsite import refusal, skeleton_files, write_site


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=command_prog("new-site"),
        description="Write a minimal site into DIR: mkdocs.yml with every engine plugin, a post with "
        "a comment, a guide, a decision tree, an About page and a README. DIR must be new or empty.",
    )
    parser.add_argument("dir", metavar="DIR", help="the new site's folder (new, or empty)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    dest = Path(args.dir)
    problem = refusal(dest, args.dir)
    if problem:
        print(f"new-site: error: {problem}", file=sys.stderr, flush=True)
        return EXIT_PROBLEMS
    try:
        written = write_site(dest, skeleton_files())
    except OSError as error:
        print(f"new-site: error: {args.dir}: cannot write there ({error.strerror or error})",
              file=sys.stderr, flush=True)
        return EXIT_PROBLEMS
    print(f"Wrote a new site in {args.dir} ({len(written)} files). Next, in that folder:")
    print("  mkdocs serve            # preview on http://127.0.0.1:8000")
    print("  mkdocs build --strict   # build it into site/")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
