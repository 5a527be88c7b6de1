"""Updated dates from git: parsing (pure), then builds in throwaway git repositories.

Every build here counts the git processes the hook starts, by wrapping
``subprocess.run`` as kb_engine.gitdates sees it: whatever the number of posts,
there must be at most three (``rev-parse``, one ``log``, one ``cat-file``).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import kb_engine.gitdates
from enginesite import THREAD_URL, copy_engine_site
from kb_engine.gitdates import (
    Change,
    FileHistory,
    PostDates,
    parse_batch,
    parse_log,
    reader_text,
    text_histories,
    updated_dates,
)
from sitebuild import BuildFailed, Site, build_site, set_plugin_options

UTC = dt.UTC
SEED = "docs/blog/posts/seed.md"
SEED_URL = "blog/2024/03/01/seed/"


# --- pure ------------------------------------------------------------------


A, B, C, D = ("a" * 40, "b" * 40, "c" * 40, "d" * 40)
NONE = "0" * 40


def test_parse_log_follows_renames_to_the_newest_name() -> None:
    output = (
        f"\x002025-02-03T04:05:06+01:00\n\n:100644 100644 {B} {B} R100\tdocs/old.md\tdocs/new.md\n"
        f":100644 100644 {C} {D} M\t\"docs/\\303\\274.md\"\n"
        f"\x002024-01-01T00:00:00+00:00\n\n:100644 100644 {A} {B} M\tdocs/old.md\n"
        f":000000 100644 {NONE} {C} A\tdocs/ü.md\n"
    )
    late, early = dt.datetime(2025, 2, 3, 3, 5, 6, tzinfo=UTC), dt.datetime(2024, 1, 1, tzinfo=UTC)
    assert parse_log(output) == {
        "docs/new.md": [Change(late, B, B), Change(early, A, B)],
        "docs/ü.md": [Change(late, C, D), Change(early, None, C)],
    }
    assert parse_log("") == {}


def test_only_changes_to_the_words_a_reader_reads_count() -> None:
    front = "---\ndate: 2009-04-06\ncategories:\n  - Uncategorized\n---\n\n# Title\n\nSome words here.\n"
    texts = {
        A: front,
        B: front.replace("Uncategorized", "Partnerships"),  # front matter only
        C: front.replace("Some words here.", "Some words\n  here."),  # re-wrapped
        D: front.replace("Some words", "Other words"),  # the text
    }
    assert reader_text(texts[A]) == reader_text(texts[B]) == reader_text(texts[C]) == ("#", "Title", "Some",
                                                                                       "words", "here.")
    day = [dt.datetime(2020 + n, 1, 1, tzinfo=UTC) for n in range(5)]
    changes = {
        "touched.md": [Change(day[3], B, C), Change(day[2], B, B), Change(day[1], A, B),
                       Change(day[0], None, A)],
        "edited.md": [Change(day[4], C, D), Change(day[1], A, C), Change(day[0], None, A)],
        "gone.md": [Change(day[4], A, None), Change(day[0], None, A)],
    }
    assert text_histories(changes, texts) == {
        "touched.md": FileHistory(day[0], 1),  # added once, never changed for a reader
        "edited.md": FileHistory(day[4], 2),
        "gone.md": FileHistory(day[0], 1),
    }
    assert parse_batch(f"{A} blob 3\nxyz\n{B} missing\n".encode()) == {A: "xyz"}


def test_updated_only_after_a_later_change_and_never_over_front_matter(tmp_path: Path) -> None:
    late = dt.datetime(2025, 1, 1, tzinfo=UTC)
    paths = {name: str(tmp_path / name) for name in ("changed", "once", "own", "old", "naive")}
    histories = {
        paths["changed"]: FileHistory(late, 3),
        paths["once"]: FileHistory(late, 1),
        paths["own"]: FileHistory(late, 2),
        paths["old"]: FileHistory(dt.datetime(2020, 1, 1, tzinfo=UTC), 2),
        paths["naive"]: FileHistory(late, 2),
    }
    posts = [
        PostDates(paths["changed"], dt.datetime(2024, 1, 1, tzinfo=UTC), False),
        PostDates(paths["once"], dt.datetime(2024, 1, 1, tzinfo=UTC), False),
        PostDates(paths["own"], dt.datetime(2024, 1, 1, tzinfo=UTC), True),
        PostDates(paths["old"], dt.datetime(2024, 1, 1, tzinfo=UTC), False),
        PostDates(paths["naive"], dt.datetime(2024, 1, 1), False),
        PostDates(str(tmp_path / "untracked"), dt.datetime(2024, 1, 1, tzinfo=UTC), False),
    ]
    assert updated_dates(posts, histories) == {paths["changed"]: late, paths["naive"]: late}


# --- builds in git repositories ----------------------------------------------


@pytest.fixture
def git_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[list[str]]]:
    calls: list[list[str]] = []
    real_run = subprocess.run

    def counting_run(args: Any, *rest: Any, **kwargs: Any) -> Any:
        if isinstance(args, list) and args and args[0] == "git":
            calls.append([str(a) for a in args])
        return real_run(args, *rest, **kwargs)

    monkeypatch.setattr(kb_engine.gitdates.subprocess, "run", counting_run)
    yield calls


def built(config_file: Path, site_dir: Path, calls: list[list[str]], **options: Any) -> Site:
    """Build, counting only the git processes the build itself starts."""
    calls.clear()
    return build_site(config_file, site_dir, **options)


def git(repo: Path, *args: str, date: str | None = None) -> str:
    env = dict(os.environ, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    result = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false",
         *args],
        cwd=repo, env=env, capture_output=True, text=True, check=True,
    )
    return result.stdout


def post(slug: str, front: str = "") -> str:
    return (
        f"---\ndate: 2024-03-01\nauthors: [ada-baker]\nslug: {slug}\n{front}---\n\n# {slug}\n\n"
        "Intro.\n\n<!-- more -->\n\nBody.\n"
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository holding a copy of the engine's fixture site, with history."""
    root = tmp_path / "repo"
    copy_engine_site(root)
    posts = root / "docs/blog/posts"
    (posts / "seed.md").write_text(post("seed"))
    (posts / "added-once.md").write_text(post("added-once"))
    (posts / "own-date.md").write_text(post("own-date", "  # front matter wins\n").replace(
        "date: 2024-03-01\n", "date:\n  created: 2024-03-01\n  updated: 2024-07-01\n"))
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "first", date="2024-04-01T10:00:00+00:00")
    for name in ("seed.md", "own-date.md"):
        with (posts / name).open("a") as f:
            f.write("\nA later paragraph.\n")
    git(root, "commit", "-q", "-am", "second", date="2025-02-03T04:05:06+00:00")
    return root


