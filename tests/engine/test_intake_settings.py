"""Intake settings (each new one), the manifest's closed flag, safe terminal text, the app built in code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kb_engine.core.manifest import Manifest, PostEntry, manifest_json, parse_manifest
from kb_engine.intake.app import create_app
from kb_engine.intake.safetext import safe_text
from kb_engine.intake.settings import IntakeSettings, SettingsError, describe_remote

KEY = "a-test-key-of-enough-length"


def base_env(tmp_path: Path) -> dict[str, str]:
    return {
        "KB_INTAKE_QUEUE": str(tmp_path / "q"),
        "KB_INTAKE_MANIFEST": str(tmp_path / "m.json"),
        "KB_COMMENT_KEY": KEY,
    }


def problems(tmp_path: Path, **change: str) -> list[str]:
    with pytest.raises(SettingsError) as error:
        IntakeSettings.from_env({**base_env(tmp_path), **change})
    return error.value.problems


def test_git_settings(tmp_path: Path) -> None:
    key = tmp_path / "id_ed25519"
    key.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n")
    key.chmod(0o600)
    settings = IntakeSettings.from_env(
        {
            **base_env(tmp_path),
            "KB_INTAKE_GIT_REMOTE": "git@github.com:o/s.git",
            "KB_INTAKE_GIT_SSH_KEY": str(key),
            "KB_INTAKE_GIT_BASE": "main",
        }
    )
    assert settings.git is not None and settings.git.ssh_key == key and settings.git.base == "main"
    assert settings.git.clone_dir == (tmp_path / "q" / "git-clone").resolve() and settings.jobs == ("git",)
    token = tmp_path / "token"
    token.write_text("ghp_secret\n")
    token.chmod(0o600)
    https = IntakeSettings.from_env(
        {
            **base_env(tmp_path),
            "KB_INTAKE_GIT_REMOTE": "https://github.com/o/s.git",
            "KB_INTAKE_GIT_TOKEN_FILE": str(token),
        }
    )
    assert https.git is not None and https.git.token == "ghp_secret" and "ghp_secret" not in repr(https)  # noqa: S105 - a test value
    for change, words in [
        ({"KB_INTAKE_GIT_REMOTE": "ftp://x/y"}, "expected an ssh://"),
        ({"KB_INTAKE_GIT_REMOTE": "relative/path"}, "must be an absolute path"),
        ({"KB_INTAKE_GIT_REMOTE": "https://u:pw@github.com/o/s.git"}, "holds a password"),
        (
            {"KB_INTAKE_GIT_REMOTE": "https://github.com/o/s.git", "KB_INTAKE_GIT_SSH_KEY": str(key)},
            "works with an ssh remote only",
        ),
        (
            {"KB_INTAKE_GIT_REMOTE": "git@github.com:o/s.git", "KB_INTAKE_GIT_TOKEN": "t"},
            "https:// remote only",
        ),
        (
            {"KB_INTAKE_GIT_REMOTE": "git@github.com:o/s.git", "KB_INTAKE_GIT_BASE": "a..b"},
            "not a branch name",
        ),
        (
            {"KB_INTAKE_GIT_REMOTE": "git@github.com:o/s.git", "KB_INTAKE_GIT_AUTHOR": "nobody"},
            "Name <address>",
        ),
        ({"KB_INTAKE_GIT_SSH_KEY": str(key)}, "KB_INTAKE_GIT_REMOTE is not"),
        ({"KB_INTAKE_GIT_REMOTE": "git@github.com:o/s.git", "KB_COMMENT_KEY": ""}, "no comment key"),
    ]:
        found = problems(tmp_path, **change)
        assert len(found) == 1 and words in found[0], (change, found)


def test_notification_and_retry_settings(tmp_path: Path) -> None:
    settings = IntakeSettings.from_env(
        {
            **base_env(tmp_path),
            "KB_INTAKE_SMTP": "mail.example.org:587",
            "KB_INTAKE_SMTP_FROM": "i@example.org",
            "KB_INTAKE_SMTP_TO": "a@example.org, b@example.org",
            "KB_INTAKE_WEBHOOK_URL": "https://hooks.example/x",
            "KB_INTAKE_RETRY": "2/60",
        }
    )
    assert settings.notify.smtp is not None and settings.notify.smtp.recipients == (
        "a@example.org",
        "b@example.org",
    )
    assert settings.jobs == ("mail", "webhook") and settings.retry.first == 2 and settings.retry.longest == 60
    found = problems(
        tmp_path,
        KB_INTAKE_SMTP="x:99999",
        KB_INTAKE_SMTP_SECURITY="tls",
        KB_INTAKE_SMTP_TO="a@b",
        KB_INTAKE_SMTP_FROM="i@example.org",
        KB_INTAKE_SMTP_USER="u",
        KB_INTAKE_RETRY="0/5",
        KB_INTAKE_WEBHOOK_URL="x",
        KB_INTAKE_WEBHOOK_URL_FILE="/nonexistent",
    )
    assert sorted(p.split(":")[0].split("=")[0].split(" ")[0] for p in found) == [
        "KB_INTAKE_RETRY",
        "KB_INTAKE_SMTP",
        "KB_INTAKE_SMTP_SECURITY",
        "KB_INTAKE_SMTP_USER",
        "KB_INTAKE_WEBHOOK_URL",
    ]
    assert problems(tmp_path, KB_INTAKE_SMTP_TO="a@b.example") == [
        "KB_INTAKE_SMTP_TO is set but KB_INTAKE_SMTP is not: set the mail server (HOST:PORT)"
    ]
    assert problems(tmp_path, KB_INTAKE_ORIGINS="https://a.example/path") == [
        "KB_INTAKE_ORIGINS: 'https://a.example/path' is not an origin (scheme://host[:port], no path)"
    ]


def test_remotes_are_logged_without_secrets() -> None:
    assert describe_remote("https://user:tok@github.com/o/s.git") == "https://github.com/o/s.git"
    assert describe_remote("git@github.com:o/s.git") == "git@github.com:o/s.git"


def test_the_manifest_carries_the_closed_flag() -> None:
    posts = [
        PostEntry("a", "A", "https://kb.example.org/a/", (), closed=True),
        PostEntry("b", "B", "https://kb.example.org/b/"),
    ]
    text = manifest_json("https://kb.example.org/", posts)
    parsed = parse_manifest(text, "m.json")
    assert parsed.posts["a"].closed and not parsed.posts["b"].closed
    data = json.loads(text)
    del data["posts"][1]["closed"]  # written before the flag existed: open
    assert not parse_manifest(json.dumps(data), "m.json").posts["b"].closed
    data["posts"][0]["closed"] = "yes"
    with pytest.raises(Exception, match=r"posts\[0\]\.closed: expected true or false"):
        parse_manifest(json.dumps(data), "m.json")


def test_safe_text_escapes_what_a_terminal_would_obey() -> None:
    assert (
        safe_text("a\u202eb\x1b[2J\u009bc\u200b\u2028d\x00") == "a\\u202eb\\x1b[2J\\x9bc\\u200b\\u2028d\\x00"
    )
    assert safe_text("x\ny\tz", keep_newlines=True) == "x\ny\tz"
    assert safe_text("Zoë 😀 日本") == "Zoë 😀 日本"


def test_the_app_built_in_code_for_the_preview(tmp_path: Path) -> None:
    manifest = Manifest(
        "https://kb.example.org/",
        {
            "p": PostEntry("p", "P", "https://kb.example.org/blog/p/"),
            "c": PostEntry("c", "C", "https://kb.example.org/blog/c/", closed=True),
        },
    )
    settings = IntakeSettings(
        queue_dir=tmp_path / "queue",
        manifest=lambda: manifest,
        allowed_origins=("http://127.0.0.1:8000",),
        redirect_base="http://127.0.0.1:8000/",
        key=KEY.encode(),
    )
    client = create_app(settings).test_client()
    form = {"post": "p", "author": "Ann", "email": "ann@example.com", "comment": "Hello"}
    reply = client.post("/comment", data=form, headers={"Origin": "http://127.0.0.1:8000"})
    assert reply.status_code == 303
    assert reply.headers["Location"] == "http://127.0.0.1:8000/blog/p/?comment=pending#reply-pending"
    other = client.post("/comment", data=form, headers={"Origin": "https://kb.example.org"})
    assert other.status_code == 403
    closed = client.post("/comment", data={**form, "post": "c"}, headers={"Origin": "http://127.0.0.1:8000"})
    assert closed.status_code == 403 and b"Comments are closed" in closed.data
    assert len(list((tmp_path / "queue" / "pending").iterdir())) == 1


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("KB_INTAKE_MAX_BYTES", "²"),
        ("KB_INTAKE_MAX_BYTES", "٦٥٥٣٦"),  # Arabic-Indic digits: int() would read them
        ("KB_INTAKE_MAX_BYTES", "9" * 5000),  # more digits than int() reads
        ("KB_INTAKE_PROXIES", "¹"),
        ("KB_INTAKE_SMTP", "mail:²"),
        ("KB_INTAKE_SMTP", "mail:" + "5" * 5000),
        ("KB_INTAKE_RATE", "５/600"),
        ("KB_INTAKE_RATE", "5/" + "6" * 5000),
        ("KB_INTAKE_RETRY", "1e999/1e999"),
    ],
)
def test_numbers_in_settings_are_ascii_digits_or_one_line_naming_the_setting(
    tmp_path: Path, name: str, value: str
) -> None:
    env = {"KB_INTAKE_SMTP_FROM": "intake@kb.example.org", "KB_INTAKE_SMTP_TO": "mod@kb.example.org"}
    found = problems(tmp_path, **{name: value}, **(env if name == "KB_INTAKE_SMTP" else {}))
    assert len(found) == 1 and found[0].startswith(f"{name}="), found
    assert len(found[0]) < 200 + len(value)


def test_the_service_refuses_a_superscript_setting_in_one_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    env = {**base_env(tmp_path), "KB_INTAKE_MAX_BYTES": "²", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "kb_engine.intake.serve", "--bind", "127.0.0.1:0"], env=env,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert "KB_INTAKE_MAX_BYTES=²" in result.stderr
