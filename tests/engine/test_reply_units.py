"""Leave a Reply: the pure pieces (validation, manifest, rate limit, queue, moderation)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kb_engine.comments.identity import email_hash, is_email_hash
from kb_engine.core.atomic import is_temp_file, remove_temp_files, write_atomic
from kb_engine.core.manifest import Manifest, ManifestError, PostEntry, manifest_json, parse_manifest
from kb_engine.intake.queue import Queue
from kb_engine.intake.ratelimit import RateLimit, take
from kb_engine.intake.settings import IntakeSettings, SettingsError, parse_rate
from kb_engine.intake.validation import Refusal, Submission, check_submission, count_links
from kb_engine.moderation import actions
from kb_engine.reply.form import allowed_tags, post_id, reply_targets

KEY = b"a-test-key-of-enough-length"
NOW = dt.datetime(2026, 11, 26, 10, 30, tzinfo=dt.UTC)
MANIFEST = Manifest("https://kb.example.org/", {
    "p": PostEntry("p", "P", "https://kb.example.org/blog/p/", ("20260101-aaaaaaaa",)),
})


def fields(**change: object) -> dict[str, object]:
    return {"post": "p", "author": "Ann", "email": "ann@example.com", "comment": "Hello", **change}


def test_a_valid_submission_is_cleaned() -> None:
    result = check_submission(fields(author="  Ann   Reader ", website=" https://ann.example/ ",
                                     comment="Hi <b onclick=x>there</b>\r\n\r\nBye"), MANIFEST)
    assert result == Submission("p", "Ann Reader", "ann@example.com", "https://ann.example/",
                                "Hi <b>there</b>\n\nBye", None, 0)


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"post": None}, 422, "post"),
        ({"post": "q"}, 404, "post"),
        ({"author": "   "}, 422, "author"),
        ({"author": "a\x00b"}, 422, "author"),
        ({"author": 5}, 422, "author"),
        ({"email": "a@b"}, 422, "email"),
        ({"email": "a b@c.d"}, 422, "email"),
        ({"email": "x" * 250 + "@a.bc"}, 422, "email"),
        ({"website": "ftp://x.example/"}, 422, "website"),
        ({"website": "http://"}, 422, "website"),
        ({"website": "http://x.example:99999/"}, 422, "website"),
        ({"website": "https://x.example/" + "a" * 200}, 422, "website"),
        ({"comment": "bad \x07 bell"}, 422, "comment"),
        ({"comment": "<br><br>"}, 422, "comment"),
        ({"reply_to": "20260101-bbbbbbbb"}, 422, "reply_to"),
    ],
)
def test_refusals_name_the_field(change: dict[str, object], status: int, field: str) -> None:
    result = check_submission(fields(**change), MANIFEST)
    assert isinstance(result, Refusal)
    assert (result.status, result.field) == (status, field)
    assert result.message.startswith(f"`{field}`")


def test_links_are_counted_in_anchors_and_text() -> None:
    assert count_links("no links") == 0
    assert count_links('<a href="http://a.example/">http://a.example/</a>') == 1
    assert count_links("see http://a.example and www.b.example or https://c.example/x") == 3
    assert count_links('<a title="t">not a link</a>') == 0


def test_the_content_hash_ignores_address_case_and_spacing() -> None:
    one = Submission("p", "A", "Ann@Example.com", None, "a  b", None, 0)
    two = Submission("p", "B", "ann@example.com ", "https://x.example/", "a b", None, 0)
    other_post = Submission("q", "A", "ann@example.com", None, "a b", None, 0)
    assert one.content_hash(KEY) == two.content_hash(KEY) != other_post.content_hash(KEY)
    assert one.content_hash(KEY) != one.content_hash(b"another-key-of-enough-length")  # keyed


def test_the_manifest_round_trips_and_refuses_broken_ones() -> None:
    text = manifest_json("https://kb.example.org/", MANIFEST.posts.values())
    assert parse_manifest(text, "m.json") == MANIFEST
    data = json.loads(text)
    for broken, words in [
        ("{", "not valid JSON"),
        ('{"version": 2}', "not a version 1"),
        (json.dumps({**data, "site_url": "kb.example.org"}), "site_url"),
        (json.dumps({**data, "posts": [{**data["posts"][0], "id": "../x"}]}), "posts[0].id"),
        (json.dumps({**data, "posts": [{**data["posts"][0], "url": "/relative/"}]}), "posts[0].url"),
    ]:
        with pytest.raises(ManifestError, match=r"\Am\.json: ") as error:
            parse_manifest(broken, "m.json")
        assert words in str(error.value)


def test_the_token_bucket_allows_a_burst_then_refills() -> None:
    limit = RateLimit(burst=2, window=60)  # one token per 30 s
    buckets: dict[str, list[float]] = {}
    assert take(buckets, "a", 0, limit) == 0
    assert take(buckets, "a", 0, limit) == 0
    assert take(buckets, "a", 0, limit) == pytest.approx(30)
    assert take(buckets, "b", 0, limit) == 0  # per client
    assert take(buckets, "a", 31, limit) == 0
    take(buckets, "c", 1000, limit)
    assert set(buckets) == {"c"}  # full buckets are forgotten


def test_settings_come_from_the_environment_with_clear_errors(tmp_path: Path) -> None:
    env = {"KB_INTAKE_QUEUE": str(tmp_path / "q"), "KB_INTAKE_MANIFEST": str(tmp_path / "m.json"),
           "KB_COMMENT_KEY": KEY.decode()}
    settings = IntakeSettings.from_env({**env, "KB_INTAKE_RATE": "3/60", "KB_INTAKE_PROXIES": "1"})
    assert settings.rate == RateLimit(3, 60.0) and settings.trusted_proxies == 1
    assert settings.max_request_bytes == 65536 and settings.key == KEY and settings.git is None
    for bad, words in [
        ({"KB_INTAKE_QUEUE": ""}, "KB_INTAKE_QUEUE is not set"),
        ({"KB_INTAKE_RATE": "lots"}, "KB_INTAKE_RATE=lots: expected N/SECONDS"),
        ({"KB_INTAKE_RATE": "0/60"}, "expected N/SECONDS"),
        ({"KB_INTAKE_MAX_BYTES": "-1"}, "KB_INTAKE_MAX_BYTES=-1: expected a whole number"),
        ({"KB_INTAKE_SITE_URL": "kb.example.org"}, "expected an absolute http(s) URL"),
        ({"KB_COMMENT_KEY": ""}, "no comment key: set KB_COMMENT_KEY"),
    ]:
        with pytest.raises(SettingsError) as error:
            IntakeSettings.from_env({**env, **bad})
        assert words in str(error.value)
    assert parse_rate("") == RateLimit(5, 600.0)


def test_atomic_writes_leave_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "x.json"
    write_atomic(target, b"one")
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]
    leftover = tmp_path / ".x.json.123.abcd1234.tmp"
    leftover.write_bytes(b"half")
    assert is_temp_file(leftover) and not is_temp_file(target)
    assert remove_temp_files(tmp_path) == [leftover]


def test_allowed_tags_follow_the_sanitiser() -> None:
    tags = allowed_tags()
    assert tags[0] == '<a href="" title="">'
    assert '<abbr title="">' in tags and "<strong>" in tags and '<blockquote cite="">' in tags
    assert not any("script" in t or "img" in t for t in tags)


def test_post_ids_are_paths_under_the_posts_folder() -> None:
    assert post_id("blog/posts/good-customers-good-vendors.md", "blog/posts") == "good-customers-good-vendors"
    assert post_id("blog/posts/2024/deep.md", "blog/posts") == "2024/deep"
    assert post_id("guides/index.md", "blog/posts") is None


def test_reply_targets_read_ids_authors_and_dates(tmp_path: Path) -> None:
    for comment_id, author in (("20260102-bbbbbbbb", "Bo"), ("20260101-aaaaaaaa", "Al")):
        day = f"2026-01-{comment_id[6:8]}"
        (tmp_path / f"{comment_id}.yml").write_text(
            f"id: {comment_id}\nauthor: {author}\ndate: '{day}T00:00:00+00:00'\n")
    (tmp_path / "broken.yml").write_text("id: [\n")
    assert [(t.id, t.label) for t in reply_targets(tmp_path)] == [
        ("20260101-aaaaaaaa", "Al, 2026-01-01"), ("20260102-bbbbbbbb", "Bo, 2026-01-02")]
    assert reply_targets(tmp_path / "none") == ()


def queued(tmp_path: Path, body: str = "Hello <b>there</b>\n\nSecond.", **change: object
           ) -> tuple[Queue, str]:
    queue = Queue(tmp_path / "queue")
    queue.prepare()
    result = check_submission(fields(comment=body, **change), MANIFEST)
    assert isinstance(result, Submission)
    stored = queue.add(result, "127.0.0.1", NOW, key=KEY)
    assert stored.comment is not None
    return queue, stored.comment.id


def test_the_queue_refuses_duplicates_but_not_after_a_crash_between_writes(tmp_path: Path) -> None:
    queue, first = queued(tmp_path)
    submission = check_submission(fields(comment="Hello <b>there</b>\n\nSecond."), MANIFEST)
    assert isinstance(submission, Submission)
    assert queue.add(submission, "127.0.0.1", NOW, key=KEY).duplicate_of == first
    # The marker written, the comment not (killed in between): not a duplicate.
    (queue.root / "pending" / f"{first}.json").unlink()
    again = queue.add(submission, "127.0.0.1", NOW, key=KEY)
    assert again.comment is not None and again.comment.id != first


def test_approve_writes_the_comment_file_without_the_email(tmp_path: Path) -> None:
    queue, comment_id = queued(tmp_path, website="https://ann.example/")
    repo = tmp_path / "repo"
    result = actions.approve(queue, repo, comment_id, KEY, commit=False)
    assert result.written and result.path == repo / "comments" / "p" / f"{comment_id}.yml"
    text = result.path.read_text(encoding="utf-8")
    assert "ann@example.com" not in text
    assert "body: |\n  Hello <b>there</b>\n\n  Second.\n" in text
    data = yaml.safe_load(text)
    assert list(data) == ["id", "post", "author", "website", "date", "email_hash", "body"]
    assert data["id"] == comment_id and data["post"] == "p" and data["author"] == "Ann"
    assert data["date"] == "2026-11-26T10:30:00+00:00"
    assert is_email_hash(data["email_hash"]) and data["email_hash"] == email_hash("ann@example.com", KEY)
    assert queue.find(comment_id) is not None and queue.find(comment_id)[0] == "approved"  # type: ignore[index]
    # Approving twice changes nothing and writes no second file.
    again = actions.approve(queue, repo, comment_id, KEY, commit=False)
    assert not again.written and again.path == result.path
    assert sorted(p.name for p in result.path.parent.iterdir()) == [f"{comment_id}.yml"]


def test_approve_checks_the_comment_it_replies_to(tmp_path: Path) -> None:
    queue, comment_id = queued(tmp_path, reply_to="20260101-aaaaaaaa")
    repo = tmp_path / "repo"
    with pytest.raises(actions.ModerationError, match="approve that one first"):
        actions.approve(queue, repo, comment_id, KEY, commit=False)
    parent = repo / "comments" / "p" / "20260101-aaaaaaaa.yml"
    parent.parent.mkdir(parents=True)
    parent.write_text("id: 20260101-aaaaaaaa\n")
    data = yaml.safe_load(actions.approve(queue, repo, comment_id, KEY, commit=False).path.read_text())
    assert data["reply_to"] == "20260101-aaaaaaaa"


def test_reject_and_spam_move_the_item_and_unknown_ids_are_clear_errors(tmp_path: Path) -> None:
    queue, one = queued(tmp_path, body="one")
    _, two = queued(tmp_path, body="two")
    assert actions.reject(queue, one) == "pending"
    assert actions.mark_spam(queue, two) == "pending"
    assert (queue.root / "rejected" / f"{one}.json").exists()
    assert (queue.root / "spam" / f"{two}.json").exists()
    assert actions.pending(queue) == []
    with pytest.raises(actions.ModerationError, match="was marked spam; it cannot be approved"):
        actions.approve(queue, tmp_path / "repo", two, KEY, commit=False)
    with pytest.raises(actions.ModerationError, match="no comment '20990101-00000000' in the queue"):
        actions.reject(queue, "20990101-00000000")
    with pytest.raises(actions.ModerationError, match=r"'\.\./etc' is not a comment id"):
        actions.find(queue, "../etc")


def run_moderate(tmp_path: Path, *args: str, key: str | None = "k" * 20) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KB_COMMENT_KEY")}
    if key:
        env["KB_COMMENT_KEY"] = key
    for who in ("AUTHOR", "COMMITTER"):
        env.setdefault(f"GIT_{who}_NAME", "Moderator")
        env.setdefault(f"GIT_{who}_EMAIL", "moderator@kb.example.org")
    return subprocess.run(
        [sys.executable, "-m", "kb_engine.moderation.cli", "--queue", str(tmp_path / "queue"),
         "--repo", str(tmp_path / "repo"), *args],
        capture_output=True, text=True, env=env, cwd=tmp_path, check=False,
    )


def test_the_moderate_command(tmp_path: Path) -> None:
    queue, comment_id = queued(tmp_path, body="Held? http://a.example http://b.example http://c.example")
    repo = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    listing = run_moderate(tmp_path, "list")
    assert listing.returncode == 0 and comment_id in listing.stdout and "HELD: 3 links" in listing.stdout
    shown = run_moderate(tmp_path, "show", comment_id)
    # The moderator sees whose comment it is, never the whole address (a terminal is a log too).
    assert "email:    a…@example.com" in shown.stdout and "state:    pending" in shown.stdout
    assert "ann@example.com" not in shown.stdout + listing.stdout

    # No production key set: a development key is made in the repository's
    # git-ignored var/, private to its owner, and said so in one line.
    approved = run_moderate(tmp_path, "approve", comment_id, "--commit", key=None)
    assert approved.returncode == 0, approved.stderr
    assert approved.stderr.splitlines() == [
        "moderate: using the development comment key repo/var/comment-key (created now, mode 0600): "
        "set KB_COMMENT_KEY or KB_COMMENT_KEY_FILE for a published site"]
    dev_key = repo / "var" / "comment-key"
    assert dev_key.stat().st_mode & 0o777 == 0o600 and len(dev_key.read_bytes().strip()) == 64
    assert approved.stdout.strip() == f"wrote repo/comments/p/{comment_id}.yml (committed)"
    data = yaml.safe_load((repo / "comments" / "p" / f"{comment_id}.yml").read_text())
    assert data["email_hash"] == email_hash("ann@example.com", dev_key.read_bytes().strip())
    log = subprocess.run(["git", "-C", str(repo), "log", "--format=%s", "--name-only"],
                         capture_output=True, text=True, check=True).stdout
    assert f"Approve comment {comment_id} on p" in log and f"comments/p/{comment_id}.yml" in log
    assert "var/" not in log  # the key is never committed
    twice = run_moderate(tmp_path, "approve", comment_id, "--commit")
    assert twice.returncode == 0 and twice.stdout.startswith("already approved:")
    commits = subprocess.run(["git", "-C", str(repo), "rev-list", "--count", "HEAD"],
                             capture_output=True, text=True, check=True).stdout
    assert commits.strip() == "1"
    unknown = run_moderate(tmp_path, "spam", "20990101-00000000")
    assert unknown.returncode == 1 and "no comment '20990101-00000000'" in unknown.stderr
    assert "Traceback" not in unknown.stderr + approved.stderr
    assert queue.find(comment_id) is not None


def test_moderate_list_and_show_print_hostile_text_escaped(tmp_path: Path) -> None:
    hostile = "Eve\u202egnp.exe \x1b[2J\u009b31m\u200b"
    queue = Queue(tmp_path / "queue")
    queue.prepare()
    result = check_submission(fields(comment="Hi", author="Eve"), MANIFEST)
    assert isinstance(result, Submission)
    stored = queue.add(result, "127.0.0.1", NOW, key=KEY)
    assert stored.comment is not None
    # Whatever the field rules let through, the terminal must never get it raw.
    path = queue.root / "pending" / f"{stored.comment.id}.json"
    data = json.loads(path.read_bytes())
    data.update(author=hostile, body=f"<p>{hostile}</p>\nline two", website="https://x.example/\u202e")
    path.write_text(json.dumps(data), encoding="utf-8")
    for args in (("list",), ("show", stored.comment.id)):
        out = run_moderate(tmp_path, *args)
        assert out.returncode == 0, out.stderr
        assert not any(c in out.stdout for c in "\u202e\x1b\u009b\u200b"), out.stdout
        assert "\\u202e" in out.stdout and "\\x1b" in out.stdout and "\\x9b" in out.stdout
    shown = run_moderate(tmp_path, "show", stored.comment.id).stdout
    assert "\nline two" in shown  # newlines in a body are kept in `show`


INVISIBLE = "\u034f\ufe0f\u3164\u2800\u180b\u00a0\u200e\u2066\U000e0041"


def test_moderate_shows_every_invisible_code_point_escaped(tmp_path: Path) -> None:
    """Default-ignorable, blank, bidirectional and space characters: the moderator sees each one."""
    queue = Queue(tmp_path / "queue")
    queue.prepare()
    result = check_submission(fields(comment="Hi", author="Eve"), MANIFEST)
    assert isinstance(result, Submission)
    stored = queue.add(result, "127.0.0.1", NOW, key=KEY)
    assert stored.comment is not None
    path = queue.root / "pending" / f"{stored.comment.id}.json"
    data = json.loads(path.read_bytes())
    hidden = "".join(f"ann{c}" for c in INVISIBLE)
    data.update(author=hidden, body=f"<p>{hidden}@gmail.com</p>")
    path.write_text(json.dumps(data), encoding="utf-8")
    for args in (("list",), ("show", stored.comment.id)):
        out = run_moderate(tmp_path, *args)
        assert out.returncode == 0, out.stderr
        assert not any(c in out.stdout for c in INVISIBLE), ascii(out.stdout)
        for escape in ("\\u034f", "\\ufe0f", "\\u3164", "\\u2800", "\\u180b", "\\xa0", "\\u200e"):
            assert escape in out.stdout, (args, escape)
