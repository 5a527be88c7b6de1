"""What the operator sees: flags named as typed, options in any position, private key files,
the comments folder honoured by every writer, and git delivery saying what it ignores."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kb_engine.comments.identity import KEY_FILE_ENV, MissingKey, load_key
from kb_engine.core.manifest import Manifest, PostEntry
from kb_engine.core.paths import (
    DEFAULT_DIRECTORY,
    CommentsDirectoryError,
    directory_in_config_text,
    directory_problem,
)
from kb_engine.intake.gitdelivery import GitDelivery
from kb_engine.intake.queue import Queue
from kb_engine.intake.serve import ignored_notifications, load_settings, parse_args
from kb_engine.intake.settings import GitSettings, IntakeSettings, NotifySettings, SettingsError
from kb_engine.intake.validation import Submission, check_submission
from kb_engine.moderation import actions

KEY = b"a-test-key-of-enough-length"
NOW = dt.datetime(2026, 11, 26, 10, 30, tzinfo=dt.UTC)
MANIFEST = Manifest("https://kb.example.org/", {"p": PostEntry("p", "P", "https://kb.example.org/blog/p/")})
GIT_ENV = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def start_problems(tmp_path: Path, argv: list[str], **environ: str) -> list[str]:
    base = {"KB_INTAKE_QUEUE": str(tmp_path / "q"), "KB_COMMENT_KEY": KEY.decode()}
    with pytest.raises(SettingsError) as error:
        load_settings(parse_args(argv), {**base, **environ})
    return error.value.problems


def test_a_wrong_value_is_named_by_the_flag_typed_or_the_variable_set(tmp_path: Path) -> None:
    manifest = tmp_path / "none.json"
    by_flag = start_problems(tmp_path, ["--manifest", str(manifest), "--rate", "abc", "--max-bytes", "x",
                                        "--git-remote", "relative/path"])
    assert any(p.startswith("--rate abc: expected N/SECONDS") for p in by_flag), by_flag
    assert any(p.startswith("--max-bytes x: expected a whole number") for p in by_flag), by_flag
    assert any(p.startswith("--git-remote relative/path: a local remote") for p in by_flag), by_flag
    assert not any("KB_INTAKE_RATE" in p or "KB_INTAKE_MAX_BYTES" in p for p in by_flag), by_flag
    by_variable = start_problems(tmp_path, ["--manifest", str(manifest)], KB_INTAKE_RATE="abc")
    assert any(p.startswith("KB_INTAKE_RATE=abc: expected N/SECONDS") for p in by_variable), by_variable


def test_secret_files_others_may_read_are_refused_naming_the_variable(tmp_path: Path) -> None:
    token = tmp_path / "token"
    token.write_text("ghp_secret\n")
    token.chmod(0o644)
    found = start_problems(tmp_path, ["--manifest", str(tmp_path / "none.json")],
                           KB_INTAKE_GIT_REMOTE="git@github.com:o/s.git", KB_INTAKE_GIT_TOKEN_FILE=str(token))
    assert f"KB_INTAKE_GIT_TOKEN_FILE={token}: readable by others (mode 644): chmod 600 {token}" in found
    assert not any(p.startswith("KB_INTAKE_GIT_TOKEN:") or "KB_INTAKE_GIT_TOKEN/" in p for p in found)
    key = tmp_path / "comment-key"
    key.write_text("k" * 32)
    key.chmod(0o640)
    with pytest.raises(MissingKey, match=rf"^{KEY_FILE_ENV}=.*: readable by others \(mode 640\);.*chmod 600"):
        load_key({KEY_FILE_ENV: str(key)})
    key.chmod(0o600)
    assert load_key({KEY_FILE_ENV: str(key)}) == b"k" * 32


def test_git_delivery_says_which_notification_settings_it_ignores(tmp_path: Path) -> None:
    git = GitSettings("git@github.com:o/s.git", tmp_path / "clone")
    queue_mode = IntakeSettings(queue_dir=tmp_path, manifest=lambda: MANIFEST, key=KEY,
                                notify=NotifySettings(webhook_url="https://hooks.example/x"))
    assert ignored_notifications(queue_mode, {"KB_INTAKE_WEBHOOK_URL": "https://hooks.example/x"}) is None
    git_mode = IntakeSettings(queue_dir=tmp_path, manifest=lambda: MANIFEST, key=KEY, git=git)
    assert ignored_notifications(git_mode, {}) is None
    line = ignored_notifications(git_mode, {"KB_INTAKE_SMTP": "mail.example.org:587",
                                            "KB_INTAKE_WEBHOOK_URL_FILE": "/run/hook"})
    assert line is not None and "\n" not in line
    assert line.startswith("git delivery: ignoring KB_INTAKE_SMTP, KB_INTAKE_WEBHOOK_URL_FILE: ")
    assert "queue mode only" in line


def queued(tmp_path: Path, **change: object) -> tuple[Queue, str]:
    queue = Queue(tmp_path / "queue")
    queue.prepare()
    fields = {"post": "p", "author": "Ann", "email": "ann@example.com", "comment": "Hello", **change}
    result = check_submission(fields, MANIFEST)
    assert isinstance(result, Submission)
    stored = queue.add(result, "127.0.0.1", NOW, key=KEY)
    assert stored.comment is not None
    return queue, stored.comment.id


def run(module: str, *args: str, cwd: Path, **environ: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KB_COMMENT_KEY", "KB_INTAKE"))}
    return subprocess.run([sys.executable, "-m", module, *args], capture_output=True, text=True,
                          env={**env, **environ}, cwd=cwd, check=False, timeout=60)


def test_options_work_before_and_after_the_subcommand(tmp_path: Path) -> None:
    queue, comment_id = queued(tmp_path)
    for args in (["--queue", str(queue.root), "list"], ["list", "--queue", str(queue.root)]):
        listed = run("kb_engine.moderation.cli", *args, cwd=tmp_path)
        assert listed.returncode == 0 and comment_id in listed.stdout, (args, listed.stderr)
    repo = tmp_path / "repo"
    approved = run("kb_engine.moderation.cli", "approve", comment_id, "--repo", str(repo),
                   "--queue", str(queue.root), cwd=tmp_path, KB_COMMENT_KEY=KEY.decode())
    assert approved.returncode == 0, approved.stderr
    assert (repo / "comments" / "p" / f"{comment_id}.yml").is_file()
    for args in (["--queue", str(tmp_path), "list"], ["list", "--queue", str(tmp_path)],
                 ["retry", "--queue", str(tmp_path)]):
        outbox = run("kb_engine.intake.outbox", *args, cwd=tmp_path)
        assert outbox.returncode == 0 and "unrecognized" not in outbox.stderr, (args, outbox.stderr)
        assert str(tmp_path / "outbox") in outbox.stdout


def test_a_world_readable_key_file_stops_moderate_with_one_line(tmp_path: Path) -> None:
    queue, comment_id = queued(tmp_path)
    key = tmp_path / "key"
    key.write_text("k" * 32)
    key.chmod(0o644)
    done = run("kb_engine.moderation.cli", "--queue", str(queue.root), "--repo", str(tmp_path / "repo"),
               "approve", comment_id, cwd=tmp_path, KB_COMMENT_KEY_FILE=str(key))
    assert done.returncode == 1 and len(done.stderr.splitlines()) == 1, done.stderr
    assert done.stderr.startswith(f"moderate: error: {KEY_FILE_ENV}={key}: readable by others (mode 644)")
    assert not (tmp_path / "repo" / "comments").exists()


# -- the comments folder: one resolver --------------------------------------------

def test_the_directory_comes_from_mkdocs_yml_and_must_stay_inside(tmp_path: Path) -> None:
    assert directory_in_config_text(None) == DEFAULT_DIRECTORY
    assert directory_in_config_text("site_name: x\n") == DEFAULT_DIRECTORY
    nested = "plugins:\n  - kb-comments:\n      directory: content/replies/\n"
    assert directory_in_config_text(nested) == "content/replies"
    tagged = ("markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material."
              "extensions.emoji.twemoji\nsite_dir: !ENV [SITE, site]\n"
              "plugins:\n  - kb-comments:\n      directory: talk\n")
    assert directory_in_config_text(tagged) == "talk"
    for bad in ("../elsewhere", "/etc", "a/../../b", ".", "", "C:/x"):
        with pytest.raises(CommentsDirectoryError, match=r"^mkdocs\.yml: plugins\.kb-comments\.directory: "):
            directory_in_config_text(f"plugins:\n  - kb-comments:\n      directory: '{bad}'\n")
    with pytest.raises(CommentsDirectoryError, match=r"^mkdocs\.yml:3: cannot read it as YAML"):
        directory_in_config_text("plugins:\n  - kb-comments: [\n")
    # What would stop a YAML reader with a traceback is one line, as the content check says it.
    for hostile, said in (("extra:\n  x: " + "9" * 5000 + "\n", r"mkdocs\.yml:2: .*more than 100 digits"),
                          ("a: " + "[" * 5000 + "]" * 5000 + "\n", r"mkdocs\.yml:1: .*nested more than"),
                          ("a: \x07\n", r"mkdocs\.yml:1: holds a control character \(U\+0007\)")):
        with pytest.raises(CommentsDirectoryError, match=f"^{said}"):
            directory_in_config_text(hostile)
    # A repeated key is MkDocs' to allow: the last one wins, as MkDocs reads it.
    repeated = "plugins:\n  - kb-comments:\n      directory: a\n      directory: b\n"
    assert directory_in_config_text(repeated) == "b"


@settings(max_examples=60, deadline=None)
@given(st.text(st.characters(codec="utf-8"), max_size=30) | st.from_regex(r"[a-z./\\]{1,12}", fullmatch=True))
def test_any_directory_value_is_a_folder_inside_the_project_or_one_clean_error(value: str) -> None:
    text = yaml.safe_dump({"plugins": [{"kb-comments": {"directory": value}}]}, allow_unicode=True)
    try:
        found = directory_in_config_text(text)
    except CommentsDirectoryError as error:
        assert "\n" not in str(error) and directory_problem(value) is not None
        return
    assert not found.startswith("/") and ".." not in found.split("/") and found not in ("", ".")


def seed_repository(root: Path, directory: str) -> Path:
    """A bare site repository whose mkdocs.yml keeps comments in ``directory``."""
    bare = root / "site.git"
    work = root / "seed"
    for args in (["init", "-q", "--bare", "--initial-branch=main", str(bare)],
                 ["init", "-q", "--initial-branch=main", str(work)]):
        subprocess.run(["git", *args], check=True, env=GIT_ENV)
    (work / "mkdocs.yml").write_text(f"site_name: S\nplugins:\n  - kb-comments:\n"
                                     f"      directory: {directory}\n")
    commit = ["-c", "user.name=O", "-c", "user.email=o@example.org", "commit", "-qm", "Site"]
    for args in (["add", "."], commit, ["push", "-q", str(bare), "main"]):
        subprocess.run(["git", *args], cwd=work, check=True, env=GIT_ENV, capture_output=True)
    return bare


def test_moderate_approve_and_git_delivery_write_into_the_configured_folder(tmp_path: Path) -> None:
    queue, comment_id = queued(tmp_path)
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "mkdocs.yml").write_text("plugins:\n  - kb-comments:\n      directory: content/talk\n")
    approval = actions.approve(queue, repo, comment_id, KEY, commit=False)
    assert approval.path == repo / "content" / "talk" / "p" / f"{comment_id}.yml"
    (repo / "mkdocs.yml").write_text("plugins:\n  - kb-comments:\n      directory: ../out\n")
    outside = r"plugins\.kb-comments\.directory: '\.\./out' must be a folder"
    with pytest.raises(actions.ModerationError, match=outside):
        actions.approve(queue, repo, comment_id, KEY, commit=False)

    bare = seed_repository(tmp_path, "talk")
    _, comment = queue.find(comment_id)  # type: ignore[misc]
    delivered = GitDelivery(GitSettings(str(bare), tmp_path / "clone"), KEY).deliver(comment)
    files = subprocess.run(["git", "--git-dir", str(bare), "diff-tree", "--no-commit-id", "--name-only", "-r",
                            delivered.branch and f"refs/heads/{delivered.branch}"],
                           capture_output=True, text=True, check=True, env=GIT_ENV).stdout.split()
    assert files == [f"talk/p/{comment_id}.yml"]
