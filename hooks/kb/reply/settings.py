"""``extra.reply`` in mkdocs.yml: where the comment form sends comments."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class ReplySettings(Config):  # type: ignore[no-untyped-call]
    # The intake service's POST endpoint, e.g. https://kb.example.org/comment.
    # Unset: posts show how to comment by pull request instead of a form.
    intake_url = c.Optional(c.URL())
