"""The posts feeds in real builds: a small fixed site (tests/feeds_fixture) and the project itself."""

from __future__ import annotations

import json
import posixpath
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
from lxml import etree

from enginesite import POST_URLS
from enginesite import SITE_URL as ENGINE_SITE_URL
from feedcheck import all_problems, check_html
from feedsite import SITE_URL, make_feeds_project
from golden import assert_golden
from sitebuild import BuildFailed, Site, build_site, set_plugin_options

TRICKY_TITLE = "Fish & Chips < \"Quotes\" 'single' — Größe 日本"
POSTS = {
    "tricky": f"{SITE_URL}blog/2024/03/01/tricky/",
    "second": f"{SITE_URL}blog/2024/02/01/second/",
    "third": f"{SITE_URL}blog/2024/01/15/third/",
    "oldest": f"{SITE_URL}blog/2023/12/01/oldest/",
}
SITE_FEEDS = ("rss.xml", "atom.xml", "feed.json")
CATEGORY_FEEDS = {
    "category-partnerships.xml": ["tricky", "third", "oldest"],
    "category-vendor-excellence.xml": ["second"],
    "category-uncategorized.xml": ["oldest"],
}
CONTENT_NS = "{http://purl.org/rss/1.0/modules/content/}encoded"


@pytest.fixture(scope="session")
def feeds_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("feeds-site")
    return build_site(make_feeds_project(root / "project"), root / "site")


def feed_files(site: Site) -> list[Path]:
    """The posts feeds: files in the site's root (kb_engine.feeds.paths)."""
    return sorted(p for p in site.site_dir.iterdir()
                  if p.name in ("rss.xml", "atom.xml", "feed.json") or p.name.startswith("category-"))


def feeds_of(site: Site, site_url: str) -> Iterator[tuple[str, bytes, str]]:
    for path in feed_files(site):
        name = path.relative_to(site.site_dir).as_posix()
        yield name, path.read_bytes(), site_url + name


def parse(site: Site, name: str) -> feedparser.FeedParserDict:
    result = feedparser.parse(site.path(name).read_bytes())
    assert result.bozo == 0, f"{name}: {result.get('bozo_exception')}"
    return result


def links_in(site: Site, name: str) -> list[str]:
    if name.endswith(".json"):
        return [item["url"] for item in json.loads(site.text(name))["items"]]
    return [entry.link for entry in parse(site, name).entries]


# --- what the feeds carry ----------------------------------------------------


def test_the_fixture_builds_every_feed_and_nothing_else(feeds_site: Site) -> None:
    assert feeds_site.warnings == []
    names = sorted(name for name, _, _ in feeds_of(feeds_site, SITE_URL))
    assert names == sorted([*SITE_FEEDS, *CATEGORY_FEEDS])


def test_every_feed_passes_the_strict_checker(feeds_site: Site) -> None:
    assert all_problems(feeds_of(feeds_site, SITE_URL)) == []


@pytest.mark.parametrize("name", [n for n in (*SITE_FEEDS, *CATEGORY_FEEDS) if n.endswith(".xml")])
def test_every_xml_feed_parses_without_errors(feeds_site: Site, name: str) -> None:
    result = parse(feeds_site, name)
    assert result.version == ("atom10" if name.endswith("atom.xml") else "rss20")


@pytest.mark.parametrize("name", SITE_FEEDS)
def test_site_feeds_carry_the_newest_posts_newest_first(feeds_site: Site, name: str) -> None:
    # plugins.kb-feeds.limit is 3 in the fixture: the oldest post is left out.
    assert links_in(feeds_site, name) == [POSTS["tricky"], POSTS["second"], POSTS["third"]]


@pytest.mark.parametrize("name", sorted(CATEGORY_FEEDS))
def test_each_category_feed_carries_only_its_posts(feeds_site: Site, name: str) -> None:
    assert links_in(feeds_site, name) == [POSTS[slug] for slug in CATEGORY_FEEDS[name]]
    result = parse(feeds_site, name)
    category = result.feed.title.split(": ", 1)[1]
    assert all(category in [t.term for t in entry.tags] for entry in result.entries)
    assert result.feed.link.startswith(f"{SITE_URL}blog/category/")


