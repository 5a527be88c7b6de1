"""The site's approved comments (comments/) are valid against its posts."""

from __future__ import annotations

from kb_engine.comments.model import check_comments
from sitebuild import PROJECT


def test_the_repository_comments_are_valid() -> None:
    posts = {p.relative_to(PROJECT / "docs/blog/posts").with_suffix("").as_posix()
             for p in (PROJECT / "docs/blog/posts").rglob("*.md")}  # fmt: skip
    assert check_comments(PROJECT / "comments", posts, PROJECT) == []
