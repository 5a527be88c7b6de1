"""kb_engine.compat.incremental.quick: the page an author edits, shown before the rebuild, is the rebuild's page.

After a build, an edit to one page's text is taken through the last build's
own steps for that page alone; the page it makes must be byte for byte the
page the full rebuild then writes, and it is not made at all where that could
not be known (a title or an address changed, a tag no page had, a file that is
not a page of the last build). Pages the decision tree cites, and front matter
that only the page shows, are shown at once. On the engine's fixture site with
generated posts and comments.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from enginesite import AUTHORS, CATEGORIES, copy_engine_site_with_posts
from kb_engine.compat.incremental import BuildCache, build_site
from kb_engine.compat.incremental.quick import render_edited_page
from sitebuild import captured_logs, own_plugin_instances, site_files
from test_incremental import SERVE_URL, _fresh, _replace


def _edits(root: Path) -> list[tuple[str, Path, Callable[[], None], bool]]:
    """(what, the file edited, the edit, whether the page can be shown before the rebuild)."""
    posts = root / "docs" / "blog" / "posts"
    post = sorted(posts.glob("post-*.md"))[2]
    other = sorted(posts.glob("post-*.md"))[5]
    in_one = next(p for p in sorted(posts.glob("post-*.md")) if _category_of_others(p))  # of two categories
    about = root / "docs" / "about.md"
    cited = root / "docs" / "guides" / "starter.md"  # the decision tree adds a box to it
    comment = sorted((root / "comments" / post.stem).glob("*.yml"))[0]
    added = comment.with_name("c-added-in-preview.yml")
    return [
        ("a post's text", post,
         lambda: _replace(post, "\n## ", "\nAn edited sentence, *with* [a link](../../about.md).\n\n## "),
         True),
        ("the same post again", post, lambda: _replace(post, "An edited sentence", "Edited twice"), True),
        # A new title shows in lists and the navigation, and makes a post's address.
        ("a post's first heading", other, lambda: _replace(other, "\n# ", "\n# Retitled: "), False),
        ("a page's text", about, lambda: _replace(about, "\nTwo home", "\nAn edited paragraph.\n\nTwo home"), True),
        # Front matter that only this page shows (besides lists, indexes and feeds).
        ("a post's description", post,
         lambda: _replace(post, "---\n", "---\ndescription: An edited description.\n"), True),
        ("a post's description again", post,
         lambda: _replace(post, "An edited description.", "Edited twice."), True),
        ("a post's tags", post, lambda: _replace(post, "---\n", "---\ntags:\n  - Sourdough\n"), True),
        ("a post's categories", in_one,
         lambda: _replace(in_one, "categories:\n", f"categories:\n  - {_category_of_others(in_one)}\n"), True),
        ("a post's authors", post,
         lambda: _replace(post, "authors:\n", f"authors:\n  - {_other_author(post)}\n"), True),
        ("a post's comments closed", post, lambda: _replace(post, "---\n", "---\ncomments: closed\n"), True),
        ("a page's description", about,
         lambda: _replace(about, "description: Who", "description: Edited, who"), True),
        # A tag no page had: the tags page gets a new entry, which the page links to.
        ("a tag no page had", about, lambda: _replace(about, "---\n", "---\ntags:\n  - A brand new tag\n"),
         False),
        # Comment files are not pages: the rebuild shows them (and a broken one fails it).
        ("a comment file", comment, lambda: _replace(comment, "body: |\n  ", "body: |\n  Edited. "), False),
        ("a new comment file", added, lambda: added.write_text(
            comment.read_text(encoding="utf-8").replace(comment.stem, added.stem), encoding="utf-8"), False),
        ("a broken comment file", added, lambda: _replace(added, "date: ", "date: not a date "), False),
        ("the comment fixed", added, lambda: _replace(added, "date: not a date ", "date: "), False),
        # Its address is made from its date.
        ("a post's date", post, lambda: _replace(post, "date: 20", "date: 19"), False),
        # The tree's "In the decision tree" box, added after the page's events, is added again.
        ("a page the tree cites", cited, lambda: _replace(cited, "\n## ", "\nEdited.\n\n## "), True),
        # The box names the cited sections by their headings.
        ("a heading the tree cites", cited,
         lambda: _replace(cited, "## When to use it\n", "## When to use it, edited {: #when-to-use-it }\n"),
         True),
        # The build would fail: the tree cites that anchor. The rebuild says so.
        ("a cited heading's anchor", cited,
         lambda: _replace(cited, "{: #when-to-use-it }", "{: #when-to-use-it-renamed }"), False),
        # A failed build leaves nothing to show a page over: the next build is a whole one.
        ("the anchor back", cited,
         lambda: _replace(cited, "{: #when-to-use-it-renamed }", "{: #when-to-use-it }"), False),
        ("a page the tree cites, again", cited, lambda: _replace(cited, "Edited.", "Edited again."), True),
    ]


def _category_of_others(post: Path) -> str | None:
    """A category this post is not in and another post is (its page exists)."""
    others = "".join(p.read_text(encoding="utf-8") for p in post.parent.glob("*.md") if p != post)
    text = post.read_text(encoding="utf-8")
    return next((c for c in CATEGORIES if f"  - {c}\n" in others and f"  - {c}\n" not in text), None)


def _other_author(post: Path) -> str:
    text = post.read_text(encoding="utf-8")
    return next(a for a in AUTHORS if f"  - {a}\n" not in text)


@contextmanager
def first_build(tmp_path: Path, posts: int, comments: int) -> Iterator[tuple[Path, Path, BuildCache]]:
    """The fixture site with generated posts, built once as the preview builds it."""
    root = tmp_path / "project"
    # No generated tree: it cites posts; the fixture site's own tree cites its guides.
    config_file = copy_engine_site_with_posts(root, posts, comments_per_post=comments, tree_nodes=0)
    cache = BuildCache()
    with captured_logs(), own_plugin_instances():
        config: Any = load_config(str(config_file))
        config.plugins.on_startup(command="serve", dirty=False)
        build_site(config, tmp_path / "site-0", cache, serve_url=SERVE_URL)
        assert cache.last is not None
        yield root, config_file, cache


@pytest.mark.timeout(1200)
def test_a_page_shown_before_the_rebuild_is_the_rebuilds_page(tmp_path: Path) -> None:
    failed: list[str] = []
    with first_build(tmp_path, 10, 2) as (root, config_file, cache):
        for number, (what, path, edit, quick) in enumerate(_edits(root), 1):
            edit()
            shown = render_edited_page(cache.last, path) if cache.last else None
            assert (shown is not None) == quick, what
            try:
                build_site(load_config(str(config_file)), tmp_path / f"site-{number}", cache,
                           serve_url=SERVE_URL)
            except Abort:
                failed.append(what)
                continue
            if shown is not None:
                dest, body = shown
                assert body == (tmp_path / f"site-{number}" / dest).read_bytes(), what
        assert failed == ["a broken comment file", "a cited heading's anchor"]
        assert site_files(tmp_path / f"site-{number}") == _fresh(config_file, tmp_path / "fresh")


def test_nothing_is_shown_for_what_is_not_a_page_of_the_last_build(tmp_path: Path) -> None:
    with first_build(tmp_path, 4, 1) as (root, _config_file, cache):
        assert cache.last is not None
        new = root / "docs" / "blog" / "posts" / "brand-new.md"
        new.write_text(f"---\ndate: 2025-01-01\nauthors: [{AUTHORS[0]}]\n---\n\n# New\n\nText.\n\n<!-- more -->\n",
                       encoding="utf-8")
        comment = next((root / "comments").rglob("*.yml"))
        unreadable = root / "docs" / "about.md"
        others = (new, comment, root / "mkdocs.yml", root / "docs" / "missing.md", tmp_path / "elsewhere.md")
        for path in others:
            assert render_edited_page(cache.last, path) is None, path
        unreadable.write_bytes(b"\xff\xfe not UTF-8")
        assert render_edited_page(cache.last, unreadable) is None
