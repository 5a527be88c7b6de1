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

import html
from collections.abc import Iterable

from markupsafe import Markup

from kb.comments.body import search_body
from kb.comments.view import CommentView

SEARCH_TEMPLATE = "partials/kb/comments-search.html"


def index_text(text: str) -> Markup:
    """``text`` (plain, not HTML) as the search parser writes a run of text."""
    # Every run of comment text in the index starts with "<author>: ", so it
    # is never all white space, which the parser would turn into one space.
    # Escaped here, for the index only: quotes stay as they are, as in the parser.
    return Markup(html.escape(text.replace("\n", " "), quote=False))  # noqa: S704


def search_paragraphs(views: Iterable[CommentView]) -> list[tuple[Markup, Markup]]:
    """(author, body text) of each comment, ready for ``comments-search.html``."""
    return [
        (index_text(view.author), index_text(html.unescape(str(search_body(view.body))))) for view in views
    ]
