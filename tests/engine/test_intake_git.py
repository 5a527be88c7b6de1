"""Git delivery against a real git server on loopback (``git daemon`` serving a bare repository).

Every acknowledged comment must arrive exactly once, as its own branch
adding one file, whatever happens to the server or the service on the way.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml

from intake_server import KEY, POST_ID, Intake, comment, free_port, running_intake, write_manifest
from kb_engine.comments.identity import email_hash

RETRY = ("--retry", "0.2/1")


def git(*args: str, cwd: Path | None = None) -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True, env=env,
                          timeout=60).stdout


def bare_site(root: Path) -> Path:
    """A bare repository with one commit on main, like the site's repository."""
    bare = root / "served" / "site.git"
    git("init", "--quiet", "--bare", "--initial-branch=main", str(bare))
    work = root / "seed"
    git("init", "--quiet", "--initial-branch=main", str(work))
    (work / "comments").mkdir()
    (work / "comments" / "README").write_text("Approved comments.\n")
    git("add", ".", cwd=work)
    git("-c", "user.name=Owner", "-c", "user.email=owner@example.org", "commit", "--quiet", "-m", "Site",
        cwd=work)
    git("push", "--quiet", str(bare), "main", cwd=work)
    return bare


@contextmanager
def git_daemon(base: Path, port: int) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(
        ["git", "daemon", f"--base-path={base}", "--export-all", "--enable=receive-pack", "--reuseaddr",
         "--informative-errors", "--listen=127.0.0.1", f"--port={port}", str(base)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("git daemon did not start") from None
                time.sleep(0.05)
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(15)


def branches(bare: Path) -> list[str]:
    return git("--git-dir", str(bare), "for-each-ref", "--format=%(refname:short)", "refs/heads/").split()


def wait_for(condition: Callable[[], bool], timeout: float = 60, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def jobs(queue: Path) -> list[dict[str, object]]:
    folder = queue / "outbox"
    return [json.loads(p.read_bytes()) for p in folder.glob("*.json")] if folder.is_dir() else []


def send(intake: Intake, n: int, tag: str) -> str:
    reply = intake.post_json(comment(f"Comment {n} of run {tag}.", email=f"reader{n}@example.com"),
                             client=f"10.9.0.{n}")
    assert reply.status == 202, reply.text
    return str(reply.json()["id"])


def test_every_acknowledged_comment_arrives_once_through_outages_and_kill_9(tmp_path: Path) -> None:
    bare = bare_site(tmp_path)
    main_before = git("--git-dir", str(bare), "rev-parse", "main").strip()
    port = free_port()
    remote = {"KB_INTAKE_GIT_REMOTE": f"git://127.0.0.1:{port}/site.git"}
    manifest = write_manifest(tmp_path / "site" / "comments" / "posts.json")
    queue = tmp_path / "queue"
    acknowledged: list[str] = []

    with git_daemon(bare.parent, port) as daemon, \
            running_intake(queue, manifest, env=remote, args=RETRY) as one:
        acknowledged += [send(one, n, "a") for n in range(4)]
        wait_for(lambda: len(branches(bare)) == 5, what="the first branches")
        # The server goes away mid-run: comments are still acknowledged, and wait.
        os.killpg(daemon.pid, signal.SIGKILL)
        daemon.wait(15)
        acknowledged += [send(one, n, "b") for n in range(4, 10)]
        wait_for(lambda: any(j.get("last_error") for j in jobs(queue)), what="a failed attempt")
        one.kill()  # kill -9 while deliveries wait for their retry
    assert len(jobs(queue)) == 6
    log = one.log_text()
    assert f"KB_INTAKE_GIT_REMOTE=git://127.0.0.1:{port}/site.git: cannot reach the remote" in log
    assert "Traceback" not in log

    # Server and service back (two service processes on one queue): each comment once.
    with git_daemon(bare.parent, port), running_intake(queue, manifest, env=remote, args=RETRY), \
            running_intake(queue, manifest, env=remote, args=RETRY):
        wait_for(lambda: not jobs(queue), what="an empty outbox")
    expected = sorted(f"comment/{POST_ID}/{c}" for c in acknowledged)
    assert sorted(b for b in branches(bare) if b != "main") == expected
    assert git("--git-dir", str(bare), "rev-parse", "main").strip() == main_before  # main never touched
    for n, comment_id in enumerate(acknowledged):
        branch = f"comment/{POST_ID}/{comment_id}"
        changed = git("--git-dir", str(bare), "diff", "--name-status", "main", branch).splitlines()
        assert changed == [f"A\tcomments/{POST_ID}/{comment_id}.yml"]
        text = git("--git-dir", str(bare), "show", f"{branch}:comments/{POST_ID}/{comment_id}.yml")
        assert "@" not in text
        data = yaml.safe_load(text)
        assert data["id"] == comment_id and data["email_hash"] == email_hash(f"reader{n}@example.com",
                                                                              KEY.encode())
    assert sorted(p.stem for p in (queue / "delivered").glob("*.json")) == sorted(acknowledged)
    for path in [queue, *queue.rglob("*")]:  # the service's clone is as private as the queue
        if not path.is_symlink():
            assert path.stat().st_mode & 0o077 == 0, path


def test_a_refused_push_and_a_missing_repository_are_one_line_each_and_the_comment_waits(
        tmp_path: Path) -> None:
    bare = bare_site(tmp_path)
    hook = bare / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'protected: pushes are not allowed here' >&2\nexit 1\n")
    hook.chmod(0o755)
    port = free_port()
    manifest = write_manifest(tmp_path / "site" / "comments" / "posts.json")
    queue = tmp_path / "queue"
    remote = f"git://127.0.0.1:{port}/site.git"
    with git_daemon(bare.parent, port), \
            running_intake(queue, manifest, env={"KB_INTAKE_GIT_REMOTE": remote}, args=RETRY) as intake:
        held = send(intake, 1, "refused")
        wait_for(lambda: any(int(str(j.get("attempts", 0))) >= 2 for j in jobs(queue)),
                 what="two refused pushes")
        line = next(x for x in intake.log_text().splitlines() if "push was refused" in x)
        assert f"comment {held}: KB_INTAKE_GIT_REMOTE={remote}: the push was refused (" in line
        assert "protected: pushes are not allowed here" in line and "kept, next try in" in line
        assert branches(bare) == ["main"]
        hook.unlink()  # the owner fixes the branch protection: the comment arrives
        wait_for(lambda: not jobs(queue), what="delivery after the fix")
        assert f"comment/{POST_ID}/{held}" in branches(bare)

    missing = f"git://127.0.0.1:{port}/no-such-site.git"
    queue2 = tmp_path / "queue2"
    with git_daemon(bare.parent, port), \
            running_intake(queue2, manifest, env={"KB_INTAKE_GIT_REMOTE": missing}, args=RETRY) as intake:
        send(intake, 2, "missing")
        wait_for(lambda: any(j.get("last_error") for j in jobs(queue2)), what="a failed attempt")
        assert f"KB_INTAKE_GIT_REMOTE={missing}: no repository there" in intake.log_text()
        assert len(jobs(queue2)) == 1 and list((queue2 / "pending").glob("*.json"))
    outbox = subprocess.run([sys.executable, "-m", "kb_engine.intake.outbox", "--queue", str(queue2), "list"],
                            capture_output=True, text=True, check=False, timeout=60)
    assert outbox.returncode == 0 and "git" in outbox.stdout and "attempts" in outbox.stdout
    assert "last error: KB_INTAKE_GIT_REMOTE=" in outbox.stdout


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "small-disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)],
                          capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip("mounting a small tmpfs needs root (simulates a full disk)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_names_the_clone_setting_and_the_comment_waits(tmp_path: Path, small_disk: Path) -> None:
    bare = bare_site(tmp_path)
    port = free_port()
    manifest = write_manifest(tmp_path / "site" / "comments" / "posts.json")
    queue = tmp_path / "queue"
    clone = small_disk / "clone"
    filler = small_disk / "filler"
    with open(filler, "wb", buffering=0) as out:  # fill the disk
        try:
            while True:
                out.write(b"\0" * 4096)
        except OSError:
            pass
    env = {"KB_INTAKE_GIT_REMOTE": f"git://127.0.0.1:{port}/site.git", "KB_INTAKE_GIT_CLONE": str(clone)}
    with git_daemon(bare.parent, port), running_intake(queue, manifest, env=env, args=RETRY) as intake:
        comment_id = send(intake, 3, "full")
        wait_for(lambda: any(j.get("last_error") for j in jobs(queue)), what="a failed attempt")
        assert f"KB_INTAKE_GIT_CLONE={clone}" in intake.log_text()
        assert "full" in intake.log_text() or "No space left" in intake.log_text()
        filler.unlink()
        wait_for(lambda: not jobs(queue), what="delivery once there is room")
        assert f"comment/{POST_ID}/{comment_id}" in branches(bare)


def test_wrong_settings_stop_the_service_with_one_line_each(tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path / "site" / "comments" / "posts.json")
    key = tmp_path / "deploy_key"
    key.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----\n")
    key.chmod(0o644)
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("KB_INTAKE_", "KB_COMMENT_KEY"))},
           "KB_COMMENT_KEY": KEY, "KB_INTAKE_QUEUE": str(tmp_path / "q"), "KB_INTAKE_MANIFEST": str(manifest),
           "KB_INTAKE_GIT_REMOTE": "git@github.com:owner/site.git", "KB_INTAKE_GIT_SSH_KEY": str(key),
           "KB_INTAKE_RATE": "lots", "KB_INTAKE_SMTP": "mail.example.org", "KB_INTAKE_SMTP_TO": "moderators",
           "KB_INTAKE_WEBHOOK_URL": "ftp://hooks.example/", "KB_INTAKE_RETRY": "9/1"}
    done = subprocess.run([sys.executable, "-m", "kb_engine.intake.serve", "--bind", "127.0.0.1:0",
                           "--request-timeout", "never"],
                          capture_output=True, text=True, env=env, check=False, timeout=60)
    assert done.returncode == 2 and done.stdout == ""
    lines = done.stderr.splitlines()
    assert all(line.startswith("intake: error: ") for line in lines), lines
    for words in (f"KB_INTAKE_GIT_SSH_KEY={key}: readable by others (mode 644)", "KB_INTAKE_RATE=lots",
                  "KB_INTAKE_SMTP=mail.example.org: expected HOST:PORT", "KB_INTAKE_SMTP_FROM is not set",
                  "KB_INTAKE_SMTP_TO: expected the moderators' addresses", "KB_INTAKE_WEBHOOK_URL: expected",
                  "KB_INTAKE_RETRY=9/1", "--request-timeout never"):
        assert sum(words in line for line in lines) == 1, (words, lines)
    assert len(lines) == 8, lines
    key.unlink()
    missing = subprocess.run([sys.executable, "-m", "kb_engine.intake.serve", "--bind", "127.0.0.1:0"],
                             capture_output=True, text=True, check=False, timeout=60,
                             env={**env, "KB_INTAKE_RATE": "", "KB_INTAKE_SMTP": "", "KB_INTAKE_SMTP_TO": "",
                                  "KB_INTAKE_WEBHOOK_URL": "", "KB_INTAKE_RETRY": ""})
    assert missing.returncode == 2
    assert missing.stderr.strip() == (f"intake: error: KB_INTAKE_GIT_SSH_KEY={key}: cannot read the "
                                      "deploy key (No such file or directory)")


def test_a_full_queue_disk_answers_503_and_names_the_queue(tmp_path: Path, small_disk: Path) -> None:
    manifest = write_manifest(tmp_path / "site" / "comments" / "posts.json")
    queue = small_disk / "queue"
    with running_intake(queue, manifest) as intake:
        filler = small_disk / "filler"
        with open(filler, "wb", buffering=0) as out:
            try:
                while True:
                    out.write(b"\0" * 4096)
            except OSError:
                pass
        reply = intake.post_json(comment("No room."), client="10.9.9.1")
        assert reply.status == 503 and reply.headers["retry-after"] == "300"
        assert "try again" in reply.json()["error"]
        line = f"KB_INTAKE_QUEUE={queue}: cannot store a comment (No space left on device)"
        assert line in intake.log_text()
        filler.unlink()
        assert intake.post_json(comment("Room again."), client="10.9.9.2").status == 202
    assert "Traceback" not in intake.log_text()


def test_a_deploy_key_gone_after_start_is_one_line_naming_it_and_the_comment_waits(tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path / "site" / "comments" / "posts.json")
    key = tmp_path / "deploy_key"
    key.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----\n")
    key.chmod(0o600)
    env = {"KB_INTAKE_GIT_REMOTE": f"ssh://git@127.0.0.1:{free_port()}/site.git",
           "KB_INTAKE_GIT_SSH_KEY": str(key)}
    queue = tmp_path / "queue"
    with running_intake(queue, manifest, env=env, args=RETRY) as intake:
        key.unlink()
        comment_id = send(intake, 4, "key")
        wait_for(lambda: any(j.get("last_error") for j in jobs(queue)), what="a failed attempt")
        line = next(x for x in intake.log_text().splitlines() if f"comment {comment_id}:" in x)
        assert f"KB_INTAKE_GIT_SSH_KEY={key}: cannot use the deploy key" in line
        assert (queue / "pending" / f"{comment_id}.json").exists() and len(jobs(queue)) == 1


def test_without_a_key_queue_mode_uses_the_development_key_and_git_mode_refuses(tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path / "site" / "comments" / "posts.json")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("KB_INTAKE_", "KB_COMMENT_KEY"))},
           "KB_INTAKE_QUEUE": str(tmp_path / "q"), "KB_INTAKE_MANIFEST": str(manifest),
           "KB_INTAKE_DEV_KEY_PROJECT": str(tmp_path), "KB_INTAKE_GIT_REMOTE": "git@github.com:o/s.git"}
    refused = subprocess.run([sys.executable, "-m", "kb_engine.intake.serve", "--bind", "127.0.0.1:0"],
                             capture_output=True, text=True, env=env, check=False, timeout=60)
    assert refused.returncode == 2
    assert refused.stderr.startswith("intake: error: no comment key: set KB_COMMENT_KEY")
    assert not (tmp_path / "var").exists()
    del env["KB_INTAKE_GIT_REMOTE"]
    (tmp_path / "site" / "comments" / "posts.json").unlink()
    both = subprocess.run([sys.executable, "-m", "kb_engine.intake.serve", "--bind", "127.0.0.1:0", "--rate", "x"],
                          capture_output=True, text=True, env=env, check=False, timeout=60)
    assert both.returncode == 2 and len(both.stderr.splitlines()) == 2  # every problem, not just the first
    assert "--rate x: expected N/SECONDS" in both.stderr and "cannot read the posts manifest" in both.stderr


def test_queue_mode_falls_back_on_the_development_key_and_says_so(tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path / "site" / "comments" / "posts.json")
    with running_intake(tmp_path / "queue", manifest,
                        env={"KB_COMMENT_KEY": "", "KB_INTAKE_DEV_KEY_PROJECT": str(tmp_path)}) as intake:
        assert send(intake, 5, "dev") and intake.request("GET", "/healthz").status == 200
    key = tmp_path / "var" / "comment-key"
    assert key.stat().st_mode & 0o777 == 0o600
    assert f"using the development comment key {key} (created now, mode 0600)" in intake.log_text()