def test_draft_and_future_posts_never_appear(feeds_site: Site) -> None:
    for name, data, _ in feeds_of(feeds_site, SITE_URL):
        for marker in (b"DRAFT-MARKER", b"FUTURE-MARKER", b"/draft/", b"/future/"):
            assert marker not in data, f"{marker!r} in {name}"


def test_drafts_shown_as_under_serve_stay_out_of_the_feeds(tmp_path: Path) -> None:
    # `mkdocs serve` turns the blog plugin's `draft` on (draft_on_serve): the
    # draft and the future post get pages, but never a place in a feed.
    config_file = make_feeds_project(tmp_path / "project")
    text = config_file.read_text(encoding="utf-8").replace("draft: false", "draft: true")
    config_file.write_text(text, encoding="utf-8")
    site = build_site(config_file, tmp_path / "site")
    assert "DRAFT-MARKER" in site.text("blog/2024/03/10/draft/")
    assert "FUTURE-MARKER" in site.text("blog/2999/01/01/future/")
    for name, data, _ in feeds_of(site, SITE_URL):
        assert b"MARKER" not in data and b"/draft/" not in data and b"/future/" not in data, name
    assert links_in(site, "rss.xml") == [POSTS["tricky"], POSTS["second"], POSTS["third"]]


def test_dates_keep_their_timezone(feeds_site: Site) -> None:
    rss = etree.fromstring(feeds_site.path("rss.xml").read_bytes())
    assert rss.findtext("channel/item/pubDate") == "Fri, 01 Mar 2024 09:30:00 +0200"
    assert rss.findtext("channel/lastBuildDate") == "Tue, 05 Mar 2024 18:00:00 +0100"
    atom = parse(feeds_site, "atom.xml").entries
    assert (atom[0].published, atom[0].updated) == ("2024-03-01T09:30:00+02:00", "2024-03-05T18:00:00+01:00")
    assert (atom[1].published, atom[1].updated) == ("2024-02-01T00:00:00+00:00", "2024-02-01T00:00:00+00:00")
    items = json.loads(feeds_site.text("feed.json"))["items"]
    assert items[0]["date_published"] == "2024-03-01T09:30:00+02:00"
    assert items[0]["date_modified"] == "2024-03-05T18:00:00+01:00"
    assert "date_modified" not in items[1]


def test_titles_and_content_are_escaped_exactly_once(feeds_site: Site) -> None:
    for name in ("rss.xml", "atom.xml"):
        entry = parse(feeds_site, name).entries[0]
        assert entry.title == TRICKY_TITLE
        assert "A &amp; B &lt; C, \"double\" and 'single' quotes, and Größe 日本." in entry.summary
    item = json.loads(feeds_site.text("feed.json"))["items"][0]
    assert item["title"] == TRICKY_TITLE
    assert "A &amp; B &lt; C" in item["content_html"]
    assert item["summary"] == "An excerpt with A & B < C, \"double\" and 'single' quotes, and Größe 日本."
    assert "Größe 日本".encode() in feeds_site.path("rss.xml").read_bytes()


def test_content_links_and_images_are_absolute(feeds_site: Site) -> None:
    rss = etree.fromstring(feeds_site.path("rss.xml").read_bytes())
    content = rss.findtext(f"channel/item/{CONTENT_NS}") or ""
    assert check_html(content, "content") == []
    page = etree.fromstring(f"<div>{content}</div>", etree.HTMLParser())
    assert page.xpath("//img/@src") == [f"{SITE_URL}assets/chart.svg"]
    hrefs = page.xpath("//a/@href")
    assert POSTS["second"] in hrefs
    assert f"{POSTS['tricky']}#a-section" in hrefs
    assert f"{POSTS['tricky']}#fn:1" in hrefs
    assert f"{SITE_URL}blog/" in hrefs


