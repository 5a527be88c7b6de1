"""Material's header, tabs and footer rendered once per key (kb_engine.compat.partialcache) are Material's own.

Three checks:

- the engine's fixture site, with sticky tabs (the header then holds the tabs), a
  logo, language links, a page that hides its footer and one titled by its front
  matter, built with and without the cache: every file the same;
- every page of that build, and pages changed one input at a time (title, front
  matter title, ``hide:``, previous and next pages, features), rendered by
  Material's partials as they come: two with the same key always get the same
  HTML (a key that misses an input fails here), and the changes do change the HTML;
- a site that overrides a partial (or one it includes) gets its own, every time.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.commands.build import build, get_context
from mkdocs.config import load_config
from mkdocs.plugins import BasePlugin

from enginesite import copy_engine_site_with_posts
from kb_engine import buildstate
from kb_engine.compat.navcache import NAV
from kb_engine.compat.partialcache import FOOTER, HEADER, PARTIALS, TABS, PartialCache, cacheable, install
from kb_engine.plugins.speed import PARTIALS_STATE
from sitebuild import captured_logs, own_plugin_instances, site_files

CHANGES = """\
extra:
  generator: false
  alternate:
    - name: English
      link: ./
      lang: en
    - name: Deutsch
      link: de/
      lang: de
"""


def _project(root: Path, *, cached: bool) -> Path:
    config = copy_engine_site_with_posts(root, 12, comments_per_post=1, tree_nodes=6)
    text = config.read_text(encoding="utf-8")
    for old, new in (
        ("  - kb-blog:\n", "  - kb-blog:\n      pagination_per_page: 5\n"),
        ("    - navigation.tabs\n", "    - navigation.tabs\n    - navigation.tabs.sticky\n"),
        ("  font: false\n", "  font: false\n  logo: assets/authors/ada-baker.png\n"),
        ("extra:\n  generator: false\n", CHANGES),
        *(() if cached else (("  - kb-speed\n", "  - kb-speed:\n      enabled: false\n"),)),
    ):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    config.write_text(text, encoding="utf-8")
    docs = root / "docs" / "guides"
    for name, meta in (("shaping.md", "hide:\n  - footer\n"), ("starter.md", "title: The starter, from scratch\n")):
        page = (docs / name).read_text(encoding="utf-8")
        assert page.startswith("---\n")
        (docs / name).write_text("---\n" + meta + page[4:], encoding="utf-8")
    return config


class _Keep(BasePlugin):  # type: ignore[type-arg,no-untyped-call]  # MkDocs leaves BasePlugin untyped
    """Keeps the build's files and navigation, for rendering partials afterwards."""

    def on_nav(self, nav: Any, /, *, config: Any, files: Any) -> None:
        self.nav, self.files = nav, files


class Built:
    def __init__(self, files: dict[str, bytes], config: Any, kept: _Keep) -> None:
        self.files, self.config, self.kept = files, config, kept
        self.env = config.theme.get_env()  # the theme's templates as they come, with MkDocs' filters

    @property
    def cache(self) -> PartialCache:
        return buildstate.get(self.config, PARTIALS_STATE, PartialCache)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Built, Built]:
    root = tmp_path_factory.mktemp("partialcache")
    found = []
    with captured_logs(), own_plugin_instances():
        for cached in (False, True):
            config = load_config(str(_project(root / str(cached), cached=cached)),
                                 site_dir=str(root / f"site-{cached}"))
            kept = _Keep()
            config.plugins["test-keep"] = kept
            config.plugins.on_startup(command="build", dirty=False)
            build(config)
            found.append(Built(site_files(root / f"site-{cached}"), config, kept))
            config.plugins.on_shutdown()
    return found[0], found[1]


def test_every_file_is_the_one_materials_own_partials_give(builds: tuple[Built, Built]) -> None:
    stock, cached = builds
    assert sorted(stock.files) == sorted(cached.files)
    assert [name for name in stock.files if stock.files[name] != cached.files[name]] == []
    shaping = cached.files["guides/shaping/index.html"].decode()
    assert 'class="md-header md-header--shadow md-header--lifted"' in shaping  # the sticky tabs
    assert '<nav class="md-footer__inner md-grid" aria-label="Footer" hidden>' in shaping
    assert "The starter, from scratch" in cached.files["guides/starter/index.html"].decode()
    assert 'href="../../de/" hreflang="de"' in shaping and 'src="../../assets/authors/ada-baker.png"' in shaping


