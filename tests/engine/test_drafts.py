"""Drafts and scheduled posts: out of the built site, in a served one.

The blog plugin is set up with ``draft: false``, ``draft_on_serve: true`` and
``draft_if_future_date: true``. These tests build a copy of the engine's fixture site with
a draft, a post dated tomorrow and one dated a minute ago, and look for each
everywhere a reader or a machine could find it: pages, search index,
sitemap, feeds (every built file is searched for the post's unique word).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from enginesite import DRAFT_POST, copy_engine_site
from sitebuild import Site, build_site, captured_logs

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
POSTS = {
    # slug: (front matter, the unique word in its body)
    "draft-post": ("date: 2024-02-01\ndraft: true\n", "xylodraftword"),
    "future-post": (f"date: {(NOW + dt.timedelta(days=1)).isoformat()}\n", "xylofutureword"),
    "due-post": (f"date: {(NOW - dt.timedelta(minutes=1)).isoformat()}\n", "xyloduewword"),
}


def write_posts(config_file: Path) -> None:
    for slug, (front, word) in POSTS.items():
        text = (
            f"---\n{front}authors: [ada-baker]\ncategories: [Starters]\nslug: {slug}\n---\n\n"
            f"# The {slug.replace('-', ' ')}\n\nOpening with {word}.\n\n<!-- more -->\n\nMore.\n"
        )
        (config_file.parent / f"docs/blog/posts/{slug}.md").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("drafts")
    config_file = copy_engine_site(root / "project")
    write_posts(config_file)
    return build_site(config_file, root / "site")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """A build the way ``mkdocs serve`` makes it: plugins told the command is serve."""
    root = tmp_path_factory.mktemp("drafts-served")
    config_file = copy_engine_site(root / "project")
    write_posts(config_file)
    with captured_logs():
        config = load_config(str(config_file), site_dir=str(root / "site"))
        config.plugins.on_startup(command="serve", dirty=False)
        try:
            build(config, serve_url="http://127.0.0.1:8000/")
        finally:
            # MkDocs keeps plugin instances for the whole process (that is how
            # `serve` reuses them); tell them the next command is a build, or
            # the blog plugin would show drafts in this worker's later builds.
            config.plugins.on_startup(command="build", dirty=False)
    return Site(root / "site")


def files_mentioning(site: Site, needle: str) -> list[str]:
    found = []
    for path in site.files():
        if needle in path.as_posix() or needle in path.read_bytes().decode("utf-8", "replace"):
            found.append(path.relative_to(site.site_dir).as_posix())
    return found


def search_locations(site: Site) -> list[str]:
    index = json.loads(site.text("search/search_index.json"))
    return [doc["location"] for doc in index["docs"]]


@pytest.mark.parametrize("slug", ["draft-post", "future-post"])
def test_drafts_and_future_posts_are_nowhere_in_the_built_site(built: Site, slug: str) -> None:
    _, word = POSTS[slug]
    assert files_mentioning(built, word) == []
    assert files_mentioning(built, slug) == []
    assert not any(slug in location for location in search_locations(built))
    assert slug not in built.text("sitemap.xml")


def test_a_post_whose_date_has_passed_is_published_everywhere(built: Site) -> None:
    _, word = POSTS["due-post"]
    mentioning = files_mentioning(built, word)
    page = f"blog/{NOW - dt.timedelta(minutes=1):%Y/%m/%d}/due-post/index.html"
    assert page in mentioning
    assert "blog/index.html" in mentioning  # the excerpt in the blog's list
    assert any("due-post" in location for location in search_locations(built))
    assert f"blog/{NOW - dt.timedelta(minutes=1):%Y/%m/%d}/due-post/" in built.text("sitemap.xml")


def test_the_feeds_leave_drafts_and_future_posts_out(built: Site) -> None:
    feeds = [p for p in built.files() if p.suffix in {".xml", ".json"} and p.name != "search_index.json"]
    for feed in feeds:
        text = feed.read_text(encoding="utf-8")
        assert "xylodraftword" not in text and "xylofutureword" not in text, feed


@pytest.mark.parametrize("slug", sorted(POSTS))
def test_serve_shows_drafts_and_future_posts(served: Site, slug: str) -> None:
    pages = [p for p in files_mentioning(served, POSTS[slug][1]) if p.endswith(f"/{slug}/index.html")]
    assert len(pages) == 1
    assert any(slug in location for location in search_locations(served))


def test_the_fixture_sites_own_draft_is_nowhere(engine_site: Site) -> None:
    assert files_mentioning(engine_site, DRAFT_POST) == []
    assert files_mentioning(engine_site, "Rye notes") == []
