"""Bad comment files and settings stop a real build with one line naming file and field."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from commentfixtures import add_thread, comment_text, write_comment
from enginesite import COMMENTS_POST as SOURCE_POST
from enginesite import COMMENTS_URL
from kb_engine.feeds.paths import post_comments_feed_path
from sitebuild import BuildFailed, build_site

FOLDER = f"comments/{SOURCE_POST}"
GOOD = (
    "id: c1\npost: first-batard\nauthor: Ann Reader\n"
    "date: 2026-11-26T14:03:00+00:00\nbody: |\n  Hello.\n"
)

# case -> (files to write {name: text}, the one error line expected)
BAD_INPUT = {
    "malformed YAML": (
        {"c1.yml": GOOD.replace("author: Ann Reader", "author: [Ann Reader")},
        f"{FOLDER}/c1.yml:4: `author`: malformed YAML",
    ),
    "missing field": (
        {"c1.yml": GOOD.replace("author: Ann Reader\n", "")},
        f"{FOLDER}/c1.yml:1: `author`: is required",
    ),
    "unknown post": (
        {"../no-such-post/c1.yml": GOOD.replace(SOURCE_POST, "no-such-post")},
        "comments/no-such-post/c1.yml:2: `post`: unknown post 'no-such-post'",
    ),
    "unknown reply_to": (
        {"c1.yml": GOOD + "reply_to: c9\n"},
        f"{FOLDER}/c1.yml:7: `reply_to`: unknown comment 'c9'",
    ),
    "reply loop": (
        {
            "c1.yml": GOOD + "reply_to: c2\n",
            "c2.yml": GOOD.replace("id: c1", "id: c2") + "reply_to: c1\n",
        },
        f"{FOLDER}/c1.yml:7: `reply_to`: reply loop c1 -> c2 -> c1",
    ),
    "bad date": (
        {"c1.yml": GOOD.replace("2026-11-26T14:03:00+00:00", "26/11/2026")},
        f"{FOLDER}/c1.yml:4: `date`: '26/11/2026' is not an ISO 8601 date and time",
    ),
    "date without timezone": (
        {"c1.yml": GOOD.replace("2026-11-26T14:03:00+00:00", "2026-11-26T14:03:00")},
        f"{FOLDER}/c1.yml:4: `date`: '2026-11-26T14:03:00' has no timezone",
    ),
    "plain email address": (
        {"c1.yml": GOOD + "  Write to ann.reader@example.com\n"},
        f"{FOLDER}/c1.yml:7: `body`: holds an e-mail address (a…@example.com)",
    ),
    "unknown field": (
        {"c1.yml": GOOD + "email: hidden\n"},
        f"{FOLDER}/c1.yml:7: `email`: unknown field",
    ),
    "website not http": (
        {"c1.yml": GOOD + "website: javascript:alert(1)\n"},
        f"{FOLDER}/c1.yml:7: `website`: 'javascript:alert(1)' is not an http:// or https:// URL (e.g. https://example.net/)",
    ),
}


def write(project: Path, files: dict[str, str]) -> None:
    folder = project / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        path = (folder / name).resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("case", sorted(BAD_INPUT))
def test_bad_comment_stops_the_build_with_one_line(engine_project: Path, tmp_path: Path, case: str) -> None:
    files, expected = BAD_INPUT[case]
    write(engine_project.parent, files)
    with pytest.raises(BuildFailed) as raised:
        build_site(engine_project, tmp_path / "site")
    [message] = raised.value.errors
    assert message.startswith(expected), message
    assert "\n" not in message


def test_every_bad_file_is_reported_in_one_build(engine_project: Path, tmp_path: Path) -> None:
    write(engine_project.parent, {
        "c1.yml": GOOD.replace("author: Ann Reader\n", ""),
        "c2.yml": GOOD.replace("id: c1", "id: c2").replace("+00:00", ""),
    })  # fmt: skip
    with pytest.raises(BuildFailed) as raised:
        build_site(engine_project, tmp_path / "site")
    [message] = raised.value.errors  # MkDocs prints a PluginError as one error record
    assert message.splitlines() == [
        f"{FOLDER}/c1.yml:1: `author`: is required",
        f"{FOLDER}/c2.yml:4: `date`: '2026-11-26T14:03:00' has no timezone (e.g. 2026-11-26T14:03:00+00:00)",
    ]


def test_the_cli_prints_the_line_without_traceback(engine_project: Path, tmp_path: Path) -> None:
    write(engine_project.parent, {"c1.yml": GOOD + "reply_to: c9\n"})
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
        cwd=engine_project.parent, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{FOLDER}/c1.yml:7: `reply_to`: unknown comment 'c9'" in result.stderr


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        (
            "site_feed_items: 0",
            "mkdocs.yml: plugins.kb-comments.site_feed_items: expected a whole number of at least 1",
        ),
        ("site_feed_items: many", "mkdocs.yml: plugins.kb-comments.site_feed_items: Expected type: <class 'int'>"),
        ("feed_size: 3", "mkdocs.yml: plugins.kb-comments.feed_size: Unrecognised configuration name: feed_size"),
    ],
)
def test_bad_settings(engine_project: Path, tmp_path: Path, setting: str, expected: str) -> None:
    text = engine_project.read_text(encoding="utf-8")
    engine_project.write_text(text.replace("site_feed_items: 5\n", setting + "\n"), encoding="utf-8")
    with pytest.raises(BuildFailed) as raised:
        build_site(engine_project, tmp_path / "site")
    [message] = raised.value.errors
    assert message.endswith(expected) or expected in message, message


def test_a_rebuild_in_the_same_process_equals_a_fresh_build(engine_project: Path, tmp_path: Path) -> None:
    """Hook state lives on the config: a second build (as under `mkdocs serve`) repeats nothing."""
    add_thread(engine_project.parent, SOURCE_POST)
    first = build_site(engine_project, tmp_path / "one")
    extra = comment_text(SOURCE_POST, "20261201-late", author="Late Reader", date="2026-12-01T00:00:00+00:00",
                         body="Arrived between builds.")  # fmt: skip
    write_comment(engine_project.parent, SOURCE_POST, "20261201-late", extra)
    second = build_site(engine_project, tmp_path / "two")
    url = COMMENTS_URL
    one = first.html(url).xpath("//section[@id='comments']//article/@id")
    two = second.html(url).xpath("//section[@id='comments']//article/@id")
    assert two == [*one, "comment-20261201-late"] or sorted(two) == sorted([*one, "comment-20261201-late"])
    assert len(two) == len(set(two)) == 9
    assert second.text(post_comments_feed_path(url)).count("<item>") == 9
    site_feed = second.text("comments.xml")  # the newest five (plugins.kb-comments.site_feed_items)
    assert site_feed.count("<item>") == 5 and "#comment-20261201-late" in site_feed
