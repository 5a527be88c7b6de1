"""kb_engine.compat.searchfeed.sections_of: what Material's search Parser does with the same tokens."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from material.plugins.search.plugin import Parser

from kb_engine.compat.fasthtml import Token, feed_tokens, tokens
from kb_engine.compat.searchfeed import sections_of
from test_fasthtml import PIECES, _pages, _random_html


def _shown(sections: list[Any]) -> list[tuple[Any, ...]]:
    return [(s.el.tag, s.el.attrs, s.id, s.depth, s.title, s.text, s.is_excluded()) for s in sections]


def _materials(found: list[Token]) -> list[tuple[Any, ...]]:
    parser = Parser()
    try:
        feed_tokens(parser, "", found)
        parser.close()
    except ValueError as error:  # a closing tag whose opening one was not kept
        return [("fails", str(error))]
    return _shown(parser.data)


def _ours(found: list[Token]) -> list[tuple[Any, ...]]:
    try:
        return _shown(sections_of(found))
    except ValueError as error:
        return [("fails", str(error))]


def test_the_sites_pages_give_the_same_sections() -> None:
    pages = _pages()
    for html in pages:
        found = tokens(html)
        assert found is not None
        assert _ours(found) == _materials(found), html
    assert sum(len(sections_of(tokens(html) or [])) > 1 for html in pages) > 30  # pages with headings


def test_random_html_gives_the_same_sections() -> None:
    rng = random.Random(20261205)  # noqa: S311 - test data
    read = 0
    for _ in range(3000):
        found = tokens(_random_html(rng))
        if found is not None:
            read += 1
            assert _ours(found) == _materials(found)
    assert read > 300
    assert any("<!--" in piece for piece in PIECES)


TAGS = ("p", "h1", "h2", "h3", "h6", "a", "pre", "code", "li", "ul", "ol", "sub", "sup", "div", "span", "td",
        "object", "br", "img", "hr", "em", "hx")
ATTRIBUTES = st.lists(
    st.tuples(st.sampled_from(("id", "class", "data-search-exclude", "href", "ID")),
              st.one_of(st.none(), st.sampled_from(("", "s", "headerlink", "linenodiv", "x y", "s")))),
    max_size=3,
)
TEXTS = st.one_of(
    st.sampled_from((" ", "\n", "  \n ", "a", "two words", "line\nbreak", "<&>\"'", "naïve", "\t")),
    st.text(max_size=8),
)
TOKENS = st.lists(
    st.one_of(
        st.tuples(st.just("data"), TEXTS, st.none()),
        st.tuples(st.sampled_from(("start", "startend")), st.sampled_from(TAGS), ATTRIBUTES),
        st.tuples(st.just("end"), st.sampled_from(TAGS), st.none()),
        st.tuples(st.just("comment"), st.sampled_from((" more ", "")), st.none()),
    ),
    max_size=40,
)


@settings(max_examples=400, deadline=None)
@given(TOKENS)
def test_any_token_stream_gives_the_same_sections(found: list[Token]) -> None:
    assert _ours(found) == _materials(found)


NESTED = [
    # A heading inside elements: the section ends with them, and is never gone back to.
    "<div><div><h2 id=a>A</h2></div></div><div><div><div><div><h3 id=b>B</h3></div>text</div></div></div>",
    "<p>before</p><div><h2 id=a>A <a class=headerlink href=#a>#</a></h2><p>in</p></div><p>after</p>",
    "<h2 id=first>No h1</h2><div data-search-exclude><p>hidden</p><div>inner</div>shown</div>",
    "<table><tr><td class=linenodiv><pre>1\n2</pre></td><td><pre><code>a\n  b</code></pre></td></tr></table>",
    "<ul><li> </li><li><p> </p></li><li>item</li></ul><sub> </sub><h1 id=t>Title <code>x</code></h1>",
]


def test_headings_inside_elements_give_the_same_sections() -> None:
    for html in NESTED:
        found = tokens(html)
        assert found is not None, html
        assert _ours(found) == _materials(found), html