def test_full_content_without_the_page_title_and_permalinks(feeds_site: Site) -> None:
    rss = etree.fromstring(feeds_site.path("rss.xml").read_bytes())
    item = rss.find("channel/item")
    assert item is not None
    description, content = item.findtext("description") or "", item.findtext(CONTENT_NS) or ""
    assert "A section" not in description and "A section" in content
    assert "<h1" not in content and "headerlink" not in content and "¶" not in content


def test_items_link_to_their_comments(feeds_site: Site) -> None:
    entry = parse(feeds_site, "rss.xml").entries[0]
    assert entry.comments == f"{POSTS['tricky']}#comments"
    assert entry.wfw_commentrss == f"{SITE_URL}comments-blog-2024-03-01-tricky.xml"
    assert entry.slash_comments == "0"


def test_the_golden_feeds(feeds_site: Site, update_goldens: bool) -> None:
    for name in (*SITE_FEEDS, "category-partnerships.xml"):
        assert_golden(f"feeds/{name}", feeds_site.text(name), update_goldens)


def test_a_rebuild_in_the_same_process_gives_the_same_feeds(feeds_site: Site, tmp_path: Path) -> None:
    again = build_site(make_feeds_project(tmp_path / "project"), tmp_path / "site")
    first = {name: data for name, data, _ in feeds_of(feeds_site, SITE_URL)}
    assert {name: data for name, data, _ in feeds_of(again, SITE_URL)} == first


# --- settings ------------------------------------------------------------------


def test_excerpt_only_feeds(tmp_path: Path) -> None:
    config_file = make_feeds_project(tmp_path / "project")
    set_plugin_options(config_file, "kb-feeds", content="excerpt", limit=10, categories=False, comments=False)
    site = build_site(config_file, tmp_path / "site")
    assert not (site.site_dir / "feeds/category").exists()
    rss = etree.fromstring(site.path("rss.xml").read_bytes())
    items = rss.findall("channel/item")
    assert len(items) == 4
    assert all(item.find(CONTENT_NS) is None for item in items)
    assert "A section" not in (items[0].findtext("description") or "")
    assert b"commentRss" not in site.path("rss.xml").read_bytes()
    assert all_problems(feeds_of(site, SITE_URL)) == []


def test_comment_counts_from_the_comments_feature(tmp_path: Path) -> None:
    config_file = make_feeds_project(tmp_path / "project")
    (config_file.parent / "hooks").mkdir()
    (config_file.parent / "hooks/fake_comment_counts.py").write_text(
        "from kb_engine import buildstate\n\n\n"
        "def on_config(config):\n"
        "    buildstate.start(config, 'comment_counts', {'blog/posts/tricky.md': 3})\n",
        encoding="utf-8",
    )
    text = config_file.read_text(encoding="utf-8")
    config_file.write_text(text + "\nhooks:\n  - hooks/fake_comment_counts.py\n", encoding="utf-8")
    site = build_site(config_file, tmp_path / "site")
    entries = parse(site, "rss.xml").entries
    assert [e.slash_comments for e in entries] == ["3", "0", "0"]
    atom = etree.fromstring(site.path("atom.xml").read_bytes())
    thread = {"thr": "http://purl.org/syndication/thread/1.0"}
    counts = atom.xpath("//*[@rel='replies']/@thr:count", namespaces=thread)
    assert counts[:2] == ["3", "3"]
    assert json.loads(site.text("feed.json"))["items"][0]["_comments"]["count"] == 3
    # With comments on, the feeds page lists the site-wide comments feed too.
    assert f"{SITE_URL}comments.xml" in site.html("feeds/").text_content()


