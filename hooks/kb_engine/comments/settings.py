"""Settings of the comments feature: ``plugins.kb-comments`` in mkdocs.yml."""

from __future__ import annotations

import datetime as dt

from mkdocs.config import base
from mkdocs.config import config_options as c

from kb_engine.core.paths import DEFAULT_DIRECTORY, FolderSetting, directory_problem


class PositiveInt(c.Type[int]):
    """An integer of at least 1."""

    def __init__(self, default: int | None = None) -> None:
        super().__init__(int, default=default)

    def run_validation(self, value: object) -> int:
        number = super().run_validation(value)
        if isinstance(number, bool) or number < 1:
            raise base.ValidationError(f"expected a whole number of at least 1, got {value!r}")
        return number


class CommentSettings(base.Config):  # type: ignore[no-untyped-call]
    """``plugins.kb-comments``; every key is optional."""

    # The folder of comment files, relative to mkdocs.yml (the rule in kb_engine.core.paths).
    directory = FolderSetting(DEFAULT_DIRECTORY, directory_problem)
    # How many of the newest comments the site-wide feed (comments.xml at the site's root) holds.
    site_feed_items = PositiveInt(default=50)
    # Close the comments of every post this many days after it was published
    # (a post's `comments: open` keeps them open). Unset: open until closed by hand.
    close_after_days = c.Optional(PositiveInt())


# A post's front matter: `comments: closed` closes its comments (they stay
# shown, with their feed; the form gives way to "Comments are closed."), and
# `comments: open` keeps them open past `plugins.kb-comments.close_after_days`.
FRONT_MATTER_KEY = "comments"
OPEN, CLOSED = "open", "closed"


def front_matter_problem(value: object) -> str | None:
    """What is wrong with a post's ``comments:`` value, or None (the rule for `check` and the build)."""
    if value in (OPEN, CLOSED):
        return None
    return f"`{FRONT_MATTER_KEY}` must be `{OPEN}` or `{CLOSED}`, got {value!r}"


def comments_closed(
    front_matter: object, published: dt.datetime | None, now: dt.datetime, close_after_days: int | None
) -> bool:
    """Whether a post takes no more comments.

    ``front_matter``: the post's ``comments:`` value (None if absent);
    ``published``: its date (naive means UTC); ``now``: timezone-aware.
    """
    if front_matter == CLOSED:
        return True
    if front_matter == OPEN or not close_after_days or published is None:
        return False
    if published.tzinfo is None:
        published = published.replace(tzinfo=dt.UTC)
    return now >= published + dt.timedelta(days=close_after_days)
