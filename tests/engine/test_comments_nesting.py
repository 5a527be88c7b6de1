"""Block elements inside text-level ones, links in links: the clean body is valid HTML all the same.

The HTML parser keeps ``<b>a<p>x</p></b>`` as it is (and a stripped element
can leave a ``p`` in a ``p``); the sanitiser moves the text-level elements
inside the block (:func:`kb_engine.comments.sanitize.lift_blocks`). Each case must
validate with the Nu checker, keep its text, and come back unchanged from a
second pass through the sanitiser (what a browser parses is what was cleaned).
"""

from __future__ import annotations

import random
from pathlib import Path

import jinja2
import lxml.html
import pytest
from markupsafe import Markup

from kb_engine.comments.body import clean_body
from kb_engine.comments.sanitize import _CLEANER, body_text, lift_blocks, sanitize_html

LINK = '<a href="https://x.example/">'
CASES = [
    "<b>a<p>x</p></b>",
    "<em><blockquote>q</blockquote></em>",
    f"{LINK}<p>t</p></a>",
    "<q><blockquote>quoted</blockquote></q>",
    "<p>one<p>two</p>three</p>",
    "<p>a<blockquote>b</blockquote>c</p>",
    "<p>a</p><b><p>x</p></b>",
    "<blockquote><em><p>x</p></em></blockquote>",
    "<p><strong>a<blockquote>b<p>c</p>d</blockquote>e</strong></p>",
    '<cite><abbr title="t">A<p>B</p>C</abbr></cite>',
    "<del><p>gone</p></del> <s><blockquote>struck</blockquote></s>",
    "<code>x<p>y<br>z</p></code>",
    "<b>a<i>b<blockquote>c<p>d<br>e</p>f</blockquote>g</i>h</b>",
    f"<q>{LINK}link<blockquote><p>in</p></blockquote>after</a></q>",
    # A stripped element leaves a paragraph in a paragraph.
    "<p>a<table><tr><td><p>cell</p></td></tr></table>b</p>",
    "<p>a<button><blockquote>b</blockquote></button>c</p>",
    # A stripped element (marquee keeps its content) leaves a link inside a link.
    f'{LINK}x<marquee><a href="https://y.example/">y</a></marquee>z</a>',
    f'<b>{LINK}x<table><a href="https://y.example/"><p>y</p></a></table></a></b>',
]

INLINE = ["b", "em", "i", "strong", "q", "cite", "code", "del", "s", "abbr", "a"]
BLOCK = ["p", "blockquote"]


def _start(tag: str) -> str:
    return LINK if tag == "a" else f"<{tag}>"


def _markup(rng: random.Random, depth: int) -> str:
    """Random well-formed markup of allowed elements, blocks anywhere, text and <br> between."""
    parts = []
    for _ in range(rng.randint(1, 3)):
        roll = rng.random()
        if depth > 0 and roll < 0.6:
            tag = rng.choice(BLOCK if roll < 0.25 else INLINE)
            parts.append(_start(tag) + _markup(rng, depth - 1) + f"</{tag}>")
        elif roll < 0.75:
            parts.append("<br>")
        else:
            parts.append(rng.choice(["word", "two words", "x & y", " ", "\n"]))
    return "".join(parts)


def _generated(count: int) -> list[str]:
    rng = random.Random(20261129)  # noqa: S311 - test data, not secrets
    return [_markup(rng, rng.randint(3, 6)) for _ in range(count)]


GENERATED = _generated(80)
ALL = CASES + GENERATED


def test_the_generated_cases_put_blocks_in_text_level_elements() -> None:
    """The generator makes the cases it is for (not only harmless ones)."""
    nested = [case for case in GENERATED if sanitize_html(case) != case]
    assert len(nested) > len(GENERATED) // 2


@pytest.mark.parametrize("dirty", ALL)
def test_no_block_sits_in_a_text_level_element_or_a_paragraph(dirty: str) -> None:
    root = lxml.html.fragment_fromstring(sanitize_html(dirty), create_parent="div")
    for block in root.iter("p", "blockquote"):
        for ancestor in block.iterancestors():
            if ancestor.tag == "div":
                break
            assert ancestor.tag == "blockquote", (dirty, sanitize_html(dirty))
    for link in root.iter("a"):
        assert next(link.iterancestors("a"), None) is None, (dirty, sanitize_html(dirty))


@pytest.mark.parametrize("dirty", ALL)
def test_the_text_is_unchanged(dirty: str) -> None:
    parsed = _CLEANER.clean(dirty)  # as the HTML parser leaves it, before the blocks are lifted
    assert body_text(lift_blocks(parsed)) == body_text(parsed)
    # Every case holds allowed elements only, so no text is dropped with an element; only
    # the spaces of a paragraph left empty (``<p> </p>``) go.
    assert "".join(body_text(sanitize_html(dirty)).split()) == "".join(body_text(dirty).split())


@pytest.mark.parametrize("dirty", ALL)
def test_sanitising_again_changes_nothing(dirty: str) -> None:
    clean = sanitize_html(dirty)
    assert sanitize_html(clean) == clean


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<b>a<p>x</p></b>", "<b>a</b><p><b>x</b></p>"),
        ("<em><blockquote>q</blockquote></em>", "<blockquote><em>q</em></blockquote>"),
        (f"{LINK}<p>t</p></a>", '<p><a href="https://x.example/" rel="nofollow ugc noopener">t</a></p>'),
        ("<q><blockquote>quoted</blockquote></q>", "<blockquote><q>quoted</q></blockquote>"),
        ("<p>one<button><p>two</p></button>three</p>", "<p>one</p><p>two</p>three"),
        (
            f'{LINK}x<marquee><a href="https://y.example/">y</a></marquee>z</a>',
            '<a href="https://x.example/" rel="nofollow ugc noopener">xyz</a>',
        ),
    ],
)
def test_text_level_elements_go_inside_the_block(dirty: str, clean: str) -> None:
    assert sanitize_html(dirty) == clean


def test_well_nested_bodies_are_left_as_they_are() -> None:
    for clean in (
        "<p>a <b>b</b></p>\n<blockquote><p><em>q</em></p>x</blockquote>",
        "<b>a</b><p>x</p>",
        "a<br>b",
    ):
        assert sanitize_html(clean) == clean


PAGE = jinja2.Environment(autoescape=True).from_string(
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Bodies</title></head><body>\n'
    '{% for body in bodies %}<div class="kb-comment__body">\n{{ body }}\n</div>\n{% endfor %}</body></html>\n'
)


def test_every_body_is_valid_html_in_a_page(overrides_env: jinja2.Environment, tmp_path: Path) -> None:
    from htmlcheck import validate

    rng = random.Random(7)  # noqa: S311 - test data, not secrets
    # As comments: the paragraphs are made first (blank lines between some parts).
    bodies = [clean_body(overrides_env, case.replace("<br>", rng.choice(["<br>", "\n\n"]))) for case in ALL]
    bodies += [Markup(sanitize_html(case)) for case in ALL]  # noqa: S704 (the sanitiser's output)
    (tmp_path / "bodies.html").write_text(PAGE.render(bodies=bodies), encoding="utf-8")
    assert validate(tmp_path) == []
