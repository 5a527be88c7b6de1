"""What every command shares: the ``--config-file`` option and problem output."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from typing import TextIO

from mkdocs.exceptions import PluginError

from kb_engine.problems import ContentError, Problem, format_problems
from kb_engine.project import Project, close_project, load_project

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


def run_with_project(config_file: str, action: Callable[[Project], int]) -> int:
    """Load the project, run ``action`` on it, and report what stops it.

    Content problems become ``file:line: message`` lines on stderr; a
    missing blog plugin is reported by its one-line message naming mkdocs.yml.
    Either way the exit status is EXIT_PROBLEMS, never a traceback.
    """
    try:
        project = load_project(config_file)
    except ContentError as error:
        report(error.problems)
        return EXIT_PROBLEMS
    try:
        return action(project)
    except ContentError as error:
        report(error.problems)
        return EXIT_PROBLEMS
    except PluginError as error:
        print(error, file=sys.stderr, flush=True)
        return EXIT_PROBLEMS
    finally:
        close_project(project)
