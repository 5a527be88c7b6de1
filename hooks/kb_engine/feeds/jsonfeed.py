"""JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/)."""

from __future__ import annotations

import json
import re
from typing import Any

import lxml.html

from kb_engine.feeds.model import Feed, FeedItem
from kb_engine.feeds.xmltext import rfc3339

VERSION = "https://jsonfeed.org/version/1.1"
MEDIA_TYPE = "application/feed+json"

_SPACE = re.compile(r"\s+")


def html_to_text(html: str) -> str:
    """The text of an HTML fragment, whitespace collapsed (JSON Feed's ``summary`` is plain text)."""
    if not html.strip():
        return ""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return _SPACE.sub(" ", root.text_content()).strip()


def _item(item: FeedItem) -> dict[str, Any]:
    data: dict[str, Any] = {"id": item.id, "url": item.link, "title": item.title}
    data["content_html"] = item.content_html
    if item.summary_html is not None and item.summary_html != item.content_html:
        data["summary"] = html_to_text(item.summary_html)
    data["date_published"] = rfc3339(item.published)
    if item.updated is not None:
        data["date_modified"] = rfc3339(item.last_changed)
    if item.authors:
        data["authors"] = [{"name": name} for name in item.authors]
    if item.categories:
        data["tags"] = list(item.categories)
    comments: dict[str, Any] = {}
    if item.comments_url is not None:
        comments["url"] = item.comments_url
    if item.comment_feed_url is not None:
        comments["feed_url"] = item.comment_feed_url
    if item.comment_count is not None:
        comments["count"] = item.comment_count
    if comments:
        # An extension object: JSON Feed has no comment fields of its own.
        data["_comments"] = comments
    return data


def to_json_feed(feed: Feed) -> bytes:
    """The feed as a JSON Feed 1.1 document (UTF-8)."""
    data: dict[str, Any] = {
        "version": VERSION,
        "title": feed.title,
        "home_page_url": feed.link,
        "feed_url": feed.self_url,
        "description": feed.description,
        "language": feed.language,
    }
    if feed.authors:
        data["authors"] = [{"name": name} for name in feed.authors]
    data["items"] = [_item(item) for item in feed.items]
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
