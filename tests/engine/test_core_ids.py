"""One comment-id pattern and one post-id pattern (kb_engine.core.ids), used by every reader and writer."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from kb_engine.core.ids import COMMENT_ID_TEXT, is_comment_id, is_post_id
from kb_engine.intake.jobs import Job, read_jobs
from kb_engine.intake.queue import new_comment_id
from kb_engine.wordpress.plan import COMMENT_PREFIX

SOURCE = Path(__file__).resolve().parents[2] / "hooks" / "kb_engine"


def test_the_comment_id_pattern_is_written_once() -> None:
    """No module but kb_engine.core.ids spells the pattern (or a copy of it) again."""
    spelled = re.compile(r"\[a-z0-9\]\[a-z0-9-\]")
    holders = sorted(str(p.relative_to(SOURCE)) for p in SOURCE.rglob("*.py")
                     if spelled.search(p.read_text(encoding="utf-8")))
    assert holders == ["core/ids.py"]


def test_what_the_writers_make_is_what_the_readers_take() -> None:
    assert is_comment_id(new_comment_id(dt.datetime(2026, 11, 26, tzinfo=dt.UTC)))
    assert is_comment_id(f"{COMMENT_PREFIX}12345")  # the WordPress import's ids
    assert is_comment_id("a" * 64) and not is_comment_id("a" * 65)


@pytest.mark.parametrize("value", ["", "-a", "A1", "a_b", "a.b", "a/b", "a\n", "é", None, 7])
def test_not_comment_ids(value: object) -> None:
    assert not is_comment_id(value)


@pytest.mark.parametrize(("value", "expected"), [
    ("2009-04-06-good-customers", True), ("2026/launch", True), ("a/../b", False), ("../a", False),
    ("/abs", False), ("a//b", False), ("", False), (None, False),
])
def test_post_ids(value: object, expected: bool) -> None:
    assert is_post_id(value) is expected


def test_a_job_file_is_named_by_a_comment_id(tmp_path: Path) -> None:
    """The outbox's job files take exactly the ids the queue takes."""
    good = Job("20261126-0a1b2c3d", "git", "2026-11-26T10:00:00+00:00")
    (tmp_path / good.file_name()).write_text('{"comment": "20261126-0a1b2c3d", "kind": "git", '
                                             '"created": "2026-11-26T10:00:00+00:00"}')
    (tmp_path / "Bad_Id.git.json").write_text('{"comment": "Bad_Id", "kind": "git", "created": "x"}')
    jobs, problems = read_jobs(tmp_path)
    assert [job.comment for job in jobs] == [good.comment]
    assert len(problems) == 1 and "Bad_Id.git.json: the name does not match" in problems[0]
    assert re.fullmatch(COMMENT_ID_TEXT, good.comment)
