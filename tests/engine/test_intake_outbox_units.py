"""The outbox's pure parts: back-off, job files, the worker lock, and git's errors made into one line."""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kb_engine.intake.gitdelivery import GitDelivery
from kb_engine.intake.jobs import Job, new_job, read_jobs
from kb_engine.intake.outbox import Outbox
from kb_engine.intake.settings import GitSettings, IntakeSettings, NotifySettings, SmtpSettings

KEY = b"a-test-key-of-enough-length"
NOW = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)


def test_back_off_doubles_up_to_the_longest_wait() -> None:
    job = Job("20261129-aaaaaaaa", "git", NOW.isoformat())
    waits = []
    for _ in range(8):
        job = job.failed("down", 1000.0, first=5, longest=60)
        waits.append(job.next_try - 1000.0)
    assert waits == [5, 10, 20, 40, 60, 60, 60, 60] and job.attempts == 8 and job.last_error == "down"


def test_job_files_round_trip_and_strangers_are_named(tmp_path: Path) -> None:
    new_job(tmp_path, "20261129-aaaaaaaa", "git", NOW)
    new_job(tmp_path, "20261129-bbbbbbbb", "mail", NOW)
    (tmp_path / "junk.git.json").write_text("{")
    (tmp_path / "20261129-cccccccc.git.json").write_text(
        '{"comment": "20261129-dddddddd", "kind": "git", "created": "x"}'
    )
    jobs, problems = read_jobs(tmp_path)
    assert [(j.comment, j.kind) for j in jobs] == [
        ("20261129-aaaaaaaa", "git"),
        ("20261129-bbbbbbbb", "mail"),
    ]
    assert len(problems) == 2 and all(str(tmp_path) in p for p in problems)
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in tmp_path.glob("2026*[ab].*.json"))


def test_a_second_worker_waits_its_turn(tmp_path: Path) -> None:
    settings = IntakeSettings(
        queue_dir=tmp_path,
        manifest=tmp_path / "m.json",
        key=KEY,
        notify=NotifySettings(smtp=SmtpSettings("127.0.0.1", 9, "a@b.c", ("d@e.f",))),
    )
    outbox = Outbox(settings)
    outbox.folder.mkdir()
    new_job(outbox.folder, "20261129-aaaaaaaa", "mail", NOW)  # its comment is not in the queue
    fd = os.open(outbox.folder / ".worker.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # another worker is at it
        assert outbox.drain() == 0 and len(read_jobs(outbox.folder)[0]) == 1
    finally:
        os.close(fd)
    assert outbox.drain() == 0 and read_jobs(outbox.folder)[0] == []  # dropped: never acknowledged


def test_the_outbox_command_lists_and_retries(tmp_path: Path) -> None:
    folder = tmp_path / "outbox"
    folder.mkdir()
    from kb_engine.intake.jobs import write_job

    write_job(
        folder,
        Job(
            "20261129-aaaaaaaa",
            "webhook",
            NOW.isoformat(),
            3,
            4_000_000_000.0,
            "KB_INTAKE_WEBHOOK_URL: cannot reach the webhook (\x1b[31mrefused)",
        ),
    )

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "kb_engine.intake.outbox", "--queue", str(tmp_path), *args],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )

    listed = run("list")
    assert (
        listed.returncode == 0
        and "20261129-aaaaaaaa  webhook  since 2026-11-29T12:00:00+00:00  attempts 3" in listed.stdout
        and "next try in" in listed.stdout
    )
    assert "\x1b" not in listed.stdout and "\\x1b[31mrefused" in listed.stdout
    assert run("retry").returncode == 0
    assert "due now" in run("list").stdout
    empty = subprocess.run(
        [sys.executable, "-m", "kb_engine.intake.outbox", "--queue", str(tmp_path / "none"), "list"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert empty.returncode == 0 and "Nothing waits" in empty.stdout


def test_git_errors_become_one_line_naming_the_setting(tmp_path: Path) -> None:
    key = tmp_path / "key"
    delivery = GitDelivery(GitSettings("git@github.com:o/s.git", tmp_path / "clone", key), KEY)
    remote = "KB_INTAKE_GIT_REMOTE=git@github.com:o/s.git"
    protected = (
        "remote: error: GH006: Protected branch update failed for refs/heads/comment/x.\n"
        "To github.com:o/s.git\n ! [remote rejected] comment/x -> comment/x (protected branch hook declined)"
    )
    cases = {
        protected: f"{remote}: the push was refused (GH006: Protected branch update",
        "git@github.com: Permission denied (publickey).\nfatal: Could not read from remote repository.": (
            f"KB_INTAKE_GIT_SSH_KEY={key}: git@github.com:o/s.git refused the deploy key"
        ),
        "ERROR: Repository not found.\nfatal: Could not read from remote repository.": (
            f"{remote}: no repository there"
        ),
        "error: unable to write file: No space left on device": (
            f"KB_INTAKE_GIT_CLONE={tmp_path / 'clone'}: the disk is full"
        ),
        "ssh: Could not resolve hostname github.com: Temporary failure in name resolution": (
            f"{remote}: cannot reach the remote"
        ),
    }
    for stderr, start in cases.items():
        line = delivery._explain("push", stderr)
        assert line.startswith(start) and "\n" not in line, line
    token = GitDelivery(GitSettings("https://github.com/o/s.git", tmp_path / "c2", token="t0ken"), KEY)  # noqa: S106
    assert "_TOKEN" in token._explain(
        "push", "fatal: Authentication failed for 'https://github.com/o/s.git/'"
    )
    assert token._env()["GIT_CONFIG_KEY_0"] == "http.extraHeader" and "t0ken" not in repr(token.settings)


def test_a_git_job_waits_while_no_remote_is_set_and_is_never_dropped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from kb_engine.intake.queue import Queue
    from kb_engine.intake.validation import Submission
    from kb_engine.moderation import actions

    queue = Queue(tmp_path)
    queue.prepare()
    stored = queue.add(
        Submission("p", "Ann", "ann@example.com", None, "<p>Hi</p>", None, 0),
        "127.0.0.1",
        NOW,
        key=KEY,
        jobs=("git",),
    )
    assert stored.comment is not None
    outbox = Outbox(IntakeSettings(queue_dir=tmp_path, manifest=tmp_path / "m.json", key=KEY))
    with caplog.at_level("WARNING", logger="kb_engine.intake.outbox"):
        assert outbox.drain() == 0 and outbox.drain() == 0
    assert len(read_jobs(outbox.folder)[0]) == 1
    reminders = [r for r in caplog.records if "KB_INTAKE_GIT_REMOTE is not set" in r.getMessage()]
    assert len(reminders) == 1  # once, not every pass
    # Delivered comments are published by merging, not by the moderation command.
    queue.move(stored.comment.id, "delivered")
    with pytest.raises(actions.ModerationError, match="merge its pull request"):
        actions.approve(queue, tmp_path / "repo", stored.comment.id, KEY, commit=False)
