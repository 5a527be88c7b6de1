"""The ``plugins.kb-feeds`` settings in mkdocs.yml, as a typed schema (see kb_engine.core.settings)."""

from __future__ import annotations

import string

from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ValidationError

CATEGORY_TITLE_FIELDS = ("title", "category")


class PositiveInt(c.OptionallyRequired[int]):
    """A whole number of at least 1 (``true`` is not a number here)."""

    def run_validation(self, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(f"expected a whole number, got {value!r}")
        if value < 1:
            raise ValidationError(f"must be at least 1, got {value}")
        return value


class TitleTemplate(c.OptionallyRequired[str]):
    """A title with ``{title}`` and ``{category}`` placeholders."""

    def run_validation(self, value: object) -> str:
        if not isinstance(value, str) or not value.strip():
            raise ValidationError(f"expected a non-empty text, got {value!r}")
        try:
            fields = [name for _, name, _, _ in string.Formatter().parse(value) if name is not None]
        except ValueError as error:
            raise ValidationError(f"{value!r} is not a valid title template ({error})") from None
        for name in fields:
            if name not in CATEGORY_TITLE_FIELDS:
                allowed = ", ".join(f"{{{f}}}" for f in CATEGORY_TITLE_FIELDS)
                raise ValidationError(f"unknown placeholder {{{name}}} (use {allowed})")
        return value


class NonEmptyText(c.OptionallyRequired[str]):
    def run_validation(self, value: object) -> str:
        if not isinstance(value, str) or not value.strip():
            raise ValidationError(f"expected a non-empty text, got {value!r}")
        return value


class FeedsSettings(Config):  # type: ignore[no-untyped-call]  # mkdocs leaves this untyped
    """``plugins.kb-feeds``: every key is optional."""

    # How many of the newest posts each feed carries.
    limit = PositiveInt(default=20)
    # `full`: the whole post in each item (and the excerpt as its summary);
    # `excerpt`: only the part before the excerpt separator.
    content = c.Choice(("full", "excerpt"), default="full")
    # One RSS feed per blog category.
    categories = c.Type(bool, default=True)
    # Feed title and description; default: site_name and site_description.
    title = c.Optional(NonEmptyText())
    description = c.Optional(NonEmptyText())
    # Title of a category's feed.
    category_title = TitleTemplate(default="{title}: {category}")
    # Link each item to its comments and comment feed (comments, wfw:commentRss, slash:comments).
    comments = c.Type(bool, default=True)
    # The page (under docs/) that lists every feed.
    page = NonEmptyText(default="feeds.md")
