"""What every command shares: the ``--config-file`` option and problem output."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from typing import TextIO

from kb.problems import Problem, format_problems

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


def add_config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-f",
        "--config-file",
        default="mkdocs.yml",
        metavar="FILE",
        help="the site's mkdocs.yml (default: mkdocs.yml in the current folder)",
    )


def report(problems: Iterable[Problem], stream: TextIO | None = None) -> None:
    """Write problems, one ``file:line: message`` line each, sorted."""
    text = format_problems(problems)
    if text:
        print(text, file=stream or sys.stderr, flush=True)