def updated_of(site: Site, url: str) -> list[str]:
    """The datetime of the post's "updated" line (Material's blog-post.html)."""
    page = site.html(url)
    times = page.xpath("//ul[contains(@class,'md-post__meta')]//time/@datetime")
    return [str(t) for t in times[1:]]  # the first is date.created


def test_a_changed_post_gets_its_last_commit_date(
    repo: Path, tmp_path: Path, git_calls: list[list[str]]
) -> None:
    site = built(repo / "mkdocs.yml", tmp_path / "site", git_calls)
    assert updated_of(site, SEED_URL) == ["2025-02-03 04:05:06+00:00"]
    assert updated_of(site, "blog/2024/03/01/added-once/") == []
    assert updated_of(site, "blog/2024/03/01/own-date/") == ["2024-07-01 00:00:00+00:00"]
    assert [call[3:5] if call[1] == "-c" else call[1:3] for call in git_calls] == [
        ["rev-parse", "--is-inside-work-tree"],
        ["log", "--format=%x00%aI"],
        ["cat-file", "--batch"],
    ]


def test_one_git_log_for_any_number_of_posts(repo: Path, tmp_path: Path, git_calls: list[list[str]]) -> None:
    posts = repo / "docs/blog/posts"
    for number in range(40):
        (posts / f"many-{number}.md").write_text(post(f"many-{number}"))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "many", date="2024-05-01T00:00:00+00:00")
    for number in range(0, 40, 2):
        with (posts / f"many-{number}.md").open("a") as f:
            f.write("\nChanged.\n")
    git(repo, "commit", "-q", "-am", "change half", date="2024-06-01T00:00:00+00:00")
    site = built(repo / "mkdocs.yml", tmp_path / "site", git_calls)
    assert len(git_calls) == 3
    assert updated_of(site, "blog/2024/03/01/many-0/") == ["2024-06-01 00:00:00+00:00"]
    assert updated_of(site, "blog/2024/03/01/many-1/") == []


