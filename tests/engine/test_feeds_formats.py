"""The feed writers (RSS 2.0, Atom 1.0, JSON Feed 1.1) and link absolutising: pure functions."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import feedparser
import pytest
from lxml import etree

from kb_engine.feeds.absolute import absolute_srcset, absolutize_html
from kb_engine.feeds.atom import to_atom
from kb_engine.feeds.jsonfeed import html_to_text, to_json_feed
from kb_engine.feeds.model import Feed, FeedItem
from kb_engine.feeds.rss import to_rss

BASE = "https://kb.example.org/"
CET = timezone(timedelta(hours=2))
TRICKY_TITLE = 'Fish & Chips < "Quotes" \'single\' — Größe 日本'
TRICKY_HTML = '<p>A &amp; B &lt; C, "quoted" — Größe 日本 <a href="https://kb.example.org/x/">x</a></p>'


def item(n: int, **changes: object) -> FeedItem:
    url = f"{BASE}blog/post-{n}/"
    values: dict[str, object] = {
        "id": url,
        "title": f"Post {n}",
        "link": url,
        "published": datetime(2024, 1, n, 9, 30, tzinfo=CET),
        "updated": None,
        "content_html": f"<p>Full text {n}.</p>",
        "summary_html": f"<p>Excerpt {n}.</p>",
        "authors": ("David Brock",),
        "categories": ("Partnerships",),
        "comments_url": f"{url}#comments",
        "comment_feed_url": f"{url}comments.xml",
        "comment_count": n - 1,
    }
    values.update(changes)
    return FeedItem(**values)  # type: ignore[arg-type]


def feed(*items: FeedItem, **changes: object) -> Feed:
    values: dict[str, object] = {
        "title": "Partner or Vendor",
        "link": f"{BASE}blog/",
        "self_url": f"{BASE}rss.xml",
        "description": "Essays",
        "language": "en",
        "updated": datetime(2024, 1, 9, tzinfo=UTC),
        "items": items,
    }
    values.update(changes)
    return Feed(**values)  # type: ignore[arg-type]


def parsed(data: bytes) -> feedparser.FeedParserDict:
    result = feedparser.parse(data)
    assert result.bozo == 0, result.get("bozo_exception")
    return result


# --- model -----------------------------------------------------------------


def test_naive_dates_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        item(1, published=datetime(2024, 1, 1))
    with pytest.raises(ValueError, match="timezone-aware"):
        feed(updated=datetime(2024, 1, 1))


def test_last_changed_is_the_later_date() -> None:
    assert item(1).last_changed == item(1).published
    later = datetime(2024, 3, 1, tzinfo=UTC)
    assert item(1, updated=later).last_changed == later


# --- RSS 2.0 ---------------------------------------------------------------


def test_rss_channel_and_items() -> None:
    data = to_rss(feed(item(2), item(1)))
    result = parsed(data)
    assert result.version == "rss20"
    assert result.feed.title == "Partner or Vendor"
    assert [e.link for e in result.entries] == [f"{BASE}blog/post-2/", f"{BASE}blog/post-1/"]
    root = etree.fromstring(data)
    [self_link] = root.findall("channel/{http://www.w3.org/2005/Atom}link")
    assert self_link.attrib == {"href": f"{BASE}rss.xml", "rel": "self", "type": "application/rss+xml"}


def test_rss_dates_are_rfc822_with_the_offset() -> None:
    root = etree.fromstring(to_rss(feed(item(6))))
    assert root.findtext("channel/item/pubDate") == "Sat, 06 Jan 2024 09:30:00 +0200"
    assert root.findtext("channel/lastBuildDate") == "Tue, 09 Jan 2024 00:00:00 +0000"
    entry = parsed(to_rss(feed(item(6)))).entries[0]
    assert entry.published_parsed[:5] == (2024, 1, 6, 7, 30)  # feedparser normalises to UTC


@pytest.mark.parametrize("minutes", [0, 1, 59, 60, 330, -300, -1, -(23 * 60 + 59), 14 * 60, -12 * 60])
def test_rfc822_dates_equal_the_standard_librarys(minutes: int) -> None:
    from datetime import UTC, datetime, timedelta, timezone
    from email.utils import format_datetime

    from kb_engine.feeds.xmltext import rfc822

    zone = timezone(timedelta(minutes=minutes))
    start = datetime(1999, 12, 31, 23, 59, 58, 999999, tzinfo=UTC)
    for hours in range(0, 24 * 400, 37):  # every weekday, month and hour, a leap day, two centuries
        value = (start + timedelta(hours=hours, seconds=hours)).astimezone(zone)
        assert rfc822(value) == format_datetime(value.replace(microsecond=0))
    odd = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=5, minutes=30, seconds=15)))
    assert rfc822(odd) == format_datetime(odd)  # an offset with seconds: the library's own text
    naive = datetime(2026, 1, 2, 3, 4, 5)
    assert rfc822(naive) == format_datetime(naive) == "Fri, 02 Jan 2026 03:04:05 -0000"


def test_rss_comment_elements_as_wordpress_has_them() -> None:
    root = etree.fromstring(to_rss(feed(item(3))))
    [element] = root.findall("channel/item")
    assert element.findtext("comments") == f"{BASE}blog/post-3/#comments"
    assert element.findtext("{http://wellformedweb.org/CommentAPI/}commentRss") == (
        f"{BASE}blog/post-3/comments.xml"
    )
    assert element.findtext("{http://purl.org/rss/1.0/modules/slash/}comments") == "2"
    assert element.findtext("{http://purl.org/dc/elements/1.1/}creator") == "David Brock"
    entry = parsed(to_rss(feed(item(3)))).entries[0]
    assert entry.comments == f"{BASE}blog/post-3/#comments"
    assert entry.wfw_commentrss == f"{BASE}blog/post-3/comments.xml"
    assert entry.slash_comments == "2"


def test_rss_zero_comments_is_still_said() -> None:
    root = etree.fromstring(to_rss(feed(item(1))))
    assert root.findtext("channel/item/{http://purl.org/rss/1.0/modules/slash/}comments") == "0"


def test_rss_without_comment_fields_has_no_comment_elements() -> None:
    data = to_rss(feed(item(1, comments_url=None, comment_feed_url=None, comment_count=None)))
    assert b"comments" not in data.split(b"<channel>")[1]
    assert b"commentRss" not in data


def test_rss_guid_is_a_permalink_only_when_it_is_the_link() -> None:
    root = etree.fromstring(to_rss(feed(item(1), item(2, id="urn:kb:comment:2"))))
    guids = root.findall("channel/item/guid")
    assert [(g.text, g.get("isPermaLink")) for g in guids] == [
        (f"{BASE}blog/post-1/", "true"),
        ("urn:kb:comment:2", "false"),
    ]


def test_rss_full_content_goes_to_content_encoded_and_excerpt_to_description() -> None:
    entry = etree.fromstring(to_rss(feed(item(1)))).find("channel/item")
    assert entry is not None
    assert entry.findtext("description") == "<p>Excerpt 1.</p>"
    assert entry.findtext("{http://purl.org/rss/1.0/modules/content/}encoded") == "<p>Full text 1.</p>"
    only = etree.fromstring(to_rss(feed(item(1, summary_html=None)))).find("channel/item")
    assert only is not None
    assert only.findtext("description") == "<p>Full text 1.</p>"
    assert only.find("{http://purl.org/rss/1.0/modules/content/}encoded") is None


def test_rss_escapes_titles_and_content() -> None:
    data = to_rss(feed(item(1, title=TRICKY_TITLE, content_html=TRICKY_HTML, summary_html=None)))
    assert b"Fish &amp; Chips &lt; " in data
    entry = parsed(data).entries[0]
    assert entry.title == TRICKY_TITLE
    assert entry.summary == TRICKY_HTML
    assert "Größe 日本".encode() in data  # UTF-8, not character references


# --- Atom 1.0 --------------------------------------------------------------


def test_atom_feed_and_entries() -> None:
    edited = item(2, updated=datetime(2024, 2, 1, tzinfo=UTC))
    data = to_atom(feed(edited, item(1), self_url=f"{BASE}atom.xml"))
    result = parsed(data)
    assert result.version == "atom10"
    assert result.feed.id == f"{BASE}atom.xml"
    first, second = result.entries
    assert first.id == f"{BASE}blog/post-2/"
    assert first.published == "2024-01-02T09:30:00+02:00"
    assert first.updated == "2024-02-01T00:00:00+00:00"
    assert second.updated == second.published
    assert first.summary == "<p>Excerpt 2.</p>"
    assert first.content[0].value == "<p>Full text 2.</p>"
    assert [t.term for t in first.tags] == ["Partnerships"]
    assert first.author == "David Brock"


def test_atom_links_comments_with_the_threading_extension() -> None:
    root = etree.fromstring(to_atom(feed(item(4))))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    replies = root.xpath("a:entry/a:link[@rel='replies']", namespaces=ns)
    count = "{http://purl.org/syndication/thread/1.0}count"
    assert [(r.get("type"), r.get("href"), r.get(count)) for r in replies] == [
        ("application/rss+xml", f"{BASE}blog/post-4/comments.xml", "3"),
        ("text/html", f"{BASE}blog/post-4/#comments", "3"),
    ]


def test_atom_names_a_feed_author_when_an_entry_has_none() -> None:
    ns = {"a": "http://www.w3.org/2005/Atom"}
    with_authors = etree.fromstring(to_atom(feed(item(1))))
    assert with_authors.xpath("a:author", namespaces=ns) == []
    without = etree.fromstring(to_atom(feed(item(1, authors=()), authors=("KB Team",))))
    assert without.xpath("a:author/a:name/text()", namespaces=ns) == ["KB Team"]


def test_atom_escapes_titles_and_content() -> None:
    data = to_atom(feed(item(1, title=TRICKY_TITLE, content_html=TRICKY_HTML)))
    entry = parsed(data).entries[0]
    assert entry.title == TRICKY_TITLE
    assert entry.content[0].value == TRICKY_HTML


# --- JSON Feed 1.1 -----------------------------------------------------------


def test_json_feed() -> None:
    edited = item(2, updated=datetime(2024, 2, 1, tzinfo=UTC))
    data = to_json_feed(feed(edited, item(1), self_url=f"{BASE}feed.json"))
    document = json.loads(data)
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["feed_url"] == f"{BASE}feed.json"
    first, second = document["items"]
    assert first["id"] == first["url"] == f"{BASE}blog/post-2/"
    assert first["date_published"] == "2024-01-02T09:30:00+02:00"
    assert first["date_modified"] == "2024-02-01T00:00:00+00:00"
    assert "date_modified" not in second
    assert first["summary"] == "Excerpt 2."
    assert first["authors"] == [{"name": "David Brock"}]
    assert first["tags"] == ["Partnerships"]
    assert first["_comments"] == {
        "url": f"{BASE}blog/post-2/#comments",
        "feed_url": f"{BASE}blog/post-2/comments.xml",
        "count": 1,
    }


def test_json_feed_keeps_text_exactly() -> None:
    data = to_json_feed(feed(item(1, title=TRICKY_TITLE, content_html=TRICKY_HTML)))
    [entry] = json.loads(data)["items"]
    assert entry["title"] == TRICKY_TITLE
    assert entry["content_html"] == TRICKY_HTML
    assert "Größe 日本".encode() in data


def test_html_to_text() -> None:
    assert html_to_text("<p>A &amp; <b>B</b>\n  &lt;C&gt;</p>") == "A & B <C>"
    assert html_to_text("") == ""


# --- control characters ------------------------------------------------------


@pytest.mark.parametrize("write", [to_rss, to_atom])
def test_characters_xml_cannot_carry_are_dropped(write: object) -> None:
    data = write(feed(item(1, title="bell\x07 tab\t")))  # type: ignore[operator]
    assert parsed(data).entries[0].title == "bell tab"


# --- absolute links ----------------------------------------------------------

PAGE = "https://kb.example.org/blog/2009/04/06/post/"


def test_relative_links_and_images_become_absolute() -> None:
    html = (
        '<p><a href="../../../../guides/">guides</a> <a href="#fn:1">1</a> '
        '<img src="img/a.png" alt="a"> <a href="https://other.example/x">x</a> '
        '<a href="mailto:a@b.example">m</a> <a href="/about/">about</a></p>'
    )
    out = absolutize_html(html, PAGE)
    root = etree.fromstring(f"<div>{out}</div>".encode(), etree.HTMLParser())
    assert root.xpath("//a/@href") == [
        "https://kb.example.org/blog/guides/",
        f"{PAGE}#fn:1",
        "https://other.example/x",
        "mailto:a@b.example",
        "https://kb.example.org/about/",
    ]
    assert root.xpath("//img/@src") == [f"{PAGE}img/a.png"]


def test_srcset_candidates_become_absolute() -> None:
    up = "https://kb.example.org/blog/2009/04/06/"
    assert absolute_srcset("a.png 1x, ../b.png 2x", PAGE) == f"{PAGE}a.png 1x, {up}b.png 2x"
    assert absolute_srcset("a.png 1x,b.png 2x", PAGE) == f"{PAGE}a.png 1x, {PAGE}b.png 2x"
    # A comma inside a URL belongs to it; only a trailing one separates candidates.
    assert absolute_srcset("a,b.png, c.png 2x", PAGE) == f"{PAGE}a,b.png, {PAGE}c.png 2x"
    out = absolutize_html('<picture><source srcset="s.webp 2x"><img src="s.png"></picture>', PAGE)
    assert f'srcset="{PAGE}s.webp 2x"' in out and f'src="{PAGE}s.png"' in out


def test_absolutising_keeps_text_and_escaping() -> None:
    html = "lead text <em>A &amp; B &lt; C</em> “Größe” <br> tail"
    assert absolutize_html(html, PAGE) == html
    assert absolutize_html("", PAGE) == ""
