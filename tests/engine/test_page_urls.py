"""Two files published at one address stop the build and the check, naming both.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from enginesite import THREAD_POST, THREAD_URL, copy_engine_site
from kb_engine.pageurls import url_collisions
from kb_engine.problems import Problem
from sitebuild import BuildFailed, build_site, run_check

SOURCE = f"docs/blog/posts/{THREAD_POST}.md"


def test_one_line_per_shared_address_naming_every_file() -> None:
    found = url_collisions([
        ("docs/a.md", "a/index.html"), ("docs/a/index.md", "a/index.html"), ("docs/b.md", "b/index.html"),
        ("docs/c.md", "c/index.html"), ("docs/c/index.md", "c/index.html"), ("docs/c.html", "c/index.html"),
    ])  # fmt: skip
    assert found == [
        Problem("docs/a.md", None, "docs/a/index.md is published at the same address, a/: one would "
                "silently replace the other; give one another slug, date or file name"),
        Problem("docs/c.html", None, "docs/c.md and docs/c/index.md are published at the same address, c/: "
                "one would silently replace the other; give one another slug, date or file name"),
    ]  # fmt: skip
    assert url_collisions([("docs/a.md", "a/index.html"), ("docs/b.md", "b/index.html")]) == []


@pytest.fixture
def project(tmp_path: Path) -> Path:
    copy_engine_site(tmp_path / "project")
    return tmp_path / "project"


def test_a_second_post_with_the_source_posts_slug_and_date_fails_the_build(
    project: Path, tmp_path: Path
) -> None:
    text = (project / SOURCE).read_text(encoding="utf-8")
    (project / "docs/blog/posts/imposter.md").write_text(text.replace("title: ", "title: Copy of ", 1),
                                                          encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        build_site(project / "mkdocs.yml", tmp_path / "site")
    [error] = failed.value.errors
    assert error.count("\n") == 0
    assert error.startswith(f"{SOURCE}: docs/blog/posts/imposter.md is published at the same address, "
                            f"{THREAD_URL}")
    check = run_check(project)
    assert check.returncode == 1
    assert f"docs/blog/posts/imposter.md:2: slug '{THREAD_POST}' is also the slug of {SOURCE}" \
        in check.stderr


def test_a_page_beside_a_folder_index_fails_the_build_and_the_check(project: Path, tmp_path: Path) -> None:
    (project / "docs/guides/shaping").mkdir()
    (project / "docs/guides/shaping/index.md").write_text("# Another shaping guide\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        build_site(project / "mkdocs.yml", tmp_path / "site")
    expected = ("docs/guides/shaping.md: docs/guides/shaping/index.md is published at the same address, "
                "guides/shaping/")
    assert [e for e in failed.value.errors if e.startswith(expected)], failed.value.errors
    check = run_check(project)
    assert check.returncode == 1 and expected in check.stderr, check.stderr



def test_a_page_at_a_posts_address_fails_the_check_and_the_build(project: Path, tmp_path: Path) -> None:
    """The check computes a post's address with the blog plugin's own path function."""
    page = project / f"docs/{THREAD_URL.rstrip('/')}.md"
    page.parent.mkdir(parents=True)
    page.write_text("# Not the post\n", encoding="utf-8")
    expected = (
        f"docs/{THREAD_URL.rstrip('/')}.md: {SOURCE} is published at the same address, {THREAD_URL}"
    )
    check = run_check(project)
    assert check.returncode == 1 and [line for line in check.stderr.splitlines() if line.startswith(expected)]
    with pytest.raises(BuildFailed) as failed:
        build_site(project / "mkdocs.yml", tmp_path / "site")
    assert [e for e in failed.value.errors if e.startswith(expected)], failed.value.errors
