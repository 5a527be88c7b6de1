"""Dates from git history for blog posts: when each post was last changed.

Two git processes per build, whatever the number of posts: one
``git rev-parse`` to find the work tree (and whether the clone is shallow),
one ``git log`` over the posts folder that lists every commit with the
files it touched. Never one process per file.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass

from mkdocs.config import config_options
from mkdocs.config.base import Config

# git writes a NUL (%x00 in the format) before each commit's date: no file name starts with one.
_COMMIT = "\x00"


class GitDatesSettings(Config):  # type: ignore[no-untyped-call]  # mkdocs leaves this untyped
    """``extra.git_dates`` in mkdocs.yml."""

    enabled = config_options.Type(bool, default=False)


@dataclass(frozen=True)
class Repository:
    toplevel: str  # absolute, symlinks resolved
    shallow: bool


@dataclass(frozen=True)
class FileHistory:
    """What git knows about one file: its newest commit and how many touched it."""

    last: dt.datetime
    commits: int


@dataclass(frozen=True)
class PostDates:
    """One post as the blog read it: its source file and its dates."""

    path: str  # absolute
    created: dt.datetime
    has_updated: bool


def _git(args: list[str], cwd: str) -> subprocess.CompletedProcess[str] | None:
    try:
        return subprocess.run(
            ["git", "-c", "core.quotepath=off", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            check=False,
        )
    except OSError:  # git is not installed
        return None


def find_repository(folder: str) -> Repository | None:
    """The git work tree holding ``folder``, or None (not a repository, or no git)."""
    asked = ["rev-parse", "--is-inside-work-tree", "--show-toplevel", "--is-shallow-repository"]
    result = _git(asked, folder)
    if result is None or result.returncode != 0:
        return None
    lines = result.stdout.splitlines()
    if len(lines) != 3 or lines[0] != "true":
        return None
    return Repository(os.path.realpath(lines[1]), lines[2] == "true")


def read_history(repository: Repository, folder: str) -> dict[str, FileHistory]:
    """``{absolute path: history}`` for every file under ``folder``, in one ``git log``."""
    relative = os.path.relpath(os.path.realpath(folder), repository.toplevel)
    result = _git(
        ["log", "--format=%x00%aI", "--name-only", "--no-renames", "--", relative],
        repository.toplevel,
    )
    if result is None or result.returncode != 0:
        return {}
    return {
        os.path.join(repository.toplevel, *path.split("/")): history
        for path, history in parse_log(result.stdout).items()
    }


def parse_log(output: str) -> dict[str, FileHistory]:
    """Parse ``git log --format=<NUL>%aI --name-only`` output (newest commit first)."""
    histories: dict[str, FileHistory] = {}
    date: dt.datetime | None = None
    for line in output.splitlines():
        if line.startswith(_COMMIT):
            date = dt.datetime.fromisoformat(line[len(_COMMIT):].strip())
        elif line and date is not None:
            known = histories.get(line)
            if known is None:
                histories[line] = FileHistory(last=date, commits=1)
            else:
                histories[line] = FileHistory(last=known.last, commits=known.commits + 1)
    return histories


def updated_dates(posts: Iterable[PostDates], histories: dict[str, FileHistory]) -> dict[str, dt.datetime]:
    """``{path: date.updated}`` for posts whose front matter sets none.

    A post counts as updated when a commit after the one that added it
    changed it, later than its creation date. A post committed once has no
    update to show.
    """
    found: dict[str, dt.datetime] = {}
    for post in posts:
        history = histories.get(os.path.realpath(post.path))
        if post.has_updated or history is None or history.commits < 2:
            continue
        created = post.created if post.created.tzinfo else post.created.replace(tzinfo=dt.UTC)
        if history.last > created:
            found[post.path] = history.last
    return found
