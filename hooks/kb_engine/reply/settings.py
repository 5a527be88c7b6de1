"""``plugins.kb-reply`` in mkdocs.yml: where the comment form sends comments."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ValidationError

from kb_engine.core.urls import http_url_problem


class HttpURL(c.Type[str]):
    """An absolute http:// or https:// URL (the form posts there from a browser), by the core's rule."""

    def __init__(self) -> None:
        super().__init__(str)

    def run_validation(self, value: object) -> str:
        url = super().run_validation(value)
        problem = http_url_problem(url)
        if problem:
            raise ValidationError(problem)
        return url


class ReplySettings(Config):  # type: ignore[no-untyped-call]
    # The intake service's POST endpoint, e.g. https://kb.example.org/comment.
    # Unset: posts show no form (`python3 dev.py serve` always has one).
    intake_url = c.Optional(HttpURL())
