"""The durable outbox: work left to do for accepted comments, done exactly once per comment.

When the service accepts a comment it writes, under the queue's lock and
before it answers, one job file per piece of work (:mod:`kb_engine.intake.jobs`):
push it as a branch (git mode), or tell the moderators by e-mail and webhook
(queue mode). A background worker in the service process drains the
outbox; a job that fails waits with back-off (doubling, up to a limit) and
keeps its last error, so ``python3 dev.py outbox list`` shows what waits and
why. Everything is in files written atomically, so a ``kill -9`` or a
restart loses nothing: the next worker picks up where the last one stopped.

Exactly once: a pass over the outbox holds ``outbox/.worker.lock`` (a
non-blocking ``flock``), so two service processes on one queue never work on
the same job at once; and git delivery checks the remote for the comment's
branch before pushing, so an attempt whose answer was lost in a crash is not
repeated. Notifications are sent at least once (a crash right after sending
sends again); they give up after a day, the comment itself is never dropped.

``python -m kb_engine.intake.outbox --queue DIR list|retry`` is the command line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import fcntl
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from kb_engine.cli.anywhere import shared_options
from kb_engine.cli.program import command_prog
from kb_engine.core.manifest import Manifest
from kb_engine.intake.commentfile import UnsafeName
from kb_engine.intake.gitdelivery import DeliveryError, GitDelivery
from kb_engine.intake.jobs import Job, job_path, read_jobs, write_job
from kb_engine.intake.notify import NotifyError, send_mail, send_webhook, summary
from kb_engine.intake.queue import DELIVERED, OUTBOX, PENDING, QUEUE_ENV_DEFAULT, Queue, QueuedComment
from kb_engine.intake.safetext import safe_text
from kb_engine.intake.settings import GIT_REMOTE_ENV, QUEUE_ENV, IntakeSettings, RetrySettings, SettingsError

NOTIFY_GIVE_UP = 24 * 3600.0  # seconds after which a notification that keeps failing is dropped
UNCONFIGURED_PAUSE = 3600.0  # seconds between reminders of a git job while no remote is set
log = logging.getLogger("kb_engine.intake.outbox")


class Outbox:
    def __init__(self, settings: IntakeSettings, manifest: Callable[[], Manifest] | None = None) -> None:
        self.settings = settings
        self.queue = Queue(settings.queue_dir)
        self.folder = settings.queue_dir / OUTBOX
        self.manifest = manifest
        self.git = GitDelivery(settings.git, settings.key) if settings.git else None
        self._held_back: dict[str, float] = {}  # job file -> next try, when its file cannot be rewritten

    def drain(self, now: Callable[[], float] = time.time) -> int:
        """Do every job that is due; returns how many were done. Skips if another worker is at it."""
        self.folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.folder / ".worker.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return 0
            if self.git is not None:
                self.git.cleanup()
            jobs, problems = read_jobs(self.folder)
            for problem in problems:
                log.warning("%s", problem)
            done = 0
            for job in jobs:
                moment = now()
                if job.next_try > moment or self._held_back.get(job.file_name(), 0.0) > moment:
                    continue
                done += self._run(job, moment)
            return done
        finally:
            os.close(fd)

    def _run(self, job: Job, now: float) -> int:
        with self.queue.locked():  # a comment being added is either whole or absent under the lock
            found = self.queue.find(job.comment)
        path = job_path(self.folder, job.comment, job.kind)
        if found is None:
            log.warning("comment %s: dropped its %s job: the comment is not in the queue "
                        "(it was never acknowledged)", job.comment, job.kind)
            path.unlink(missing_ok=True)
            return 0
        state, comment = found
        if job.kind == "git" and self.git is None:
            # Accepted in git mode, and the service now runs without a remote:
            # keep the job for when one is set again; dev.py moderate can publish it meanwhile.
            self._held_back[job.file_name()] = now + UNCONFIGURED_PAUSE
            log.warning("comment %s: waits for git delivery, but %s is not set; it stays in the queue "
                        "(dev.py moderate can publish it)", comment.id, GIT_REMOTE_ENV)
            return 0
        try:
            if job.kind == "git":
                self._deliver(state, comment)
            elif self._expired(job, now):
                log.error("comment %s: gave up the %s notification after %d attempts; last error: %s",
                          comment.id, job.kind, job.attempts, job.last_error)
            else:
                self._notify(job.kind, comment)
        except (DeliveryError, NotifyError, UnsafeName) as error:
            self._failed(job, str(error), now)
            return 0
        except OSError as error:
            where = "the disk is full" if error.errno in (errno.ENOSPC, errno.EDQUOT) else error.strerror
            self._failed(job, f"{QUEUE_ENV}={self.settings.queue_dir}: {where} ({error.filename or 'queue'})",
                         now)
            return 0
        path.unlink(missing_ok=True)
        self._held_back.pop(job.file_name(), None)
        return 1

    def _deliver(self, state: str, comment: QueuedComment) -> None:
        assert self.git is not None
        if state not in (PENDING, DELIVERED):
            log.info("comment %s: not delivered, a moderator marked it %s", comment.id, state)
            return
        result = self.git.deliver(comment)
        if state == PENDING:
            self.queue.move(comment.id, DELIVERED)
        what = f"pushed {result.commit[:12]} as" if result.commit else "already on the remote as"
        log.info("comment %s: %s branch %s of %s", comment.id, what, result.branch, self.git.remote)

    def _notify(self, kind: str, comment: QueuedComment) -> None:
        manifest = self.manifest() if self.manifest else None
        entry = manifest.posts.get(comment.post) if manifest else None
        subject, body = summary(comment, entry.title if entry else None, entry.url if entry else None,
                                manifest.date_style() if manifest else None)
        notify = self.settings.notify
        if kind == "mail" and notify.smtp is not None:
            send_mail(notify.smtp, subject, body)
        elif kind == "webhook" and notify.webhook_url is not None:
            send_webhook(notify.webhook_url, subject, body)
        else:
            log.warning("comment %s: dropped its %s job: that notification is not configured any more",
                        comment.id, kind)
            return
        held = " (HELD)" if comment.held else ""
        log.info("comment %s: moderators notified by %s%s", comment.id, kind, held)

    def _expired(self, job: Job, now: float) -> bool:
        try:
            created = dt.datetime.fromisoformat(job.created).timestamp()
        except ValueError:
            return True
        return job.attempts > 0 and now - created > NOTIFY_GIVE_UP

    def _failed(self, job: Job, error: str, now: float) -> None:
        retry: RetrySettings = self.settings.retry
        failed = job.failed(error, now, retry.first, retry.longest)
        wait = failed.next_try - now
        log.warning("comment %s: %s (attempt %d; kept, next try in %.0f s)", job.comment, error,
                    failed.attempts, wait)
        try:
            write_job(self.folder, failed)
        except OSError as write_error:
            self._held_back[job.file_name()] = failed.next_try
            log.warning("comment %s: cannot record the attempt in %s (%s); kept, retried in %.0f s",
                        job.comment, self.folder, write_error.strerror, wait)


class Worker(threading.Thread):
    """Drains the outbox in the background: every second, and at once when woken."""

    def __init__(self, outbox: Outbox, interval: float = 1.0) -> None:
        super().__init__(name="outbox-worker", daemon=True)
        self.outbox = outbox
        self.interval = interval
        self._wake = threading.Event()
        self._stop = threading.Event()

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    def run(self) -> None:
        while not self._stop.is_set():
            try:
                self.outbox.drain()
            except Exception:  # the worker must outlive any one bad pass
                log.exception("outbox pass failed; trying again")
            self._wake.wait(self.interval)
            self._wake.clear()


def describe(job: Job, now: float) -> str:
    due = "due now" if job.next_try <= now else f"next try in {job.next_try - now:.0f} s"
    error = f"\n    last error: {safe_text(job.last_error)}" if job.last_error else ""
    return f"{job.comment}  {job.kind:<7}  since {job.created}  attempts {job.attempts}  {due}{error}"


def work(queue: str) -> int:
    from kb_engine.intake.app import manifest_source  # the app's manifest reader, only for this command

    env = dict(os.environ)
    env[QUEUE_ENV] = queue
    try:
        settings = IntakeSettings.from_env(env)
        manifests = manifest_source(settings)
    except SettingsError as error:
        for problem in error.problems:
            print(f"outbox: error: {problem}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    worker = Worker(Outbox(settings, manifests.current))
    try:
        worker.run()
    except KeyboardInterrupt:
        pass
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=command_prog("outbox"),
                                     description="What waits in the comment intake's outbox, and why.")
    common = shared_options(parser, (("--queue",), {
        "default": os.environ.get(QUEUE_ENV) or QUEUE_ENV_DEFAULT,
        "help": f"the moderation queue (${QUEUE_ENV}; default {QUEUE_ENV_DEFAULT})"}))
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("list", help="list the waiting jobs: comment, kind, attempts, next try, last error",
                   parents=[common])
    sub.add_parser("retry", help="make every waiting job due now (the running service picks them up)",
                   parents=[common])
    sub.add_parser("work", help="drain the outbox in the foreground, with the service's settings "
                   "(only when the service runs without its worker)", parents=[common])
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.action == "work":
        return work(args.queue)
    folder = Path(args.queue).resolve() / OUTBOX
    if not folder.is_dir():
        print(f"Nothing waits in {folder} (there is no outbox yet).")
        return 0
    jobs, problems = read_jobs(folder)
    for problem in problems:
        print(f"outbox: error: {problem}", file=sys.stderr)
    if args.action == "retry":
        fd = os.open(folder / ".worker.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # not while a worker rewrites them
            jobs, _ = read_jobs(folder)
            for job in jobs:
                write_job(folder, Job(job.comment, job.kind, job.created, job.attempts, 0.0, job.last_error))
        finally:
            os.close(fd)
        print(f"{len(jobs)} job(s) due now in {folder}")
        return 1 if problems else 0
    if not jobs:
        print(f"Nothing waits in {folder}.")
    now = time.time()
    for job in jobs:
        print(describe(job, now))
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
