"""What the comment templates get: plain values, bodies already clean.

Built once per post per build from the validated comments; the same
:class:`CommentView` values feed the page (``partials/comments.html``) and
the search index, and the same clean bodies go to the feeds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

from markupsafe import Markup

from kb_engine.comments.avatar import Avatar, avatar_for
from kb_engine.comments.thread import ThreadNode
from kb_engine.core.dates import DateStyle


class CommentView(NamedTuple):
    """One comment as the templates show it.

    A named tuple rather than a frozen dataclass: made for every comment of
    every post page, and a tuple is made several times faster.
    """

    id: str
    anchor: str  # "comment-<id>", the permalink's fragment
    author: str
    website: str | None
    datetime: str  # ISO 8601 with offset, for <time datetime>
    date_text: str  # for readers
    body: Markup  # sanitised
    avatar: Avatar
    depth: int  # 1 = top level
    reply_to: str | None  # the anchor of the comment it answers
    reply_to_author: str | None
    replies: tuple[CommentView, ...]
    kind: str | None = None  # "pingback" or "trackback": shown before the name, as WordPress does


@dataclass(frozen=True, slots=True)
class CommentsSection:
    """All a post page needs to show its comments."""

    count: int
    comments: tuple[CommentView, ...]
    feed_url: str  # the post's comment feed, relative to the post page


def anchor(comment_id: str) -> str:
    return f"comment-{comment_id}"


def format_date(value: dt.datetime, style: DateStyle | None = None) -> str:
    """``26 November 2026 at 14:03 UTC``, in the comment's own offset, the date in the site's style."""
    return (style or DateStyle()).date_time(value)


def comment_view(node: ThreadNode, bodies: Mapping[str, Markup], style: DateStyle) -> CommentView:
    comment = node.comment
    parent = node.parent
    return CommentView(
        comment.id,
        anchor(comment.id),
        comment.author,
        comment.website,
        comment.date.isoformat(),
        style.date_time(comment.date),
        bodies[comment.id],
        avatar_for(comment.email_hash),
        node.depth,
        anchor(parent.id) if parent else None,
        parent.author if parent else None,
        tuple([comment_view(child, bodies, style) for child in node.children]),
        comment.kind,
    )


def comments_section(
    thread: tuple[ThreadNode, ...],
    bodies: Mapping[str, Markup],
    feed_url: str,
    style: DateStyle | None = None,
) -> CommentsSection:
    """``bodies``: the clean body of each comment id of this post; ``style``: plugins.kb-dates."""
    style = style or DateStyle()
    comments = tuple(comment_view(node, bodies, style) for node in thread)
    return CommentsSection(count=len(bodies), comments=comments, feed_url=feed_url)


def walk_views(views: tuple[CommentView, ...]) -> list[CommentView]:
    """Every comment view, in page order."""
    found: list[CommentView] = []
    for view in views:
        found.append(view)
        found.extend(walk_views(view.replies))
    return found
