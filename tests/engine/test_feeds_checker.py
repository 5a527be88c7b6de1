"""The strict feed checker (feedcheck.py) finds what it must: each rule, broken once."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from feedcheck import check_atom, check_json_feed, check_rss
from kb_engine.feeds.atom import to_atom
from kb_engine.feeds.jsonfeed import to_json_feed
from kb_engine.feeds.model import Feed, FeedItem
from kb_engine.feeds.rss import to_rss

BASE = "https://kb.example.org/"
SELF = f"{BASE}feeds/x"


def item(n: int, **changes: object) -> FeedItem:
    values: dict[str, object] = {
        "id": f"{BASE}p{n}/", "title": f"P{n}", "link": f"{BASE}p{n}/",
        "published": datetime(2024, 1, n, tzinfo=UTC), "updated": None,
        "content_html": f'<p><a href="{BASE}x/">x</a></p>', "summary_html": None,
        "authors": ("A",), "categories": ("C",),
        "comments_url": f"{BASE}p{n}/#comments", "comment_feed_url": f"{BASE}p{n}/comments.xml",
        "comment_count": 0,
    }
    values.update(changes)
    return FeedItem(**values)  # type: ignore[arg-type]


def feed(*items: FeedItem) -> Feed:
    return Feed("T", f"{BASE}blog/", SELF, "D", "en", datetime(2024, 2, 1, tzinfo=UTC), items)


def test_valid_feeds_have_no_problems() -> None:
    assert check_rss(to_rss(feed(item(1), item(2))), SELF) == []
    assert check_atom(to_atom(feed(item(1), item(2))), SELF) == []
    assert check_json_feed(to_json_feed(feed(item(1), item(2))), SELF) == []


@pytest.mark.parametrize(
    ("check", "write"), [(check_rss, to_rss), (check_atom, to_atom), (check_json_feed, to_json_feed)]
)
def test_each_format_catches_the_common_faults(check: object, write: object) -> None:
    def problems(*items: FeedItem, self_url: str = SELF) -> str:
        return "\n".join(check(write(feed(*items)), self_url))  # type: ignore[operator]

    assert "does not match" in problems(item(1), self_url=f"{BASE}other")
    assert "relative URL href='../x/'" in problems(item(1, content_html='<a href="../x/">x</a>'))
    assert "relative URL src='i.png'" in problems(item(1, content_html='<img src="i.png">'))
    assert "unsafe <script>" in problems(item(1, content_html="<script>x()</script>"))
    assert "used 2 times" in problems(item(1), item(1))
    assert "in the future" in problems(item(1, published=datetime(2999, 1, 1, tzinfo=UTC)))


def test_rss_rules() -> None:
    good = to_rss(feed(item(1)))
    no_self = good.replace(b'rel="self"', b'rel="x"')
    assert "channel: expected one atom:link rel=self, found 0" in check_rss(no_self, SELF)
    assert any("pubDate" in p for p in check_rss(good.replace(b"Mon, 01 Jan 2024", b"2024-01-01"), SELF))
    unknown = good.replace(b"<docs>", b"<foo/><docs>")
    assert any("unknown element <foo>" in p for p in check_rss(unknown, SELF))
    assert any("unknown namespace" in p for p in check_rss(
        good.replace(b"<docs>", b'<x:y xmlns:x="urn:x">1</x:y><docs>'), SELF))
    assert any("appears 2 times" in p for p in check_rss(
        good.replace(b"<language>en</language>", b"<language>en</language><language>de</language>"), SELF))
    assert any("must be an e-mail" in p for p in check_rss(
        good.replace(b"<category>", b"<author>A</author><category>"), SELF))
    assert any("<link> must be an absolute URL" in p for p in check_rss(
        good.replace(f"<link>{BASE}p1/</link>".encode(), b"<link>/p1/</link>"), SELF))
    assert any("slash:comments" in p for p in check_rss(
        good.replace(b"<slash:comments>0<", b"<slash:comments>none<"), SELF))


@pytest.mark.parametrize(
    "title",
    ["&lt;template&gt;&lt;img src=x onerror=alert(1)&gt;", "A &lt;/b&gt; B", "&amp;lt;x", "&amp;#60;x",
     "&lt;!--x--&gt;"],
)
def test_markup_like_text_in_a_title_or_name_is_refused(title: str) -> None:
    good = to_rss(feed(item(1)))
    assert check_rss(good, SELF) == []
    assert good.count(b"<title>P1</title>") == 1
    found = check_rss(good.replace(b"<title>P1</title>", f"<title>{title}</title>".encode()), SELF)
    assert [p for p in found if "markup-like text" in p and "item 1/title" in p], found
    creator = good.replace(b"</item>", f"<dc:creator>{title}</dc:creator></item>".encode())
    assert any("markup-like text" in p and "creator" in p for p in check_rss(creator, SELF))
    atom = to_atom(feed(item(1)))
    hostile_atom = atom.replace(b">P1<", f">{title}<".encode())
    assert any("markup-like text" in p for p in check_atom(hostile_atom, SELF))


@pytest.mark.parametrize("title", ["AT&amp;T", "a &lt; b", "x&gt;y", "R&amp;D done", "&amp; more", "‹b›"])
def test_plain_text_that_only_resembles_markup_is_fine(title: str) -> None:
    good = to_rss(feed(item(1)))
    assert check_rss(good.replace(b"<title>P1</title>", f"<title>{title}</title>".encode()), SELF) == []


def test_atom_rules() -> None:
    good = to_atom(feed(item(1)))
    assert any("required <{http://www.w3.org/2005/Atom}updated>" in p for p in check_atom(
        good.replace(b"<updated>2024-01-01T00:00:00+00:00</updated>", b""), SELF))
    assert any("no <author>" in p for p in check_atom(
        good.replace(b"<author>\n      <name>A</name>\n    </author>", b""), SELF))
    assert any("not a date" in p for p in check_atom(
        good.replace(b"<published>2024-01-01T00:00:00+00:00", b"<published>2024-01-01"), SELF))
    edited = to_atom(feed(item(2, updated=datetime(2024, 1, 1, tzinfo=UTC))))
    assert check_atom(edited, SELF) == []  # an earlier `updated` is ignored by the writer


def test_json_feed_rules() -> None:
    data = json.loads(to_json_feed(feed(item(1))))
    data["items"][0]["colour"] = "red"
    del data["items"][0]["content_html"]
    data["version"] = "1"
    problems = "\n".join(check_json_feed(json.dumps(data).encode(), SELF))
    assert "unknown key 'colour'" in problems
    assert "needs content_html or content_text" in problems
    assert "version must be" in problems
