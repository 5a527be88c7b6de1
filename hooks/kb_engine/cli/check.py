"""``kb-engine check`` (``python3 dev.py check``): the content check, without a build.

Validates every post, the authors file, the categories and every comment
file (the checkers in kb_engine.contentcheck.CHECKERS); prints all problems at once on stderr, one
``file:line: message`` line each, and exits 1 if there are any.
"""

from __future__ import annotations

import argparse
import sys

from kb_engine.cli.common import EXIT_OK, EXIT_PROBLEMS, add_config_option, report, run_with_project
from kb_engine.cli.program import command_prog
from kb_engine.contentcheck import run_checks
from kb_engine.problems import ContentError
from kb_engine.project import Project


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=command_prog("check"),
        description="Check every post, author, category and comment file; "
        "print each problem as `file:line: message`.",
    )
    add_config_option(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return run_with_project(args.config_file, _check)


def _check(project: Project) -> int:
    try:
        problems = run_checks(project)
    except ContentError as error:
        problems = error.problems
    if problems:
        report(problems)
        count = len(problems)
        print(f"content check: {count} problem{'s' if count != 1 else ''}", flush=True)
        return EXIT_PROBLEMS
    print("content check: no problems", flush=True)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