BAD_SETTINGS = {
    "limit zero": ({"limit": 0}, "mkdocs.yml: plugins.kb-feeds.limit: must be at least 1, got 0"),
    "limit text": ({"limit": "ten"}, "mkdocs.yml: plugins.kb-feeds.limit: expected a whole number, got 'ten'"),
    "limit bool": ({"limit": True}, "mkdocs.yml: plugins.kb-feeds.limit: expected a whole number, got True"),
    "content": (
        {"content": "all"},
        "mkdocs.yml: plugins.kb-feeds.content: Expected one of: ('full', 'excerpt')",
    ),
    "categories": (
        {"categories": "yes"},
        "mkdocs.yml: plugins.kb-feeds.categories: Expected type: <class 'bool'>",
    ),
    "title": ({"title": ""}, "mkdocs.yml: plugins.kb-feeds.title: expected a non-empty text, got ''"),
    "category_title": (
        {"category_title": "{site}: {category}"},
        "mkdocs.yml: plugins.kb-feeds.category_title: unknown placeholder {site} (use {title}, {category})",
    ),
    "unknown key": ({"limt": 5}, "mkdocs.yml: plugins.kb-feeds.limt: Unrecognised configuration name: limt"),
    "page": ({"page": "nowhere.md"}, "mkdocs.yml: plugins.kb-feeds.page: 'nowhere.md' is not a page in docs/"),
}


@pytest.mark.parametrize("case", sorted(BAD_SETTINGS))
def test_a_bad_setting_stops_the_build_with_one_line(
    tmp_path: Path, case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    change, expected = BAD_SETTINGS[case]
    config_file = make_feeds_project(tmp_path / "project")
    set_plugin_options(config_file, "kb-feeds", **change)
    monkeypatch.chdir(config_file.parent)
    with pytest.raises(BuildFailed) as raised:
        build_site(config_file, tmp_path / "site")
    [message] = raised.value.errors
    assert message.removeprefix("Config value 'plugins': ").startswith(expected), message
    assert "\n" not in message


def test_a_missing_site_url_stops_the_build_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_file = make_feeds_project(tmp_path / "project")
    text = config_file.read_text(encoding="utf-8").replace(f"site_url: {SITE_URL}\n", "")
    config_file.write_text(text, encoding="utf-8")
    monkeypatch.chdir(config_file.parent)
    with pytest.raises(BuildFailed) as raised:
        build_site(config_file, tmp_path / "site")
    assert raised.value.errors == [
        "mkdocs.yml: site_url is required for the feeds (set it to the address the site is published at)"
    ]


# --- pages that lead to the feeds ---------------------------------------------


def html_pages(site: Site) -> list[str]:
    return [p.relative_to(site.site_dir).as_posix() for p in site.files() if p.name == "index.html"]


def resolve(site: Site, page: str, href: str) -> Path:
    """The file a relative ``href`` on ``page`` points to."""
    page_url = "/" + page.removesuffix("index.html")
    target = urlsplit(urljoin(page_url, href)).path
    return site.path(posixpath.normpath(target) + ("/" if target.endswith("/") else ""))


def alternates(site: Site, page: str) -> list[tuple[str, str, str]]:
    doc = site.html(page.removesuffix("index.html"))
    links = doc.xpath("//head/link[@rel='alternate']")
    return [(link.get("type"), link.get("title"), link.get("href")) for link in links]


def test_every_page_advertises_the_site_feeds(feeds_site: Site) -> None:
    pages = html_pages(feeds_site)
    assert len(pages) > 5
    for page in pages:
        links = alternates(feeds_site, page)
        types = [t for t, _, _ in links]
        assert types[:3] == ["application/rss+xml", "application/atom+xml", "application/feed+json"], page
        for _, _, href in links:
            assert resolve(feeds_site, page, href).is_file(), (page, href)


def test_a_category_page_advertises_its_own_feed(feeds_site: Site) -> None:
    links = alternates(feeds_site, "blog/category/partnerships/index.html")
    assert links[3] == (
        "application/rss+xml",
        'Feeds & "Fixtures": Partnerships',
        "../../../category-partnerships.xml",
    )
    assert len(alternates(feeds_site, "blog/index.html")) == 3


def test_the_feeds_page_lists_every_feed(feeds_site: Site) -> None:
    page = feeds_site.html("feeds/")
    listed = {code.text_content() for code in page.xpath("//article//td/code")}
    assert listed == {url for _, _, url in feeds_of(feeds_site, SITE_URL)}
    for href in page.xpath("//article//td/a/@href"):
        assert resolve(feeds_site, "feeds/index.html", href).exists(), href
    assert "Subscribe to this comment feed" in page.xpath("string(//article)")
    assert page.xpath("//nav//a[normalize-space()='Feeds']"), "the feeds page is in the navigation"


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("blog/index.html", ["feeds/rss/index.html", "feeds/atom/index.html", "feeds/json/index.html",
                             "feeds/index.html"]),
        (
            "blog/category/partnerships/index.html",
            ["feeds/category/partnerships/index.html", "feeds/rss/index.html", "feeds/atom/index.html",
             "feeds/json/index.html", "feeds/index.html"],
        ),
    ],
)
def test_blog_and_category_pages_offer_a_subscribe_link(
    feeds_site: Site, page: str, expected: list[str]
) -> None:
    doc = feeds_site.html(page.removesuffix("index.html"))
    hrefs = doc.xpath("//p[@class='kb-subscribe']/a/@href")
    targets = [resolve(feeds_site, page, href).relative_to(feeds_site.site_dir).as_posix() for href in hrefs]
    assert targets == expected


