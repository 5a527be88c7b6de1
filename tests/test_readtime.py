"""kb.fastblog.readtime gives Material's read time, number for number, and mostly without html.parser."""

from __future__ import annotations

import random
import sys

import markdown
import pytest
from material.plugins.blog.readtime import readtime as material_readtime
from material.plugins.blog.readtime.parser import ReadtimeParser

from kb.fastblog.readtime import readtime, text_and_images
from sitebuild import PROJECT

sys.path.insert(0, str(PROJECT / "benchmarks"))
import synthetic

EXTENSIONS = ["toc", "tables", "fenced_code", "abbr", "admonition", "attr_list", "def_list", "footnotes",
              "md_in_html", "pymdownx.details", "pymdownx.highlight", "pymdownx.inlinehilite",
              "pymdownx.superfences", "pymdownx.tabbed", "kb.tasklist"]


def _posts() -> list[str]:
    stubs = synthetic.post_stubs(60)
    guides = synthetic.guide_ids(60)
    sources = [synthetic.post_markdown(i, stubs, guides, shape)
               for i in range(30) for shape in synthetic.SHAPES]
    essay = PROJECT / "docs" / "blog" / "posts" / "good-customers-good-vendors.md"
    sources.append(essay.read_text("utf-8"))
    return [markdown.markdown(text, extensions=EXTENSIONS) for text in sources]


def _material_parse(html: str) -> tuple[str, int]:
    parser = ReadtimeParser()
    parser.feed(html)
    parser.close()
    return "".join(parser.text), parser.images


@pytest.mark.parametrize("words_per_minute", [265, 100, 7])
def test_posts_as_markdown_writes_them_get_materials_number_without_its_parser(words_per_minute: int) -> None:
    for html in _posts():
        assert text_and_images(html) == _material_parse(html)
        assert readtime(html, words_per_minute) == material_readtime(html, words_per_minute)


PIECES = [
    "word", "two words", " ", "\n", "punctu-ation!", "naïve café", "日本語", "a_b", "x.y", "'quote'", '"dq"',
    "&amp;", "&lt;b&gt;", "&#39;", "&#x263A;", "&nbsp;", "&am", "&", "&amp", ";", ">", "<", "< b",
    "<p>", "</p>", "<em>", "</em>", "<P>", "</P >", "<br>", "<br/>", "<br />", "<hr>", "<img src=a.png>",
    '<img alt="x > y" src="a.png"/>', "<IMG SRC='b.png'>", "<a href=\"x?a=1&amp;b=2\" title='t'>", "</a>",
    "<a href=plain>", '<span data-x="1" hidden>', "</span>", "<div markdown>", "</div>", "<my-element>",
    "<!-- a comment -->", "<!-- more -->", "<!---->", "<!-- a -- b -->", "<!DOCTYPE html>", "<?pi x?>",
    "<![CDATA[ data ]]>", "<svg><text>in svg</text></svg>", "<script>var a = '<p>';</script>",
    "<style>p { color: red }</style>", "<object>obj</object>", "</p></p>", "<p", 'title="x"', "</",
    "<img src=x><img src=y>", "<td>cell</td>", "<code>a &lt; b</code>",
]


def test_any_html_gets_materials_number() -> None:
    rng = random.Random(20261204)  # noqa: S311 - test data
    fast = 0
    for _ in range(4000):
        html = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 30)))
        found = text_and_images(html)
        if found is not None:
            fast += 1
            assert found == _material_parse(html), html
        for words_per_minute in (265, 3):
            assert readtime(html, words_per_minute) == material_readtime(html, words_per_minute), html
    assert fast > 400  # the fast path is taken, not only the fallback


def test_what_it_does_not_read_goes_to_materials_parser() -> None:
    for html in ("<svg><title>t</title></svg> text", "<script>x</script>", "<!DOCTYPE html><p>x</p>",
                 "a < b", "<p>x</p>&amp", "<my-element>x</my-element>"):
        assert text_and_images(html) is None, html


def test_hostile_html_gets_materials_number() -> None:
    vectors = (PROJECT / "tests" / "data" / "xss-vectors.txt").read_text("utf-8").splitlines()
    assert len(vectors) > 20
    for html in vectors:
        assert readtime(html, 265) == material_readtime(html, 265), html
        found = text_and_images(html)
        if found is not None:
            assert found == _material_parse(html), html
