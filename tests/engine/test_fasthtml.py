"""kb_engine.compat.fasthtml makes the calls html.parser makes; Material's parsers fed by it give the same results."""

from __future__ import annotations

import random
import sys
from html.parser import HTMLParser
from typing import Any

import markdown
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from material.plugins.blog.readtime import readtime as material_readtime
from material.plugins.blog.readtime.parser import ReadtimeParser
from material.plugins.search.plugin import Parser as SearchParser

from enginesite import ENGINE_SITE
from kb_engine.compat.fastblog.readtime import _text_and_images, readtime
from kb_engine.compat.fasthtml import Token, feed, feed_tokens, keep, kept, tokens
from sitebuild import PROJECT, TEST_DATA

sys.path.insert(0, str(PROJECT / "benchmarks"))
import synthetic

EXTENSIONS = ["toc", "tables", "fenced_code", "abbr", "admonition", "attr_list", "def_list", "footnotes",
              "md_in_html", "pymdownx.details", "pymdownx.highlight", "pymdownx.inlinehilite",
              "pymdownx.superfences", "pymdownx.tabbed", "kb_engine.tasklist"]


class Recorder(HTMLParser):
    """Every call the parser makes on itself, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.calls: list[tuple[Any, ...]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.calls.append(("start", tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        self.calls.append(("end", tag))

    def handle_data(self, data: str) -> None:
        self.calls.append(("data", data))

    def handle_comment(self, data: str) -> None:
        self.calls.append(("comment", data))


def _calls(html: str, fast: bool) -> list[tuple[Any, ...]]:
    parser = Recorder()
    if fast:
        feed(parser, html)
    else:
        parser.feed(html)
    parser.close()
    return parser.calls


def _pages() -> list[str]:
    stubs = synthetic.post_stubs(60)
    guides = synthetic.guide_ids(60)
    sources = [synthetic.post_markdown(i, stubs, guides, shape)
               for i in range(30) for shape in synthetic.SHAPES]
    sources += [path.read_text("utf-8") for path in sorted((ENGINE_SITE / "docs").rglob("*.md"))]
    return [markdown.markdown(text, extensions=EXTENSIONS) for text in sources]


PIECES = [
    "word", "two words", " ", "\n", "  \n ", "punctu-ation!", "naïve café", "日本語", "a_b", "x.y", "'q'",
    '"dq"',
    "&amp;", "&lt;b&gt;", "&#39;", "&#x263A;", "&nbsp;", "&am", "&", "&amp", ";", ">", "<", "< b",
    "<p>", "</p>", "<em>", "</em>", "<P>", "</P >", "<br>", "<br/>", "<br />", "<hr>", "<img src=a.png>",
    '<img alt="x > y" src="a.png"/>', "<IMG SRC='b.png'>", "<a href=\"x?a=1&amp;b=2\" title='t'>", "</a>",
    "<a href=plain>", '<span data-x="1" hidden>', "</span>", "<div markdown>", "</div>", "<my-element>",
    "<!-- a comment -->", "<!-- more -->", "<!---->", "<!-- a -- b -->", "<!DOCTYPE html>", "<?pi x?>",
    "<![CDATA[ data ]]>", "<svg><text>in svg</text></svg>", "<script>var a = '<p>';</script>",
    "<style>p { color: red }</style>", "<object>obj</object>", "</p></p>", "<p", 'title="x"', "</",
    "<img src=x><img src=y>", "<td>cell</td>", "<code>a &lt; b</code>", "<pre>", "</pre>", "<h2 id=\"s\">",
    "</h2>", '<a class="headerlink" href="#s">', '<div data-search-exclude>', '<td class="linenodiv">',
    "<li>", "</li>", "<ul>", "</ul>", '<input type="checkbox" disabled checked/>', "<A HREF=x>",
    '<p class=a class=b>', "<p =x>", '<p a="1"b="2">', "<p\tclass='t'\n>",
]


def _random_html(rng: random.Random) -> str:
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 40)))


def test_the_sites_pages_are_read_fast_with_the_same_calls() -> None:
    for html in _pages():
        assert tokens(html) is not None
        assert _calls(html, fast=True) == _calls(html, fast=False)


def test_any_html_gets_the_same_calls() -> None:
    rng = random.Random(20261204)  # noqa: S311 - test data
    fast = 0
    for _ in range(6000):
        html = _random_html(rng)
        fast += tokens(html) is not None
        assert _calls(html, fast=True) == _calls(html, fast=False), html
    assert fast > 600  # the fast way is taken, not only the ordinary one


def test_hostile_html_gets_the_same_calls() -> None:
    vectors = (TEST_DATA / "xss-vectors.txt").read_text("utf-8").splitlines()
    assert len(vectors) > 20
    for html in vectors:
        assert _calls(html, fast=True) == _calls(html, fast=False), html


def test_what_it_does_not_read_is_fed_the_ordinary_way() -> None:
    for html in ("<script>x</script>", "<STYLE>p{}</STYLE>", "<!DOCTYPE html><p>x</p>", "a < b", "<?x?>",
                 "<my-element>x</my-element>", "<p =x>", "<!-- a -- b -->"):
        assert tokens(html) is None, html


def _search(html: str, fast: bool) -> list[tuple[Any, ...]]:
    parser = SearchParser()
    try:
        if fast:
            feed(parser, html)
        else:
            parser.feed(html)
        parser.close()
    except ValueError as error:  # Material's parser fails on some broken HTML: the same either way
        return [("fails", str(error))]
    return [(s.el.tag, s.id, s.depth, s.title, s.text, s.is_excluded()) for s in parser.data]


@pytest.mark.parametrize("words_per_minute", [265, 100, 3])
def test_materials_read_time_and_search_sections_are_the_same(words_per_minute: int) -> None:
    rng = random.Random(words_per_minute)  # noqa: S311 - test data
    for html in [*_pages(), *(_random_html(rng) for _ in range(1500))]:
        assert readtime(html, words_per_minute) == material_readtime(html, words_per_minute), html
        assert _search(html, fast=True) == _search(html, fast=False), html


def test_what_one_reader_found_is_given_to_the_next_reader_of_the_same_html_only() -> None:
    class Holder:
        pass

    page = Holder()
    html = _pages()[0]
    found = keep(page, html)
    assert found is not None and found == tokens(html)
    assert kept(page, html) is found  # read once
    assert not hasattr(page, "kb_html_tokens")  # and let go: the page is as it was before
    assert kept(page, html) is not found and kept(page, html) == found  # given once, then read again
    keep(page, html)
    changed = html.replace("<p>", "<p class=\"x\">", 1)
    assert changed != html
    assert kept(page, changed) == tokens(changed) != found  # the page's HTML changed: read afresh
    assert kept(Holder(), html) == found and kept(Holder(), None) is None


def test_a_start_tag_seen_again_in_a_page_is_read_the_same() -> None:
    html = '<span class="n">a</span><span class="n">b</span><td align="left">c</td><td align="left">'
    found = tokens(html)
    assert found is not None
    assert found[0] == ("start", "span", [("class", "n")]) and found[0][2] is found[3][2]
    assert _calls(html, fast=True) == _calls(html, fast=False)


def _index_entries(pages: list[Any], early: bool) -> list[dict[str, Any]]:
    from types import SimpleNamespace

    from material.plugins.search.plugin import SearchIndex

    from kb_engine.compat.searchfeed import install, read_early

    index = SearchIndex()
    install(index)
    made = []
    for i, (html, later, meta) in enumerate(pages):
        page = SimpleNamespace(meta=meta, content=html, toc=[], url=f"p{i}/", title=f"Page {i}")
        if early:
            keep(page, html)
            read_early(page, html)  # type: ignore[arg-type]
        page.content = later
        made.append(page)
    for page in made:
        index.add_entry_from_context(page)
        assert not hasattr(page, "kb_search_sections") and not hasattr(page, "kb_html_tokens")
    return index.entries  # type: ignore[no-any-return]


def test_the_index_read_early_is_the_index_read_late() -> None:
    html = _pages()
    pages = [(html[0], html[0], {}),
             (html[1], html[1] + "<h2 id=\"more\">Added later</h2><p>text</p>", {}),  # changed after
             (html[2], html[2], {"search": {"exclude": True}}),
             ("<h2 id=\"a\">A</h2><p>x</p></div></div>", "<h2 id=\"a\">A</h2><p>x</p></div></div>", {}),
             (html[3], "<!DOCTYPE html><h1 id=\"other\">Other</h1>", {})]
    entries = _index_entries(pages, early=True)
    assert entries == _index_entries(pages, early=False)
    assert any(e["title"] == "Added later" for e in entries) and any(e["title"] == "Other" for e in entries)


def test_a_page_whose_html_no_reader_kept_is_read_when_it_is_indexed() -> None:
    from types import SimpleNamespace

    from kb_engine.compat.searchfeed import read_early

    html = _pages()[0]
    page = SimpleNamespace(meta={}, content=html)
    read_early(page, html)  # type: ignore[arg-type]
    assert getattr(page, "kb_search_sections", None) is None  # nothing read ahead: a rebuild may not index it
    keep(page, html)
    read_early(page, html)  # type: ignore[arg-type]
    assert page.kb_search_sections[0] is html


READTIME_TOKENS = st.lists(
    st.one_of(
        st.tuples(st.just("data"), st.one_of(st.sampled_from((" ", "\n", "two words", "a-b c_d")), st.text(max_size=6)),
                  st.none()),
        st.tuples(st.sampled_from(("start", "startend", "end")),
                  st.sampled_from(("p", "img", "svg", "object", "script", "style", "br", "a", "text", "hr")),
                  st.just([])),
        st.tuples(st.just("comment"), st.just(" c "), st.none()),
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(READTIME_TOKENS)
@example([("start", "svg", []), ("start", "p", []), ("end", "svg", None), ("data", "hidden", None)])
@example([("start", "p", []), ("startend", "svg", []), ("data", "shown", None), ("end", "p", None)])
@example([("start", "object", []), ("startend", "img", []), ("end", "object", None), ("data", "x", None)])
def test_the_read_time_loop_finds_what_materials_parser_finds(found: list[Token]) -> None:
    """Text kept and images counted, as ReadtimeParser does when fed the same tokens."""
    parser = ReadtimeParser()
    feed_tokens(parser, "", found)
    parser.close()
    assert _text_and_images(found) == (parser.text, parser.images)