def test_the_partials_are_rendered_once_per_key(builds: tuple[Built, Built]) -> None:
    stock, cached = builds
    assert buildstate.get_optional(stock.config, PARTIALS_STATE, PartialCache) is None
    cache = cached.cache
    assert cache.served == {NAV, HEADER, TABS, FOOTER}
    pages = cache.rendered[NAV] + cache.reused[NAV]
    # One of each per page; the tabs are in the header (sticky), so rendered only with a new header.
    assert cache.rendered[FOOTER] + cache.reused[FOOTER] == pages
    assert cache.rendered[HEADER] + cache.reused[HEADER] == pages
    assert cache.rendered[TABS] + cache.reused[TABS] == cache.rendered[HEADER]
    # The blog's views have no previous and next pages (kb_engine.footer): one footer for all.
    views = [name for name in cached.files
             if name.startswith(("blog/archive/", "blog/author/", "blog/category/")) and name.endswith(".html")]
    assert len(views) >= 6 and cache.reused[FOOTER] >= len(views) - 1
    assert cache.reused[TABS] > cache.rendered[TABS]


def test_a_cache_that_keeps_few_keys_writes_the_same_site(builds: tuple[Built, Built], tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import dataclass

    import kb_engine.plugins.speed

    @dataclass
    class FewKeys(PartialCache):
        limit: int = 1

    stock, _ = builds
    monkeypatch.setattr(kb_engine.plugins.speed, "PartialCache", FewKeys)
    with captured_logs(), own_plugin_instances():
        config = load_config(str(_project(tmp_path / "project", cached=True)), site_dir=str(tmp_path / "site"))
        config.plugins.on_startup(command="build", dirty=False)
        build(config)
        config.plugins.on_shutdown()
    cache = buildstate.get(config, PARTIALS_STATE, PartialCache)
    assert all(len(kept) <= 1 for kept in cache.html.values())
    assert cache.reused[FOOTER] > 0  # neighbouring pages still share
    assert site_files(tmp_path / "site") == stock.files


# Keys against Material's partials, page by page --------------------------------------


def _context(built: Built, page: Any, features: list[str]) -> dict[str, Any]:
    """A page's context as Material's base.html gives it to its partials."""
    context: dict[str, Any] = dict(get_context(built.kept.nav, built.kept.files, built.config, page))
    context["lang"] = built.env.get_template("partials/language.html").make_module(context)
    context["features"] = features
    return context


def _rendered(built: Built, partial: str, context: dict[str, Any]) -> tuple[Any, str]:
    """``partial``'s key, and its HTML by Material's own template as it comes."""
    template = built.env.get_template(partial)
    page = context["page"]
    page.active = True  # as MkDocs sets it while the page is built
    try:
        key = PARTIALS[partial].key(template.new_context(context))
        html = template.render(context)
    finally:
        page.active = False
    return key, html


def _pages(built: Built) -> list[Any]:
    posts = built.config.plugins["kb-blog"].blog.posts
    return [*built.kept.nav.pages, *posts[:4]]


def _one_html_per_key(found: list[tuple[Any, str]]) -> dict[Any, str]:
    by_key: dict[Any, str] = {}
    for key, html in found:
        if key is not None:
            assert by_key.setdefault(key, html) == html, key
    return by_key


@pytest.mark.parametrize("partial", [HEADER, TABS, FOOTER])
def test_pages_with_one_key_get_one_html(builds: tuple[Built, Built], partial: str) -> None:
    _, built = builds
    features = list(built.config.theme["features"])
    found = [_rendered(built, partial, _context(built, page, features)) for page in _pages(built)]
    by_key = _one_html_per_key(found)
    if partial == TABS:
        assert 1 < len(by_key) < len(found)
    if partial == FOOTER:  # the pages without neighbours share one; the others have no key
        assert len(by_key) == 1 and 0 < [key for key, _ in found].count(None) < len(found)


def _rename_next(page: Any) -> None:
    page.next_page = copy.copy(page.next_page)
    page.next_page.title = "Renamed"


@pytest.mark.parametrize("partial", [HEADER, TABS, FOOTER])
def test_each_input_a_partial_shows_is_in_its_key(builds: tuple[Built, Built], partial: str) -> None:
    """Pages changed in one input each: where the HTML changes, so does the key."""
    _, built = builds
    features = list(built.config.theme["features"])
    pages = built.kept.nav.pages
    guide = next(page for page in pages if page.url == "guides/")
    other = next(page for page in pages if page.url == "about/")
    changes = {
        "title": lambda p: setattr(p, "title", "Another title"),
        "meta title": lambda p: p.meta.update(title="A front matter title"),
        "hide footer": lambda p: p.meta.update(hide=["footer"]),
        "hide navigation": lambda p: p.meta.update(hide=["navigation"]),
        "previous": lambda p: setattr(p, "previous_page", other),
        "no next": lambda p: setattr(p, "next_page", None),
        "next title": _rename_next,
    }
    base = _rendered(built, partial, _context(built, guide, features))
    changed_html = set()
    for name, change in changes.items():
        page = copy.copy(guide)
        page.meta = dict(guide.meta)
        change(page)
        key, html = _rendered(built, partial, _context(built, page, features))
        assert key is None or key != base[0] or html == base[1], name  # no key: rendered as it comes
        if html != base[1]:
            changed_html.add(name)
    for feature in ("navigation.tabs.sticky", "navigation.footer", "navigation.indexes"):
        fewer = [f for f in features if f != feature]
        key, html = _rendered(built, partial, _context(built, guide, fewer))
        assert key is None or key != base[0] or html == base[1], feature
    # The tabs change with the page's place only (test_pages_with_one_key_get_one_html).
    expected = {HEADER: {"title", "meta title"}, TABS: set(),
                FOOTER: {"hide footer", "previous", "no next", "next title"}}[partial]
    assert expected <= changed_html


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_keys_of_pages_with_outside_titles_and_meta(builds: tuple[Built, Built], data: st.DataObject) -> None:
    """Titles, front matter titles and ``hide:`` lists from outside: one key, one HTML."""
    _, built = builds
    features = list(built.config.theme["features"])
    pages = _pages(built)
    titles = st.text(min_size=1, max_size=12)
    found: dict[str, list[tuple[Any, str]]] = {HEADER: [], TABS: [], FOOTER: []}
    for _ in range(3):
        page = copy.copy(data.draw(st.sampled_from(pages)))
        page.meta = dict(page.meta)
        title = data.draw(titles)
        page.title = title
        if data.draw(st.booleans()):
            page.meta["title"] = data.draw(st.sampled_from([title, "", *data.draw(st.lists(titles, max_size=1))]))
        hide = data.draw(st.lists(st.sampled_from(["footer", "navigation", "toc"]), max_size=2))
        if hide:
            page.meta["hide"] = hide
        page.previous_page = data.draw(st.sampled_from([None, *pages[:3]]))
        page.next_page = data.draw(st.sampled_from([None, *pages[:3]]))
        for partial, results in found.items():
            results.append(_rendered(built, partial, _context(built, page, features)))
    for results in found.values():
        _one_html_per_key(results)


# A site's own partials ------------------------------------------------------------------


def test_a_partial_a_site_overrides_is_not_cached(builds: tuple[Built, Built], tmp_path: Path) -> None:
    _, built = builds
    config = built.config
    assert set(cacheable(config, PARTIALS)) == {HEADER, TABS, FOOTER}
    own = tmp_path / "overrides"
    (own / "partials").mkdir(parents=True)
    (own / "partials" / "copyright.html").write_text("{{ page.url }}", encoding="utf-8")
    dirs = config.theme.dirs
    config.theme.dirs = [str(own), *dirs]
    try:
        assert set(cacheable(config, PARTIALS)) == {HEADER, TABS}
        (own / "partials" / "footer.html").write_text("{{ page.url }}", encoding="utf-8")
        env, cache = config.theme.get_env(), PartialCache()
        install(env, cache, {name: partial.key for name, partial in PARTIALS.items()})
        assert cache.served == {HEADER, TABS}  # the site's footer.html is left as it is
        (own / "partials" / "tabs-item.html").write_text("", encoding="utf-8")
        assert set(cacheable(config, PARTIALS)) == set()  # the header holds the tabs
    finally:
        config.theme.dirs = dirs
