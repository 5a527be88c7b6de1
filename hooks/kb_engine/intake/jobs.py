"""Outbox job files: what is left to do for an accepted comment, and why it waits.

``<queue>/outbox/<comment-id>.<kind>.json``, one per comment and kind of work
(``git``: push the comment as its own branch; ``mail``, ``webhook``: tell the
moderators). A job file is written atomically, rewritten after each failed
attempt (attempts, next try, last error) and deleted once the work is done.
:mod:`kb_engine.intake.outbox` does the work.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from kb_engine.core.atomic import is_temp_file, write_atomic
from kb_engine.core.ids import COMMENT_ID_TEXT

KINDS = ("git", "mail", "webhook")
_NAME = re.compile(rf"\A({COMMENT_ID_TEXT})\.([a-z]+)\.json\Z")


@dataclass(frozen=True)
class Job:
    comment: str  # the comment id
    kind: str
    created: str  # ISO 8601
    attempts: int = 0
    next_try: float = 0.0  # Unix time; 0: now
    last_error: str | None = None

    def file_name(self) -> str:
        return f"{self.comment}.{self.kind}.json"

    def failed(self, error: str, now: float, first: float, longest: float) -> Job:
        """This job after one more failed attempt: the next try doubles the wait, up to ``longest``."""
        attempts = self.attempts + 1
        wait = min(longest, first * 2 ** min(attempts - 1, 30))
        return replace(self, attempts=attempts, next_try=now + wait, last_error=error)


def job_path(folder: Path, comment_id: str, kind: str) -> Path:
    return folder / f"{comment_id}.{kind}.json"


def write_job(folder: Path, job: Job) -> None:
    write_atomic(folder / job.file_name(), (json.dumps(asdict(job), sort_keys=True) + "\n").encode())


def new_job(folder: Path, comment_id: str, kind: str, now: dt.datetime) -> Job:
    if kind not in KINDS:
        raise ValueError(f"unknown outbox job kind {kind!r}")
    job = Job(comment_id, kind, now.isoformat(timespec="seconds"))
    write_job(folder, job)
    return job


def read_jobs(folder: Path) -> tuple[list[Job], list[str]]:
    """The jobs in ``folder`` (oldest first) and one line per file that is not a job."""
    jobs: list[Job] = []
    problems: list[str] = []
    if not folder.is_dir():
        return jobs, problems
    for path in sorted(folder.iterdir()):
        if is_temp_file(path) or path.name.startswith("."):
            continue
        match = _NAME.match(path.name)
        try:
            raw: Any = json.loads(path.read_bytes())
            job = Job(**raw)
        except (OSError, ValueError, TypeError) as error:
            problems.append(f"{path}: not an outbox job ({error})")
            continue
        if not match or (match.group(1), match.group(2)) != (job.comment, job.kind) or job.kind not in KINDS:
            problems.append(f"{path}: the name does not match its comment and kind")
            continue
        jobs.append(job)
    jobs.sort(key=lambda j: (j.created, j.comment, j.kind))
    return jobs, problems
