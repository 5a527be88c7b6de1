"""Comment bodies: paragraphs, then the one sanitiser (nh3) with its allow-list."""

from __future__ import annotations

import lxml.html
import pytest

from commentfixtures import vectors
from kb_engine.comments.body import blocks, clean_body
from kb_engine.comments.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, sanitize_html
from kb_engine.comments.view import format_date
from kb_engine.feeds.paths import post_comments_feed_path


@pytest.fixture(scope="module")
def env(overrides_env):
    return overrides_env


def test_blank_lines_make_paragraphs(env) -> None:
    body = "First line\nsame paragraph.\n\n\nSecond.\r\n\r\nThird & last"
    assert str(clean_body(env, body)) == (
        "<p>First line\nsame paragraph.</p>\n<p>Second.</p>\n<p>Third &amp; last</p>"
    )


def test_blocks_that_are_already_paragraphs_or_quotes_are_not_wrapped() -> None:
    found = blocks("<p>One</p>\n\n<blockquote>Two</blockquote>\n\n<b>Three</b>\n\n<pre>x</pre>")
    assert [(b.source, b.wrap) for b in found] == [
        ("<p>One</p>", False), ("<blockquote>Two</blockquote>", False), ("<b>Three</b>", True),
        ("<pre>x</pre>", True),
    ]  # fmt: skip


def test_allowed_markup_survives(env) -> None:
    body = ('<a href="https://example.net/" title="t">a</a> <abbr title="x">abbr</abbr> '
            '<acronym title="y">ac</acronym> <b>b</b> <blockquote cite="https://example.net/">q</blockquote> '
            '<cite>c</cite> <code>code</code> <del datetime="2026-01-01">d</del> <em>e</em> <i>i</i> '
            '<q cite="http://example.net/">q</q> <s>s</s> <strike>st</strike> <strong>st</strong><br>'
            '<a href="mailto:?subject=hi">m</a>')  # fmt: skip
    root = lxml.html.fragment_fromstring(str(clean_body(env, body)), create_parent="div")
    tags = {el.tag for el in root.iter()} - {"div"}
    assert tags == set(ALLOWED_TAGS) - {"acronym", "strike"} | {"s"}  # written as abbr and s
    # A mailto: link could only publish an address: it loses its URL, and with it its rel.
    assert root.xpath("//a/@rel") == ["nofollow ugc noopener"]
    assert root.xpath("//a[not(@href)]/@*") == []


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<script>alert(1)</script>hi", "hi"),
        ('<img src=x onerror="alert(1)">', ""),
        ('<a href="javascript:alert(1)">x</a>', '<a>x</a>'),
        ('<a href="data:text/html,x">x</a>', '<a>x</a>'),
        ('<b onclick="x()" style="color:red" class="c">b</b>', "<b>b</b>"),
        ("<svg><script>alert(1)</script></svg>ok", "ok"),
        ("<style>p{}</style>ok", "ok"),
        ("<!-- secret -->ok", "ok"),
        ("<div><span>text</span></div>", "text"),
        ("5 < 6 & 7 > 3", "5 &lt; 6 &amp; 7 &gt; 3"),
    ],
)
def test_the_sanitiser_removes_or_escapes_everything_else(dirty: str, clean: str) -> None:
    assert sanitize_html(dirty) == clean


def test_attribute_allow_list_is_the_wordpress_set() -> None:
    assert ALLOWED_ATTRIBUTES["a"] == {"href", "title"}
    assert set(ALLOWED_ATTRIBUTES) == {"a", "abbr", "acronym", "blockquote", "del", "q"}


def test_dates_for_readers() -> None:
    import datetime as dt

    assert format_date(dt.datetime(2026, 11, 26, 14, 3, tzinfo=dt.UTC)) == "26 November 2026 at 14:03 UTC"
    zone = dt.timezone(dt.timedelta(hours=-5, minutes=-30))
    assert format_date(dt.datetime(2026, 1, 2, 8, 5, tzinfo=zone)) == "2 January 2026 at 08:05 UTC-05:30"


def test_comment_feed_paths_are_in_the_site_root() -> None:
    assert post_comments_feed_path("blog/2009/04/06/slug/") == "comments-blog-2009-04-06-slug.xml"
    assert post_comments_feed_path("blog/2009/slug.html") == "comments-blog-2009-slug.xml"


@pytest.mark.parametrize(
    "value",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,x",
        "vbscript:x",
    ],
)
def test_cite_urls_obey_the_schemes_too(value: str) -> None:
    for tag in ("blockquote", "q"):
        assert sanitize_html(f'<{tag} cite="{value}">x</{tag}>') == f"<{tag}>x</{tag}>"
    assert sanitize_html('<q cite="https://example.net/">x</q>') == '<q cite="https://example.net/">x</q>'
    assert sanitize_html('<q cite="/relative">x</q>') == '<q cite="/relative">x</q>'


def test_body_text_is_the_text_of_the_clean_body(env) -> None:
    from kb_engine.comments.search import body_text

    body = (
        '<blockquote cite="https://e.net/?a=1&b=2">Quoted</blockquote>\n\nSee <a href="https://e.net/" '
        'title="a > b &quot;c&quot;">this</a> & <code>x &lt; y</code>&nbsp;<abbr title=\'"<p>"\'>p</abbr>'
    )
    clean = clean_body(env, body)
    assert body_text(clean) == "Quoted\nSee this & x < y\u00a0p"
    for text in [body, *vectors()]:
        clean = clean_body(env, text)
        root = lxml.html.fragment_fromstring(str(clean), create_parent="div")
        assert body_text(clean) == root.text_content()


def test_feed_bodies_are_parsed_only_for_relative_urls() -> None:
    from kb_engine.comments.feed import absolute_body

    base = "https://kb.example.org/blog/post/"
    absolute = '<p><a href="https://e.net/" rel="nofollow ugc noopener">a</a> <q cite="mailto:?x">q</q></p>'
    assert absolute_body(absolute, base) is absolute
    assert absolute_body('<p><a href="../x">a</a><q cite="#c">q</q></p>', base) == (
        '<p><a href="https://kb.example.org/blog/x">a</a><q cite="https://kb.example.org/blog/post/#c">q</q></p>'
    )


def test_any_body_gives_links_with_rel_only_with_href_and_no_empty_paragraph() -> None:
    import random

    from kb_engine.comments.sanitize import sanitize_html

    pieces = ['<a href="https://e.net/">', '<a href="javascript:x">', '<a title="t">', "<a>", "</a>", "<p>",
              "</p>", "<blockquote>", "</blockquote>", "<b>", "</b>", "text", " ", "\n\n",
              '<a title="x" href="/r">', '<a href="mailto:a@b.c">', "<strike>",
              "<acronym title=y>"]  # fmt: skip
    rng = random.Random(11)  # noqa: S311 - test data, not secrets
    for _ in range(3000):
        clean = sanitize_html("".join(rng.choice(pieces) for _ in range(rng.randint(1, 10))))
        root = lxml.html.fragment_fromstring(clean or "<br>", create_parent="div")
        for link in root.iter("a"):
            assert ("rel" in link.attrib) == ("href" in link.attrib), clean
        assert not [p for p in root.iter("p") if not (p.text_content().strip() or len(p))], clean
        assert not list(root.iter("strike", "acronym")), clean
