"""Dates from git history for blog posts: when each post's text last changed.

Three git processes per build, whatever the number of posts: one
``git rev-parse`` to find the work tree (and whether the clone is shallow),
one ``git log`` over the posts folder that lists every commit with the blobs
of the files it touched (renames followed), and one ``git cat-file --batch``
that reads the versions to compare. Never one process per file.

A commit counts as an update only when the words a reader reads change:
moving or renaming a file, editing its front matter (a category, a tag) and
re-wrapping or re-spacing its lines do not (:func:`reader_text`).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass

from mkdocs.config import config_options
from mkdocs.config.base import Config

# git writes a NUL (%x00 in the format) before each commit's date: no file name starts with one.
_COMMIT = "\x00"


class GitDatesSettings(Config):  # type: ignore[no-untyped-call]  # mkdocs leaves this untyped
    """``plugins.kb-git-dates`` in mkdocs.yml."""

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
    """``{absolute path: history}`` for every file under ``folder``: one ``git log``, one ``git cat-file``."""
    relative = os.path.relpath(os.path.realpath(folder), repository.toplevel)
    result = _git(
        ["log", "--format=%x00%aI", "--raw", "--no-abbrev", "--find-renames", "--", relative],
        repository.toplevel,
    )
    if result is None or result.returncode != 0:
        return {}
    changes = parse_log(result.stdout)
    texts = read_blobs(repository, changed_blobs(changes))
    return {
        os.path.join(repository.toplevel, *path.split("/")): history
        for path, history in text_histories(changes, texts).items()
    }


@dataclass(frozen=True)
class Change:
    """One commit's change to a file: its date and the file's blob before and after (None: none)."""

    date: dt.datetime
    before: str | None
    after: str | None


_NO_BLOB = "0" * 40


def parse_log(output: str) -> dict[str, list[Change]]:
    """Parse ``git log --format=<NUL>%aI --raw --no-abbrev --find-renames`` output (newest commit first).

    ``{path as it is now: its changes, newest first}``: a file's changes under
    an older name (a rename) are listed under its newest name.
    """
    changes: dict[str, list[Change]] = {}
    newest_name: dict[str, str] = {}  # a name in older commits -> the file's name now
    date: dt.datetime | None = None
    for line in output.splitlines():
        if line.startswith(_COMMIT):
            date = dt.datetime.fromisoformat(line[len(_COMMIT):].strip())
            continue
        if not line.startswith(":") or date is None:
            continue
        head, _, names = line.partition("\t")
        fields = head.split()
        if len(fields) < 5:
            continue
        before, after, status = fields[2], fields[3], fields[4]
        paths = [_unquote(name) for name in names.split("\t")]
        path = paths[-1]
        now = newest_name.get(path, path)
        changes.setdefault(now, []).append(
            Change(date, None if before == _NO_BLOB else before, None if after == _NO_BLOB else after))
        if status.startswith("R") and len(paths) == 2:
            newest_name[paths[0]] = now
    return changes


def changed_blobs(changes: dict[str, list[Change]]) -> set[str]:
    """The blobs whose text must be compared: both sides of every change to an existing file."""
    return {blob for history in changes.values() for change in history
            if change.before and change.after and change.before != change.after
            for blob in (change.before, change.after)}


def read_blobs(repository: Repository, blobs: set[str]) -> dict[str, str]:
    """``{blob id: text}``, read by one ``git cat-file --batch``."""
    if not blobs:
        return {}
    ordered = sorted(blobs)
    try:
        result = subprocess.run(
            ["git", "cat-file", "--batch"], cwd=repository.toplevel,
            input="\n".join(ordered).encode() + b"\n", capture_output=True, check=False,
        )
    except OSError:
        return {}
    if result.returncode != 0:
        return {}
    return parse_batch(result.stdout)


def parse_batch(output: bytes) -> dict[str, str]:
    """Parse ``git cat-file --batch`` output: ``<id> blob <size>\\n<content>\\n`` per object."""
    texts: dict[str, str] = {}
    at = 0
    while at < len(output):
        end = output.index(b"\n", at)
        header = output[at:end].decode("ascii", "replace").split()
        at = end + 1
        if len(header) != 3 or header[1] != "blob":
            continue  # "<id> missing"
        size = int(header[2])
        texts[header[0]] = output[at:at + size].decode("utf-8", "replace")
        at += size + 1
    return texts


_FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n.*?\n(?:\.{3}|-{3})[ \t]*(?:\n|\Z)", re.DOTALL)


def reader_text(text: str) -> tuple[str, ...]:
    """What a reader reads of a post: the words after its front matter.

    Two versions with the same words are the same text: a commit that only
    changes the front matter (a category, a tag), re-wraps lines or changes
    spacing is no update a reader would notice.
    """
    return tuple(_FRONT_MATTER.sub("", text.lstrip("\ufeff"), count=1).split())


def text_histories(changes: dict[str, list[Change]], texts: dict[str, str]) -> dict[str, FileHistory]:
    """Per file, its last commit that changed its text, and how many did (the one that added it counts)."""
    histories: dict[str, FileHistory] = {}
    for path, history in changes.items():
        counted = [change for change in history if _changes_text(change, texts)]
        if counted:
            histories[path] = FileHistory(last=counted[0].date, commits=len(counted))
    return histories


def _changes_text(change: Change, texts: dict[str, str]) -> bool:
    if change.after is None:
        return False  # deleted (then added again: that commit counts)
    if change.before is None:
        return True  # added
    if change.before == change.after:
        return False  # moved or renamed unchanged
    before, after = texts.get(change.before), texts.get(change.after)
    return before is None or after is None or reader_text(before) != reader_text(after)


def _unquote(name: str) -> str:
    """A path as git prints it: C-quoted (``"a\\tb"``, octal bytes) when it holds unusual characters."""
    if not (len(name) >= 2 and name.startswith('"') and name.endswith('"')):
        return name
    raw = name[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")
    return raw.encode("latin-1").decode("utf-8", "replace")


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
