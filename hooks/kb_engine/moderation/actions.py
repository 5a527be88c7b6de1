"""What the moderation command does, as plain functions.

Approving writes ``<comments folder>/<post>/<id>.yml`` in the repository (the
folder ``plugins.kb-comments.directory`` of its mkdocs.yml names): the fields
the build reads, with the email address replaced by its keyed hash. The
address itself stays in the queue and never reaches the repository.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from kb_engine.comments.rules import shown
from kb_engine.core.atomic import write_atomic
from kb_engine.core.configtext import read_project_config
from kb_engine.core.dates import DateStyle, style_of_project
from kb_engine.core.ids import is_comment_id
from kb_engine.core.paths import CommentsDirectoryError, repository_comments_directory
from kb_engine.intake.commentfile import UnsafeName, comment_yaml, relative_path
from kb_engine.intake.queue import (
    APPROVED,
    DELIVERED,
    PENDING,
    REJECTED,
    SPAM,
    Queue,
    QueuedComment,
    QueueError,
)

__all__ = ["Approval", "ModerationError", "approve", "comment_yaml", "find", "mark_spam",
           "pending", "reject"]


class ModerationError(Exception):
    """The action cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class Approval:
    path: Path  # the comment file in the repository
    written: bool  # False: it was already there (approving twice)
    committed: bool


def comments_folder(repo: Path) -> str:
    """The repository's comments folder, relative to it (``plugins.kb-comments.directory``)."""
    try:
        return repository_comments_directory(repo)
    except CommentsDirectoryError as error:
        raise ModerationError(str(error)) from None


def date_style(repo: Path) -> DateStyle:
    """How the site at ``repo`` writes dates (``plugins.kb-dates``), for what the moderator reads."""
    try:
        data, where = read_project_config(repo)
        return style_of_project(data, where)
    except ValueError as error:  # ConfigTextError too
        raise ModerationError(str(error)) from None


def comment_file(repo: Path, comment: QueuedComment) -> Path:
    try:
        return repo / relative_path(comment, comments_folder(repo))
    except UnsafeName as error:
        raise ModerationError(str(error)) from None


def find(queue: Queue, comment_id: str) -> tuple[str, QueuedComment]:
    if not is_comment_id(comment_id):
        raise ModerationError(f"'{shown(comment_id)}' is not a comment id (like 20261126-1a2b3c4d)")
    found = queue.find(comment_id)
    if found is None:
        raise ModerationError(f"no comment '{shown(comment_id)}' in the queue at {queue.root}")
    return found


def approve(queue: Queue, repo: Path, comment_id: str, key: bytes, *, commit: bool) -> Approval:
    """Publish a comment into the repository; approving twice changes nothing."""
    state, comment = find(queue, comment_id)
    if state in (REJECTED, SPAM):
        raise ModerationError(f"comment '{comment_id}' was marked {state}; it cannot be approved")
    if state == DELIVERED:
        raise ModerationError(f"comment '{comment_id}' was pushed as the branch comment/{comment.post}/"
                              f"{comment_id}; merge its pull request to publish it")
    path = comment_file(repo, comment)
    if comment.reply_to and not (path.parent / f"{comment.reply_to}.yml").exists():
        raise ModerationError(
            f"comment '{comment_id}' replies to '{comment.reply_to}', which is not in "
            f"{path.parent.relative_to(repo).as_posix()}/; approve that one first"
        )
    written = False
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, comment_yaml(comment, key).encode("utf-8"))
        written = True
    committed = _commit(repo, path, comment) if commit else False
    queue.move(comment_id, APPROVED)
    return Approval(path, written, committed)


def reject(queue: Queue, comment_id: str, state: str = REJECTED) -> str:
    """Move a pending comment to rejected/ or spam/; returns the state it was in."""
    current, comment = find(queue, comment_id)
    if current == APPROVED:
        raise ModerationError(
            f"comment '{comment_id}' is already approved; "
            f"delete its file {comment.post}/{comment_id}.yml from the comments folder "
            "(plugins.kb-comments.directory) to unpublish it"
        )
    queue.move(comment_id, state)
    return current


def mark_spam(queue: Queue, comment_id: str) -> str:
    return reject(queue, comment_id, SPAM)


def pending(queue: Queue) -> list[QueuedComment]:
    try:
        return queue.list(PENDING)
    except QueueError as error:
        raise ModerationError(str(error)) from None


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=False)


def _commit(repo: Path, path: Path, comment: QueuedComment) -> bool:
    """``git add`` and commit just this file; False if it is already committed unchanged."""
    relative = str(path.relative_to(repo))
    if _git(repo, "rev-parse", "--is-inside-work-tree").returncode != 0:
        raise ModerationError(f"{repo} is not a git repository; approve without --commit")
    added = _git(repo, "add", "--", relative)
    if added.returncode != 0:
        raise ModerationError(f"git add {relative} failed: {added.stderr.strip()}")
    if _git(repo, "diff", "--cached", "--quiet", "--", relative).returncode == 0:
        return False
    message = f"Approve comment {comment.id} on {comment.post}\n\nBy {comment.author}, {comment.date}."
    done = _git(repo, "commit", "--quiet", "-m", message, "--", relative)
    if done.returncode != 0:
        raise ModerationError(f"git commit failed: {(done.stderr or done.stdout).strip()}")
    return True
