"""Settings of the comments feature: ``extra.comments`` in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class PositiveInt(c.Type[int]):
    """An integer of at least 1."""

    def __init__(self, default: int) -> None:
        super().__init__(int, default=default)

    def run_validation(self, value: object) -> int:
        number = super().run_validation(value)
        if isinstance(number, bool) or number < 1:
            raise base.ValidationError(f"expected a whole number of at least 1, got {value!r}")
        return number


class CommentSettings(base.Config):  # type: ignore[no-untyped-call]
    """``extra.comments``; every key is optional."""

    # The folder of comment files, relative to mkdocs.yml.
    directory = c.Type(str, default="comments")
    # How many of the newest comments the site-wide feed (feeds/comments.xml) holds.
    site_feed_items = PositiveInt(default=50)
