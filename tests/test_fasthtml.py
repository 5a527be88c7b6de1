"""kb.fasthtml makes the calls html.parser makes, and Material's parsers fed by it give the same results."""

from __future__ import annotations

import random
import sys
from html.parser import HTMLParser
from typing import Any

import markdown
import pytest
from material.plugins.blog.readtime import readtime as material_readtime
from material.plugins.search.plugin import Parser as SearchParser

from kb.fastblog.readtime import readtime
from kb.fasthtml import feed, tokens
from sitebuild import PROJECT

sys.path.insert(0, str(PROJECT / "benchmarks"))
import synthetic

EXTENSIONS = ["toc", "tables", "fenced_code", "abbr", "admonition", "attr_list", "def_list", "footnotes",
              "md_in_html", "pymdownx.details", "pymdownx.highlight", "pymdownx.inlinehilite",
              "pymdownx.superfences", "pymdownx.tabbed", "kb.tasklist"]


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
    sources += [path.read_text("utf-8") for path in sorted((PROJECT / "docs").rglob("*.md"))]
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
    vectors = (PROJECT / "tests" / "data" / "xss-vectors.txt").read_text("utf-8").splitlines()
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
