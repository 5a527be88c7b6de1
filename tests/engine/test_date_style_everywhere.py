"""One date style (plugins.kb-dates) wherever a reader or a moderator sees a date: the reply chooser,
the notifications, ``moderate list`` and ``show``; the posts manifest carries it to the service."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kb_engine.core.dates import DateStyle, style_of_project
from kb_engine.core.manifest import Manifest, ManifestError, PostEntry, manifest_json, parse_manifest
from kb_engine.intake.notify import summary
from kb_engine.intake.queue import Queue
from kb_engine.intake.validation import Submission, check_submission
from kb_engine.reply.form import ReplyTarget, reply_targets

KEY = b"a-test-key-of-enough-length"
NOW = dt.datetime(2026, 12, 5, 14, 3, tzinfo=dt.UTC)
MANIFEST = Manifest("https://kb.example.org/", {"p": PostEntry("p", "P", "https://kb.example.org/blog/p/")})


def test_the_reply_chooser_writes_dates_like_the_site(tmp_path: Path) -> None:
    folder = tmp_path / "comments" / "p"
    folder.mkdir(parents=True)
    (folder / "20261205-aaaaaaaa.yml").write_text(
        "id: 20261205-aaaaaaaa\npost: p\nauthor: Ann\ndate: 2026-12-05T14:03:00+00:00\nbody: Hi\n")
    [target] = reply_targets(folder, DateStyle())
    assert target.label == "Ann, 5 December 2026"
    assert reply_targets(folder, DateStyle("d MMM yyyy", "de"))[0].label == "Ann, 5 Dez. 2026"
    assert ReplyTarget("x", "Bo", "2026-12-05T14:03:00+00:00").label == "Bo, 2026-12-05"  # no style given


def test_the_manifest_carries_the_style_and_refuses_a_bad_one() -> None:
    text = manifest_json("https://kb.example.org/", MANIFEST.posts.values(), DateStyle("d MMM yyyy", "fr"))
    parsed = parse_manifest(text, "posts.json")
    assert (parsed.date_format, parsed.language) == ("d MMM yyyy", "fr")
    assert parsed.date_style().timestamp("2026-12-05T14:03:00+00:00") == "5 déc. 2026 at 14:03 UTC"
    older = json.loads(text)
    del older["dates"]
    assert parse_manifest(json.dumps(older), "posts.json").date_style().pattern == "d MMMM yyyy"
    older["dates"] = {"format": "", "language": "en"}
    with pytest.raises(ManifestError, match=r"^posts\.json: dates: expected"):
        parse_manifest(json.dumps(older), "posts.json")


def queued(tmp_path: Path) -> tuple[Queue, str]:
    queue = Queue(tmp_path / "queue")
    queue.prepare()
    result = check_submission({"post": "p", "author": "Ann", "email": "ann@example.com", "comment": "Hi"},
                              MANIFEST)
    assert isinstance(result, Submission)
    stored = queue.add(result, "127.0.0.1", NOW, key=KEY)
    assert stored.comment is not None
    return queue, stored.comment.id


def test_notifications_write_the_date_like_the_site(tmp_path: Path) -> None:
    queue, comment_id = queued(tmp_path)
    _, comment = queue.find(comment_id)  # type: ignore[misc]
    _, body = summary(comment, "P", "https://kb.example.org/blog/p/", DateStyle())
    assert 'Ann commented on "P" (5 December 2026 at 14:03 UTC).' in body
    assert "2026-12-05T" not in body


def test_moderate_list_and_show_write_the_date_like_the_site(tmp_path: Path) -> None:
    queue, comment_id = queued(tmp_path)
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "mkdocs.yml").write_text("theme:\n  name: material\n  language: en\nplugins:\n  - kb-dates:\n"
                                     "      format: d MMM yyyy\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")}

    def moderate(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "kb_engine.moderation.cli", *args, "--queue", str(queue.root),
                               "--repo", str(repo)], capture_output=True, text=True, env=env, check=False,
                              timeout=60)

    listed = moderate("list")
    assert listed.returncode == 0 and f"{comment_id}  5 Dec 2026 at 14:03 UTC  p  Ann" in listed.stdout
    shown = moderate("show", comment_id)
    assert "date:     5 Dec 2026 at 14:03 UTC\n" in shown.stdout and "2026-12-05T" not in shown.stdout
    (repo / "mkdocs.yml").write_text("plugins:\n  - kb-dates:\n      format: ''\n")
    broken = moderate("list")
    assert broken.returncode == 1 and broken.stderr.startswith(f"moderate: error: {repo / 'mkdocs.yml'}: "
                                                              "plugins.kb-dates.format: expected a date pattern")
    assert style_of_project({}).pattern == "d MMMM yyyy"
