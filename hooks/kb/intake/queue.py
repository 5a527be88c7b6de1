"""The moderation queue: one JSON file per comment, in folders by state.

::

    <queue>/pending/<id>.json    waiting for a moderator
    <queue>/approved/<id>.json   published (the comment file is in comments/)
    <queue>/rejected/<id>.json
    <queue>/spam/<id>.json
    <queue>/.hashes/<sha256>     content hash -> id, to refuse duplicates
    <queue>/.lock                serialises writers (flock), across threads,
                                 gunicorn workers and the moderation command

Every file is written with :func:`kb.intake.atomic.write_atomic`. The queue
is the only place where commenters' email addresses are kept.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from kb.intake.atomic import fsync_dir, is_temp_file, remove_temp_files, write_atomic
from kb.intake.validation import Submission, is_comment_id

PENDING = "pending"
APPROVED = "approved"
REJECTED = "rejected"
SPAM = "spam"
STATES = (PENDING, APPROVED, REJECTED, SPAM)


class QueueError(Exception):
    """A queue operation that cannot be done; the message says why."""


@dataclass(frozen=True)
class QueuedComment:
    """A comment as it waits in the queue (with the email address)."""

    id: str
    post: str
    author: str
    email: str
    website: str | None
    date: str  # ISO 8601 with time zone
    reply_to: str | None
    body: str  # sanitised
    links: int
    held: bool  # more than the allowed number of links: review closely
    content_hash: str
    client: str  # the address the request came from, for spotting floods

    def to_json(self) -> bytes:
        return (json.dumps(asdict(self), indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()

    @classmethod
    def from_json(cls, data: bytes, file: str) -> QueuedComment:
        try:
            raw: Any = json.loads(data.decode("utf-8"))
            return cls(**raw)
        except (ValueError, TypeError) as error:
            raise QueueError(f"{file}: not a queued comment ({error})") from None


def new_comment_id(now: dt.datetime) -> str:
    """``YYYYMMDD-xxxxxxxx``: sortable by day, unguessable, unique in practice."""
    return f"{now:%Y%m%d}-{secrets.token_hex(4)}"


class Queue:
    def __init__(self, root: Path, *, write_pause: float = 0.0) -> None:
        self.root = root
        self.write_pause = write_pause

    def prepare(self) -> None:
        """Create the folders and remove temporary files left by killed writers."""
        for state in STATES:
            (self.root / state).mkdir(parents=True, exist_ok=True)
        (self.root / ".hashes").mkdir(exist_ok=True)
        # Writers hold the lock while they write, so under it every temporary
        # file is the remains of a killed writer.
        with self.locked():
            for folder in (*(self.root / s for s in STATES), self.root / ".hashes"):
                remove_temp_files(folder)

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the queue's exclusive lock (a flock: works across processes and threads)."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.root / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def add(self, submission: Submission, client: str, now: dt.datetime) -> QueuedComment | str:
        """Store a new comment; returns it, or the id of the same comment already stored."""
        digest = submission.content_hash()
        marker = self.root / ".hashes" / digest
        with self.locked():
            if marker.exists():
                existing = marker.read_text(encoding="utf-8").strip()
                # A marker whose comment is missing was left by a crash between
                # the two writes below: the comment was never acknowledged.
                if self.find(existing) is not None:
                    return existing
            comment = QueuedComment(
                id=new_comment_id(now),
                post=submission.post,
                author=submission.author,
                email=submission.email,
                website=submission.website,
                date=now.isoformat(timespec="seconds"),
                reply_to=submission.reply_to,
                body=submission.body,
                links=submission.links,
                held=submission.held,
                content_hash=digest,
                client=client,
            )
            write_atomic(marker, comment.id.encode(), pause=0.0)
            path = self.root / PENDING / f"{comment.id}.json"
            write_atomic(path, comment.to_json(), pause=self.write_pause)
        return comment

    def find(self, comment_id: str) -> tuple[str, QueuedComment] | None:
        """The state and content of a comment, or None if the queue does not hold it."""
        if not is_comment_id(comment_id):
            return None
        for state in STATES:
            path = self.root / state / f"{comment_id}.json"
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                continue
            return state, QueuedComment.from_json(data, str(path))
        return None

    def list(self, state: str = PENDING) -> list[QueuedComment]:
        """Comments in ``state``, oldest first."""
        folder = self.root / state
        if not folder.is_dir():
            return []
        comments = [
            QueuedComment.from_json(path.read_bytes(), str(path))
            for path in folder.iterdir()
            if path.suffix == ".json" and not is_temp_file(path) and not path.name.startswith(".")
        ]
        return sorted(comments, key=lambda c: (c.date, c.id))

    def move(self, comment_id: str, state: str) -> None:
        """Move a comment to another state's folder (atomic rename)."""
        with self.locked():
            found = self.find(comment_id)
            if found is None:
                raise QueueError(f"no comment '{comment_id}' in the queue at {self.root}")
            current, _ = found
            if current == state:
                return
            target = self.root / state
            target.mkdir(parents=True, exist_ok=True)
            os.replace(self.root / current / f"{comment_id}.json", target / f"{comment_id}.json")
            fsync_dir(target)
            fsync_dir(self.root / current)
