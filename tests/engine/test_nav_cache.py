"""The navigation rendered once per shape (kb_engine.compat.navcache) gives every page Material's own navigation.

On the engine's fixture site with generated posts, guides, comments and a tree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.structure.nav import Link, Section

from enginesite import POST_URLS, copy_engine_site_with_posts
from kb_engine import buildstate
from kb_engine.compat.navcache import NAV
from kb_engine.compat.partialcache import PartialCache
from kb_engine.plugins.speed import PARTIALS_STATE
from sitebuild import captured_logs, own_plugin_instances, site_files


def _project(root: Path, *, cached: bool) -> Path:
    config = copy_engine_site_with_posts(root, 24, comments_per_post=1, tree_nodes=12)
    text = config.read_text(encoding="utf-8")
    text = text.replace("  - kb-blog:\n", "  - kb-blog:\n      pagination_per_page: 5\n")
    if not cached:  # Material's partials/nav.html, as it comes (with every other speed-up off)
        assert "  - kb-speed\n" in text
        text = text.replace("  - kb-speed\n", "  - kb-speed:\n      enabled: false\n")
    config.write_text(text, encoding="utf-8")
    return config


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, bytes], dict[str, bytes], PartialCache]:
    root = tmp_path_factory.mktemp("navcache")
    found = []
    with captured_logs(), own_plugin_instances():
        for cached in (False, True):
            config = load_config(str(_project(root / str(cached), cached=cached)),
                                 site_dir=str(root / f"site-{cached}"))
            config.plugins.on_startup(command="build", dirty=False)
            build(config)
            found.append(site_files(root / f"site-{cached}"))
            config.plugins.on_shutdown()
    return found[0], found[1], buildstate.get(config, PARTIALS_STATE, PartialCache)


def test_every_page_is_the_one_materials_own_navigation_gives(
    builds: tuple[dict[str, bytes], dict[str, bytes], PartialCache],
) -> None:
    stock, cached, _ = builds
    assert sorted(stock) == sorted(cached)
    assert "blog/page/2/index.html" in stock and "guides/index.html" in stock
    assert [name for name in stock if stock[name] != cached[name]] == []


def test_pages_outside_the_navigation_share_one_rendering(
    builds: tuple[dict[str, bytes], dict[str, bytes], PartialCache],
) -> None:
    _, cached, cache = builds
    # Every HTML file but the redirect pages (kb-redirects), which have no navigation.
    redirects = [name for name, body in cached.items() if b'http-equiv="refresh"' in body]
    pages = sum(1 for name in cached if name.endswith(".html")) - len(redirects)
    posts = [name for name in cached if name.startswith("blog/20") and name.endswith("/index.html")]
    assert len(redirects) == 2  # the fixture site's: two old addresses
    assert cache.rendered[NAV] + cache.reused[NAV] == pages  # one navigation per page
    assert len(posts) == 24 + len(POST_URLS)  # made here, and the fixture site's
    assert cache.reused[NAV] >= len(posts) - 1  # every post is outside the navigation, at the same depth


def test_the_key_s_page_comparison_is_python_s() -> None:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File
    from mkdocs.structure.nav import Link, Section
    from mkdocs.structure.pages import Page

    from kb_engine.compat.navcache import _equal_to

    class Post(Page):  # a subclass, as Material's posts and views are
        pass

    class Loose(Page):  # a subclass with a comparison of its own
        def __eq__(self, other: object) -> bool:
            return isinstance(other, Page) and other.file.src_uri == self.file.src_uri

        __hash__ = Page.__hash__

    config = MkDocsConfig()
    config.load_dict({"site_name": "x", "docs_dir": "/tmp"})  # noqa: S108 - never read
    a, b, b2 = (File(f"{n}.md", "/tmp", "/tmp/site", use_directory_urls=True) for n in ("a", "b", "b"))  # noqa: S108
    objects: list[object] = [
        Page("A", a, config), Page("A", a, config), Page("B", a, config), Page("A", b, config),
        Post("A", a, config), Post("A", b, config), Loose("A", b2, config), Loose(None, a, config),
        Section("S", []), Link("L", "https://example.org/"), None, "a.md",
    ]
    for item in objects:
        for page in objects:
            assert _equal_to(page)(item) == (item == page), (item, page)
            assert _equal_to(page)(item) == (page in [item]), (item, page)


def _depth_first(items: list[Any]) -> list[Any]:
    """Every item, each before its children: the plain recursive walk."""
    return [found for item in items for found in (item, *_depth_first(getattr(item, "children", None) or []))]


_trees = st.recursive(
    st.builds(Link, st.just("L"), st.just("https://example.org/")),
    lambda inner: st.builds(Section, st.just("S"), st.lists(inner, max_size=4)),
    max_leaves=20,
)


@settings(max_examples=50, deadline=None)
@given(st.lists(_trees, max_size=5))
def test_the_key_walks_the_navigation_depth_first(items: list[Any]) -> None:
    from kb_engine.compat.navcache import _items

    walked = _items(items)
    assert len(walked) == len(_depth_first(items))
    assert all(a is b for a, b in zip(walked, _depth_first(items), strict=True))