# --- the engine's fixture site --------------------------------------------------


def test_the_engine_sites_feeds_pass_the_strict_checker(engine_site: Site) -> None:
    site_url = ENGINE_SITE_URL
    feeds = list(feeds_of(engine_site, site_url))
    assert {"rss.xml", "atom.xml", "feed.json"} <= {name for name, _, _ in feeds}
    assert all_problems(feeds) == []
    for name, _, _ in feeds:
        if name.endswith(".xml"):
            parse(engine_site, name)
    entries = parse(engine_site, "rss.xml").entries
    assert [e.link for e in entries] == [site_url + url for url in POST_URLS]
    assert [t for t, _, _ in alternates(engine_site, "index.html")][:3] == [
        "application/rss+xml", "application/atom+xml", "application/feed+json"
    ]
    tab_links = engine_site.html("").xpath("//nav[contains(@class,'md-tabs')]//a")
    tabs = [a.text_content().strip() for a in tab_links]
    assert "Feeds" in tabs
    assert engine_site.html("blog/").xpath("//p[@class='kb-subscribe']/a")


def test_every_alternate_is_in_the_root_and_the_only_sitemap_is_the_real_one(engine_comments_site: Site) -> None:
    """Material's instant navigation fetches sitemap.xml beside each rel="alternate" (kb_engine.feeds.paths)."""
    seen = 0
    for page in html_pages(engine_comments_site):
        for _, _, href in alternates(engine_comments_site, page):
            target = resolve(engine_comments_site, page, href)
            assert target.parent == engine_comments_site.site_dir, (page, href)
            assert target.is_file(), (page, href)
            seen += 1
    assert seen > 50
    assert [p.relative_to(engine_comments_site.site_dir).as_posix() for p in engine_comments_site.files()
            if p.name == "sitemap.xml"] == ["sitemap.xml"]


@pytest.mark.parametrize(
    ("page", "address", "follows"),
    [
        ("feeds/rss/", "rss.xml", "blog/"),
        ("feeds/atom/", "atom.xml", "blog/"),
        ("feeds/json/", "feed.json", "blog/"),
        ("feeds/category/partnerships/", "category-partnerships.xml", "blog/category/partnerships/"),
    ],
)
def test_each_feed_has_a_page_for_people(feeds_site: Site, page: str, address: str, follows: str) -> None:
    doc = feeds_site.html(page)
    article = doc.xpath("//article")[0]
    assert article.xpath("string(.//pre/code)") == SITE_URL + address  # the address to copy
    assert "What is a feed?" in article.text_content() and "NetNewsWire" in article.text_content()
    hrefs = article.xpath(".//a/@href")
    targets = {resolve(feeds_site, page + "index.html", h).relative_to(feeds_site.site_dir).as_posix()
               for h in hrefs}
    assert {address, follows + "index.html", "feeds/index.html"} <= targets
    assert doc.xpath("//head/meta[@name='description']/@content")[0].startswith("What a feed is")
