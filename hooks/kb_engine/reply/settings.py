"""``plugins.kb-reply`` in mkdocs.yml: where the comment form sends comments."""

from __future__ import annotations

from urllib.parse import urlsplit

from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ValidationError


class HttpURL(c.URL):
    """An absolute http:// or https:// URL (the form posts there from a browser)."""

    def run_validation(self, value: object) -> str:
        url: str = super().run_validation(value)
        if urlsplit(url).scheme not in ("http", "https"):
            raise ValidationError(f"expected an http:// or https:// address, got {value!r}")
        return url


class ReplySettings(Config):  # type: ignore[no-untyped-call]
    # The intake service's POST endpoint, e.g. https://kb.example.org/comment.
    # Unset: posts show no form (`python3 dev.py serve` always has one).
    intake_url = c.Optional(HttpURL())
