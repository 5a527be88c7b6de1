"""What a feed holds, independent of its format (RSS 2.0, Atom 1.0, JSON Feed 1.1).

Every URL in these values is absolute, and every date is timezone-aware: the
writers copy them as they are. ``content_html`` and ``summary_html`` are HTML
fragments whose links are already absolute (see :mod:`kb_engine.feeds.absolute`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


def _require_aware(value: datetime | None, what: str) -> None:
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        raise ValueError(f"{what} must be timezone-aware, got {value.isoformat()}")


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One entry of a feed: a post, or a comment."""

    id: str  # stable and unique within the feed; the permalink where there is one
    title: str  # plain text
    link: str  # the item's HTML page
    published: datetime
    updated: datetime | None
    content_html: str
    summary_html: str | None
    authors: tuple[str, ...]
    categories: tuple[str, ...]
    comments_url: str | None = None  # the item's comments on its page (``...#comments``)
    comment_feed_url: str | None = None  # the item's own comment feed
    comment_count: int | None = None

    def __post_init__(self) -> None:
        _require_aware(self.published, f"item {self.id!r}: published")
        _require_aware(self.updated, f"item {self.id!r}: updated")

    @property
    def last_changed(self) -> datetime:
        """``updated`` if there is one (and it is later), else ``published``."""
        if self.updated is not None and self.updated > self.published:
            return self.updated
        return self.published


@dataclass(frozen=True, slots=True)
class Feed:
    """A whole feed: channel data and its items, newest first."""

    title: str
    link: str  # the HTML page the feed belongs to
    self_url: str  # the feed's own URL
    description: str
    language: str
    updated: datetime
    items: tuple[FeedItem, ...]
    # Who writes the feed; used where a format needs an author and an item has none.
    authors: tuple[str, ...] = ()
    generator: str | None = None

    def __post_init__(self) -> None:
        _require_aware(self.updated, f"feed {self.self_url!r}: updated")
