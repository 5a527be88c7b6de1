"""Which posts the feeds carry, and how a post's page becomes feed content: pure functions."""

from __future__ import annotations

from datetime import UTC, datetime

from lxml import etree

from kb_engine.feeds.content import post_content
from kb_engine.feeds.posts import (
    CategoryChannel,
    Channel,
    FeedOptions,
    PublishedPost,
    build_feed_files,
    is_published,
    make_item,
)

SITE = "https://kb.example.org/"
NOW = datetime(2024, 6, 1, tzinfo=UTC)
PAGE = (
    '<h1 id="t">Title<a class="headerlink" href="#t">¶</a></h1>\n'
    '<p>Lead <a href="../other/">other</a>.</p>\n<!-- more -->\n'
    '<h2 id="s">Section<a class="headerlink" href="#s" title="Permanent link">¶</a></h2>\n'
    '<p><img src="pic.png" alt=""> tail</p>'
)


def post(n: int, categories: tuple[str, ...] = ("A",), html: str = PAGE) -> PublishedPost:
    return PublishedPost(
        src_uri=f"blog/posts/p{n}.md", url=f"{SITE}blog/p{n}/", title=f"P{n}",
        published=datetime(2024, 1, n, tzinfo=UTC), updated=None,
        authors=("A",), categories=categories, html=html,
    )


OPTIONS = FeedOptions(limit=2, full_content=True, excerpt_separator="<!-- more -->", comments=True)


def test_drafts_and_future_posts_are_not_published() -> None:
    assert is_published(None, datetime(2024, 1, 1, tzinfo=UTC), NOW)
    assert is_published(False, datetime(2024, 1, 1, tzinfo=UTC), NOW)
    assert not is_published(True, datetime(2024, 1, 1, tzinfo=UTC), NOW)
    assert not is_published(None, datetime(2024, 6, 2, tzinfo=UTC), NOW)
    assert not is_published(False, datetime(2024, 6, 2, tzinfo=UTC), NOW)


def test_post_content_drops_title_and_permalinks_and_splits_the_excerpt() -> None:
    content = post_content(PAGE, f"{SITE}blog/p/", "<!-- more -->")
    assert content.excerpt_html == f'<p>Lead <a href="{SITE}blog/other/">other</a>.</p>'
    assert content.full_html.startswith(content.excerpt_html)
    assert '<h2 id="s">Section</h2>' in content.full_html
    assert f'<img src="{SITE}blog/p/pic.png" alt=""> tail' in content.full_html
    assert "¶" not in content.full_html and "<h1" not in content.full_html and "more" not in content.full_html


def test_a_post_without_separator_has_no_excerpt() -> None:
    content = post_content("<p>Only</p>", SITE, "<!-- more -->")
    assert content == type(content)("<p>Only</p>", None)


def test_items_in_full_and_excerpt_mode() -> None:
    full = make_item(post(1), OPTIONS, 2)
    assert full.summary_html and full.summary_html in full.content_html and "Section" in full.content_html
    assert (full.comments_url, full.comment_feed_url, full.comment_count) == (
        f"{SITE}blog/p1/#comments", f"{SITE}comments-blog-p1.xml", 2
    )
    excerpt = make_item(post(1), FeedOptions(2, False, "<!-- more -->", False), 2)
    assert excerpt.summary_html is None and "Section" not in excerpt.content_html
    assert excerpt.comment_count is None and excerpt.comment_feed_url is None


def test_feed_files_limit_order_and_categories() -> None:
    channel = Channel("T", "D", f"{SITE}blog/", "en")
    categories = [CategoryChannel("B", "b", Channel("T: B", "D", f"{SITE}blog/category/b/", "en"))]
    posts = [post(1, ("A", "B")), post(3, ("A",)), post(2, ("B",)), post(4, ("B",))]
    files = build_feed_files(SITE, channel, categories, posts, OPTIONS, {"blog/posts/p3.md": 5})
    assert sorted(files) == ["atom.xml", "category-b.xml", "feed.json", "rss.xml"]
    rss = etree.fromstring(files["rss.xml"])
    assert rss.xpath("channel/item/link/text()") == [f"{SITE}blog/p4/", f"{SITE}blog/p3/"]
    assert rss.xpath("channel/item/*[local-name()='comments' and namespace-uri()!='']/text()") == ["0", "5"]
    assert rss.findtext("channel/lastBuildDate") == "Thu, 04 Jan 2024 00:00:00 +0000"
    category = etree.fromstring(files["category-b.xml"])
    assert category.xpath("channel/item/link/text()") == [f"{SITE}blog/p4/", f"{SITE}blog/p2/"]
    assert category.findtext("channel/title") == "T: B"


def test_an_empty_feed_is_still_valid_and_dated() -> None:
    channel = Channel("T", "D", f"{SITE}blog/", "en")
    files = build_feed_files(SITE, channel, [], [], OPTIONS, {})
    assert etree.fromstring(files["rss.xml"]).findtext("channel/lastBuildDate") == (
        "Thu, 01 Jan 1970 00:00:00 +0000"
    )
