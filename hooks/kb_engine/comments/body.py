"""A comment body as clean HTML: paragraphs made, then sanitised.

A body is limited XHTML or plain text. Blocks separated by a blank line
become paragraphs, unless a block already starts with ``<p>`` or
``<blockquote>``. The paragraphs are made by a template
(``partials/kb/comment-body.html``) and the result goes through the one
sanitiser, :func:`kb_engine.comments.sanitize.sanitize_html`; its output is the
only form of the body the page, the feeds and the search index ever see.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from markupsafe import Markup

from kb_engine.comments.sanitize import sanitize_html

if TYPE_CHECKING:
    import jinja2

BODY_TEMPLATE = "partials/kb/comment-body.html"
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_BLOCK_START = re.compile(r"\A<(?:p|blockquote)(?=[\s/>])", re.IGNORECASE)


class Block(NamedTuple):
    """A part of a body between blank lines; ``wrap``: it needs a ``<p>``."""

    source: str
    wrap: bool


def blocks(body: str) -> list[Block]:
    """The body's blocks, in order, without empty ones."""
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    parts = (part.strip() for part in _BLANK_LINE.split(text))
    return [Block(part, not _BLOCK_START.match(part)) for part in parts if part]


Paragraphs = Callable[[list[Block]], str]


def paragraphs_macro(env: jinja2.Environment) -> Paragraphs:
    """The ``paragraphs`` macro of the body template (look it up once per build)."""
    macro: Paragraphs = env.get_template(BODY_TEMPLATE).module.paragraphs  # type: ignore[attr-defined]
    return macro


def clean_body(env: jinja2.Environment, body: str) -> Markup:
    """The body as sanitised HTML, safe to put in a page or a feed."""
    return clean_body_with(paragraphs_macro(env), body)


def clean_body_with(paragraphs: Paragraphs, body: str) -> Markup:
    """:func:`clean_body` with the template's macro already looked up (:func:`paragraphs_macro`)."""
    # The sources are untrusted HTML on purpose: the template only places
    # them in paragraphs (unescaped), and the sanitiser then parses and
    # cleans the whole.
    raw = str(paragraphs(blocks(body)))
    # sanitize_html's output holds only allow-listed elements and attributes.
    return Markup(sanitize_html(raw).strip())  # noqa: S704
