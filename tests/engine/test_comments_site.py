"""Comments in real builds: the page, the post lists, the feeds, the search index."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import feedparser
import jinja2
import lxml.etree
import lxml.html
import pytest

from commentfixtures import CORPUS_URL, SITE_FEED_ITEMS, THREAD, vectors
from enginesite import COMMENTS_URL as SOURCE_URL
from enginesite import NEWEST_URL, SITE_URL, THREAD_IDS, THREAD_URL
from golden import assert_golden
from kb_engine.feeds.paths import post_comments_feed_path
from kb_engine.theme import TEMPLATES
from sitebuild import Site

SITE = SITE_URL
# The post lists that show the post commentfixtures.THREAD is added to.
LIST_VIEWS = ["blog/", "blog/archive/2026/", "blog/category/shaping/", "blog/author/ben-miller/"]
SOURCE_TITLE = "My first bâtard: tension, not force"
# What Material's search index keeps of an HTML text (material/plugins/search/plugin.py).
SEARCH_TAGS = {"p", "code", "pre", "li", "ol", "ul", "sub", "sup"}


def section(site: Site, url: str) -> Any:
    [found] = site.html(url).xpath("//article//section[@id='comments']")
    return found


def comments_in(element: Any) -> Iterator[Any]:
    yield from element.xpath(".//article[contains(@class,'kb-comment')]")


# --- the fixture site as it is: a post with no comments, one with four -------


def test_a_post_without_comments_says_so(engine_site: Site) -> None:
    comments = section(engine_site, NEWEST_URL)
    assert comments.xpath("./h2")[0].text_content().strip() == "No comments yet"
    assert list(comments_in(comments)) == []
    [feed_link] = comments.xpath(".//a[text()='Subscribe to this comment feed via RSS']")
    # It leads to the box that says what the feed is and shows its address (kb_engine.feeds.paths).
    assert feed_link.get("href") == "#comment-feed"
    [box] = engine_site.html(NEWEST_URL).xpath("//aside[@id='comment-feed']")
    assert box.xpath("string(.//pre/code)") == SITE + post_comments_feed_path(NEWEST_URL)
    assert "A feed is" in box.text_content()


def test_an_empty_comment_feed_is_valid(engine_site: Site) -> None:
    feed = feedparser.parse(engine_site.path(post_comments_feed_path(NEWEST_URL)).read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "rss20"
    assert feed.entries == []
    assert feed.feed.link == SITE + NEWEST_URL
    self_links = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_links == [SITE + post_comments_feed_path(NEWEST_URL)]


def test_post_lists_show_no_comments_or_the_count(engine_site: Site) -> None:
    labels = engine_site.html("blog/").xpath("//li[contains(@class,'kb-comment-count')]/a")
    # Newest first: no comments, none, and the fixture site's own thread of four.
    assert [a.text_content().strip() for a in labels] == ["No comments", "No comments", "4 comments"]
    assert labels[2].get("href") == THREAD_URL.removeprefix("blog/") + "#comments"


def test_pages_other_than_posts_have_no_comments_section(engine_site: Site) -> None:
    for url in ["", "blog/", "guides/", "decisions/which-loaf/"]:
        assert engine_site.html(url).xpath("//*[@id='comments']") == [], url


# --- a thread ----------------------------------------------------------------


def test_heading_counts_the_comments(engine_comments_site: Site) -> None:
    assert section(engine_comments_site, SOURCE_URL).xpath("./h2")[0].text_content().strip() == "8 comments"
    heading = section(engine_comments_site, CORPUS_URL).xpath("./h2")[0].text_content().strip()
    assert heading == f"{len(vectors()) + 3} comments"


@pytest.mark.parametrize(("count", "text"), [(0, "No comments yet"), (1, "1 comment"), (2, "2 comments")])
def test_count_labels(count: int, text: str) -> None:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    macro = env.get_template("partials/kb/comment-count.html").module.label  # type: ignore[attr-defined]
    assert str(macro(count)) == text


def test_thread_nesting_permalinks_authors_and_dates(engine_comments_site: Site) -> None:
    comments = section(engine_comments_site, SOURCE_URL)
    by_id = {a.get("id"): a for a in comments_in(comments)}
    assert list(by_id) == [f"comment-{f.id}" for f in THREAD[:7]] + [f"comment-{THREAD[7].id}"]
    for fixture in THREAD:
        article = by_id[f"comment-{fixture.id}"]
        [permalink] = article.xpath(".//a[contains(@class,'kb-comment__permalink')]")
        assert permalink.get("href") == f"#comment-{fixture.id}"
        assert permalink.xpath("./time/@datetime") == [fixture.date]
        author = article.xpath(".//*[contains(@class,'kb-comment__author')]")[0]
        assert author.text_content().strip() == fixture.author
        links = author.xpath("./a")
        if fixture.website:
            assert [(a.get("href"), a.get("rel")) for a in links] == [(fixture.website, "nofollow ugc")]
        else:
            assert links == []
    depths = {
        a.get("id"): len(a.xpath("ancestor::ol[contains(@class,'kb-comments__')]"))
        for a in comments_in(comments)
    }
    assert [depths[f"comment-{f.id}"] for f in THREAD] == [1, 2, 3, 4, 5, 5, 1, 2]
    # The flattened reply still says whom it answers.
    flattened = by_id[f"comment-{THREAD[5].id}"]
    assert flattened.xpath(".//*[contains(@class,'kb-comment__reply-to')]/a/@href") == [
        f"#comment-{THREAD[4].id}"
    ]


def test_the_feed_link_is_below_the_thread_and_in_the_head(engine_comments_site: Site) -> None:
    page = engine_comments_site.html(SOURCE_URL)
    comments = section(engine_comments_site, SOURCE_URL)
    children = [el.get("class") for el in comments]
    assert children.index("kb-comments__thread") < children.index("kb-comments__feed")
    alternates = page.xpath("//head/link[@rel='alternate'][@type='application/rss+xml']")
    found = [(link.get("href"), link.get("title")) for link in alternates if "Comments" in link.get("title")]
    assert found == [
        ("../../../../../" + post_comments_feed_path(SOURCE_URL), f"Comments on: {SOURCE_TITLE}")
    ]  # fmt: skip


def test_same_commenter_same_avatar_and_no_request(engine_comments_site: Site) -> None:
    comments = section(engine_comments_site, SOURCE_URL)

    def avatar(fixture_index: int) -> bytes:
        [svg] = comments.xpath(f".//article[@id='comment-{THREAD[fixture_index].id}']//svg")
        return lxml.etree.tostring(svg)

    assert avatar(0) == avatar(3) == avatar(7)  # Ann Reader, three times
    assert avatar(0) != avatar(1)
    assert comments.xpath(".//img") == []  # drawn inline, nothing fetched


def test_golden_thread(engine_comments_site: Site, update_goldens: bool) -> None:
    [thread] = section(engine_comments_site, SOURCE_URL).xpath("./ol[@class='kb-comments__thread']")
    lxml.etree.indent(thread)
    html = lxml.html.tostring(thread, encoding="unicode", pretty_print=True)
    assert_golden("comments/thread.html", html, update_goldens)


@pytest.mark.parametrize("url", LIST_VIEWS)
def test_post_lists_show_comment_counts(engine_comments_site: Site, url: str) -> None:
    page = engine_comments_site.html(url)
    found = {}
    for excerpt in page.xpath("//article[contains(@class,'md-post--excerpt')]"):
        title = excerpt.xpath(".//h2")[0].text_content().strip()
        links = excerpt.xpath(".//li[contains(@class,'kb-comment-count')]/a")
        found[title] = [(a.text_content().strip(), a.get("href")) for a in links]
    [(label, href)] = found[SOURCE_TITLE]
    assert label == "8 comments"
    assert href.endswith(SOURCE_URL.removeprefix("blog/") + "#comments")


# --- feeds -----------------------------------------------------------------


def parse_feed(site: Site, path: str) -> Any:
    feed = feedparser.parse(site.path(path).read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "rss20"
    self_links = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_links == [SITE + path]
    return feed


def test_post_comment_feed(engine_comments_site: Site) -> None:
    feed = parse_feed(engine_comments_site, post_comments_feed_path(SOURCE_URL))
    assert feed.feed.link == SITE + SOURCE_URL
    assert len(feed.entries) == len(THREAD)
    newest_first = sorted(THREAD, key=lambda f: f.date.replace("T", " "), reverse=True)
    published = [entry.published_parsed for entry in feed.entries]
    assert published == sorted(published, reverse=True)
    by_link = {entry.link: entry for entry in feed.entries}
    for fixture in newest_first:
        entry = by_link[f"{SITE}{SOURCE_URL}#comment-{fixture.id}"]
        assert entry.id == entry.link
        assert entry.author == fixture.author
        assert entry.title == f"By: {fixture.author}"


def test_feed_content_is_the_page_body_with_absolute_urls(engine_comments_site: Site) -> None:
    from xsscheck import outside_allow_list

    root = lxml.etree.fromstring(engine_comments_site.path(post_comments_feed_path(SOURCE_URL)).read_bytes())
    page = section(engine_comments_site, SOURCE_URL)
    for item in root.iter("item"):
        anchor = item.findtext("link").split("#")[1]
        content = lxml.html.fragment_fromstring(item.findtext("description"), create_parent="div")
        assert outside_allow_list(content, absolute=True) == []
        [body] = page.xpath(f".//article[@id='{anchor}']//div[@class='kb-comment__body']")
        assert " ".join(content.text_content().split()) == " ".join(body.text_content().split())


def test_site_wide_feed_holds_the_newest_comments(engine_comments_site: Site) -> None:
    feed = parse_feed(engine_comments_site, "comments.xml")
    assert len(feed.entries) == SITE_FEED_ITEMS
    # The thread's comments (2026-11) are newer than the corpus (2026-01) and the site's own (2026-03).
    expected = sorted(THREAD, key=lambda f: f.id, reverse=True)  # ids sort like their dates here
    assert {e.link.split("#comment-")[1] for e in feed.entries} == {f.id for f in expected[:SITE_FEED_ITEMS]}
    assert all(e.title.startswith(f"Comment on {SOURCE_TITLE} by ") for e in feed.entries)


def test_comment_feeds_of_every_post(engine_comments_site: Site) -> None:
    assert len(parse_feed(engine_comments_site, post_comments_feed_path(CORPUS_URL)).entries) == len(vectors()) + 3


# --- search ----------------------------------------------------------------


def test_search_index_holds_the_clean_comment_text(engine_comments_site: Site) -> None:
    index = json.loads(engine_comments_site.text("search/search_index.json"))
    entries = {doc["location"]: doc for doc in index["docs"]}
    entry = entries[SOURCE_URL + "#comments"]
    assert entry["title"] == "8 comments"
    text = entry["text"]
    assert "Sometimes all we want is good customers." in text
    assert "vendor &lt; partner" in text and "Ann Reader:" in text
    # The post's own entry is unchanged and there is no duplicate of it.
    assert [doc["location"] for doc in index["docs"]].count(SOURCE_URL) == 1
    assert "Comment" not in entries[SOURCE_URL]["text"]


def test_golden_comment_feed(engine_comments_site: Site, update_goldens: bool) -> None:
    feed = engine_comments_site.text(post_comments_feed_path(SOURCE_URL))
    assert_golden("comments/feed.xml", feed, update_goldens)


def test_the_posts_feeds_carry_the_comment_counts(engine_comments_site: Site) -> None:
    """The per-build counts (buildstate "comment_counts") reach the feeds feature's items."""
    root = lxml.etree.fromstring(engine_comments_site.path("rss.xml").read_bytes())
    counts = {
        item.findtext("link"): item.findtext("{http://purl.org/rss/1.0/modules/slash/}comments")
        for item in root.iter("item")
    }
    assert counts[SITE + SOURCE_URL] == "8"
    assert counts[SITE + CORPUS_URL] == str(len(vectors()) + 3)
    comment_feeds = [e.text for e in root.iter("{http://wellformedweb.org/CommentAPI/}commentRss")]
    assert SITE + post_comments_feed_path(SOURCE_URL) in comment_feeds


def test_the_feeds_page_lists_the_site_comment_feed(engine_comments_site: Site) -> None:
    page = engine_comments_site.html("feeds/")
    assert SITE + "comments.xml" in page.xpath("string(//article)")
    assert "comments/" in page.xpath("//article//a[normalize-space()='All comments']/@href")


def test_the_fixture_sites_own_thread(engine_site: Site) -> None:
    comments = section(engine_site, THREAD_URL)
    assert comments.xpath("./h2")[0].text_content().strip() == "4 comments"
    depths = [len(a.xpath("ancestor::ol[contains(@class,'kb-comments__')]")) for a in comments_in(comments)]
    assert [a.get("id") for a in comments_in(comments)] == [f"comment-{i}" for i in THREAD_IDS]
    assert depths == [1, 2, 3, 1]