def test_moving_renaming_reformatting_or_recategorising_is_no_update(
    repo: Path, tmp_path: Path, git_calls: list[list[str]]
) -> None:
    posts = repo / "docs/blog/posts"
    git(repo, "mv", "docs/blog/posts/added-once.md", "docs/blog/posts/moved.md")
    git(repo, "commit", "-q", "-m", "rename", date="2025-03-01T00:00:00+00:00")
    moved = posts / "moved.md"
    text = moved.read_text().replace("date: 2024-03-01\n", "date: 2024-03-01\ncategories: [Starters]\n")
    moved.write_text(text.replace("Intro.\n", "Intro.  \n").replace("Body.\n", "Body.\n\n"))
    git(repo, "commit", "-q", "-am", "front matter and spacing", date="2025-04-01T00:00:00+00:00")
    site = built(repo / "mkdocs.yml", tmp_path / "site", git_calls)
    assert updated_of(site, "blog/2024/03/01/added-once/") == []
    moved.write_text(moved.read_text().replace("Body.", "A new body."))
    git(repo, "commit", "-q", "-am", "text", date="2025-05-01T00:00:00+00:00")
    site = built(repo / "mkdocs.yml", tmp_path / "site2", git_calls)
    assert updated_of(site, "blog/2024/03/01/added-once/") == ["2025-05-01 00:00:00+00:00"]


def test_a_shallow_clone_is_a_warning_and_fails_a_strict_build(
    repo: Path, tmp_path: Path, git_calls: list[list[str]]
) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    site = built(clone / "mkdocs.yml", tmp_path / "site", git_calls, strict=False)
    [warning] = site.warnings
    assert warning.startswith("kb-git-dates: this git clone is shallow, so updated dates from git")
    assert updated_of(site, SEED_URL) == []
    assert len(git_calls) == 1  # no git log at all
    with pytest.raises(BuildFailed):
        build_site(clone / "mkdocs.yml", tmp_path / "site-strict")


def test_outside_a_repository_nothing_happens(
    engine_project: Path, tmp_path: Path, git_calls: list[list[str]]
) -> None:
    site = built(engine_project, tmp_path / "site", git_calls)
    assert updated_of(site, THREAD_URL) == []
    assert len(git_calls) == 1
    assert site.warnings == []


def test_disabled_runs_no_git_at_all(repo: Path, tmp_path: Path, git_calls: list[list[str]]) -> None:
    config = repo / "mkdocs.yml"
    set_plugin_options(config, "kb-git-dates", enabled=False)
    site = built(config, tmp_path / "site", git_calls)
    assert git_calls == []
    assert updated_of(site, SEED_URL) == []


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ({"enabled": "maybe"}, "mkdocs.yml: plugins.kb-git-dates.enabled: Expected type: <class 'bool'>"),
        ({"depth": 3}, "mkdocs.yml: plugins.kb-git-dates.depth: Unrecognised configuration name"),
    ],
)
def test_bad_settings_stop_the_build_with_one_line(
    engine_project: Path, tmp_path: Path, setting: dict[str, object], expected: str
) -> None:
    set_plugin_options(engine_project, "kb-git-dates", **setting)
    with pytest.raises(BuildFailed) as raised:
        build_site(engine_project, tmp_path / "site")
    [error] = raised.value.errors
    assert expected in error
    assert "\n" not in error
