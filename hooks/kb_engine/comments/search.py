"""A post's comments as one search-index section, ``<post url>#comments``.

Material's search plugin indexes a page by running its HTML through an
``html.parser`` subclass; for thousands of comments that costs more than the
comments are worth. The text of a clean body is already known, so the
section is made directly, and its text is written exactly as that parser
writes text into the index: entities decoded, then ``&``, ``<`` and ``>``
escaped (quotes as they are), and line breaks as spaces. A test holds the
two ways to the same result.
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup

from kb_engine.comments.sanitize import body_text
from kb_engine.comments.view import CommentView

SEARCH_TEMPLATE = "partials/kb/comments-search.html"


def search_paragraphs(views: Iterable[CommentView]) -> list[tuple[str, str]]:
    """(author, body text) of each comment, for ``comments-search.html``."""
    return [(view.author, body_text(view.body)) for view in views]


def index_text(rendered: Markup | str) -> str:
    """``comments-search.html``'s output written as the search parser writes text.

    The template escapes ``&``, ``<``, ``>`` and both quotes; the parser
    leaves quotes as they are, and writes line breaks in text as spaces
    (the template itself has none).
    """
    return str(rendered).replace("&#34;", '"').replace("&#39;", "'").replace("\n", " ")
