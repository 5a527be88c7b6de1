"""The moderation queue: one JSON file per comment, in folders by state.

::

    <queue>/pending/<id>.json     waiting for a moderator (queue mode) or for delivery (git mode)
    <queue>/approved/<id>.json    published (the comment file is in comments/)
    <queue>/delivered/<id>.json   pushed as its own branch (git mode)
    <queue>/rejected/<id>.json
    <queue>/spam/<id>.json
    <queue>/outbox/<id>.<job>.json  work left to do for a comment (see kb_engine.intake.outbox)
    <queue>/.hashes/<hmac>        keyed content hash -> id, so a comment is stored once
    <queue>/.lock                 serialises writers (flock), across threads,
                                  processes and the moderation command

Every folder is private to the service's user (0700) and every file is
written with :func:`kb_engine.core.atomic.write_atomic` (0600). The duplicate
markers are named by a keyed hash (HMAC with the comment key), so nobody who
can list the folder can test a guessed address and text against them. The
queue is the only place where commenters' email addresses are kept.
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

from kb_engine.core.atomic import fsync_dir, is_temp_file, remove_temp_files, write_atomic
from kb_engine.core.ids import is_comment_id
from kb_engine.intake.jobs import new_job
from kb_engine.intake.validation import Submission

PENDING = "pending"
APPROVED = "approved"
DELIVERED = "delivered"
REJECTED = "rejected"
SPAM = "spam"
STATES = (PENDING, APPROVED, DELIVERED, REJECTED, SPAM)
OUTBOX = "outbox"
QUEUE_ENV_DEFAULT = "var/moderation-queue"  # relative to the project folder, git-ignored
HASHES = ".hashes"
PRIVATE_DIR = 0o700


class QueueError(Exception):
    """A queue operation that cannot be done; the message says why."""


@dataclass(frozen=True)
class Stored:
    """What :meth:`Queue.add` did: the comment stored, or the one already stored."""

    comment: QueuedComment | None  # None: a duplicate, not stored again
    duplicate_of: str | None = None


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

    def folders(self) -> tuple[Path, ...]:
        return (*(self.root / s for s in STATES), self.root / OUTBOX, self.root / HASHES)

    def prepare(self) -> None:
        """Create the private folders and remove temporary files left by killed writers."""
        make_private_dir(self.root)
        for folder in self.folders():
            make_private_dir(folder)
        # Writers hold the lock while they write, so under it every temporary
        # file is the remains of a killed writer.
        with self.locked():
            for folder in self.folders():
                remove_temp_files(folder)

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the queue's exclusive lock (a flock: works across processes and threads)."""
        make_private_dir(self.root)
        fd = os.open(self.root / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def add(self, submission: Submission, client: str, now: dt.datetime, *, key: bytes,
            jobs: tuple[str, ...] = ()) -> Stored:
        """Store a new comment with its outbox ``jobs``, unless the same comment is stored already.

        A duplicate costs the same writes as a fresh comment (to a scratch
        file), so that its answer cannot be told apart by its timing either.
        """
        digest = submission.content_hash(key)
        marker = self.root / HASHES / digest
        with self.locked():
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
            existing = self._stored_id(marker)
            if existing is not None:
                scratch = self.root / HASHES / ".scratch"
                for data in (comment.id.encode(), *(b"{}" for _ in jobs), comment.to_json()):
                    write_atomic(scratch, data)
                scratch.unlink(missing_ok=True)
                return Stored(None, existing)
            write_atomic(marker, comment.id.encode())
            # The jobs first: a job whose comment never appeared (killed in
            # between) is dropped by the worker; a comment without its job
            # would never be delivered.
            for job in jobs:
                new_job(self.root / OUTBOX, comment.id, job, now)
            path = self.root / PENDING / f"{comment.id}.json"
            write_atomic(path, comment.to_json(), pause=self.write_pause)
        return Stored(comment)

    def _stored_id(self, marker: Path) -> str | None:
        try:
            existing = marker.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        # A marker whose comment is missing was left by a crash between the
        # two writes of add(): that comment was never acknowledged.
        return existing if self.find(existing) is not None else None

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
            make_private_dir(target)
            os.replace(self.root / current / f"{comment_id}.json", target / f"{comment_id}.json")
            fsync_dir(target)
            fsync_dir(self.root / current)


def make_private_dir(folder: Path) -> None:
    """Create ``folder`` (and missing parents) readable by its owner only; tighten it if it exists."""
    folder.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    if folder.stat().st_mode & 0o777 != PRIVATE_DIR:
        folder.chmod(PRIVATE_DIR)
