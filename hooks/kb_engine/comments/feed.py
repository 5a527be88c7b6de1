"""Comment feeds as :class:`kb_engine.feeds.model.Feed` values (RSS by kb_engine.feeds.rss).

Each post has its own feed, ``<post url>comments.xml`` (WordPress's
``/feed/`` under a post), empty but valid when the post has no comments; the
site-wide feed holds the newest comments of every post. Items link to the
comment's permalink, which is also their guid; their content is the same
sanitised body the page shows, with every URL made absolute.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup

from kb_engine.comments.model import Comment
from kb_engine.comments.view import anchor
from kb_engine.feeds.absolute import absolutize_html
from kb_engine.feeds.model import Feed, FeedItem

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class FeedPost:
    """A post as the comment feeds know it; URLs are absolute."""

    title: str
    url: str
    feed_url: str
    published: dt.datetime  # timezone-aware
    comments: tuple[Comment, ...]
    bodies: dict[str, Markup]


# A URL attribute whose value is not already absolute (the sanitiser writes double quotes).
_RELATIVE_URL = re.compile(r'\s(?:href|cite)="(?!https?://|mailto:)', re.IGNORECASE)


def absolute_body(html: str, base_url: str) -> str:
    """A clean body with its URLs absolute; parsed only when it has a relative one."""
    return absolutize_html(html, base_url) if _RELATIVE_URL.search(html) else html


# Text a feed reader could take for markup: a tag's start (<b, </b, <!, <?)
# or a character reference (&lt; &#60;). RSS does not say whether <title> is
# text or HTML, and readers differ; a commenter's name must read as text in
# all of them.
_MARKUP_LIKE = re.compile(r"<(?=[A-Za-z/!?])|&(?=#[0-9]+;|#[xX][0-9A-Fa-f]+;|[A-Za-z][A-Za-z0-9]*;)")
_LOOKALIKE = {"<": "\u2039", "&": "\uff06"}  # ‹ and ＆


def plain_label(text: str) -> str:
    """A commenter's name for a feed's ``<title>`` and ``<dc:creator>``: never markup.

    Only the characters that would start a tag or a character reference are
    replaced, by look-alikes ("<b>" reads "‹b>"); any other name is unchanged.
    """
    return _MARKUP_LIKE.sub(lambda match: _LOOKALIKE[match.group()], text)


def permalink(post: FeedPost, comment: Comment) -> str:
    return f"{post.url}#{anchor(comment.id)}"


def comment_item(post: FeedPost, comment: Comment, title: str) -> FeedItem:
    link = permalink(post, comment)
    return FeedItem(
        id=link,
        title=title,
        link=link,
        published=comment.date,
        updated=None,
        content_html=absolute_body(str(post.bodies[comment.id]), post.url),
        summary_html=None,
        authors=(plain_label(comment.author),),
        categories=(),
    )


def post_comment_feed(post: FeedPost, *, site_name: str, language: str) -> Feed:
    """The feed of one post's comments, newest first."""
    newest = sorted(post.comments, key=lambda c: (c.date, c.id), reverse=True)
    return Feed(
        title=f"Comments on: {post.title}",
        link=post.url,
        self_url=post.feed_url,
        description=f"Readers' comments on “{post.title}” ({site_name})",
        language=language,
        updated=max((c.date for c in newest), default=post.published),
        items=tuple(comment_item(post, c, f"By: {plain_label(c.author)}") for c in newest),
        generator=None,
    )


def site_comment_feed(
    posts: Iterable[FeedPost], *, site_name: str, site_url: str, self_url: str, language: str, size: int
) -> Feed:
    """The newest ``size`` comments of all ``posts``, newest first."""
    posts = list(posts)
    everything = [(c, post) for post in posts for c in post.comments]
    everything.sort(key=lambda pair: (pair[0].date, pair[0].id, pair[1].url), reverse=True)
    newest = everything[:size]
    return Feed(
        title=f"Comments for {site_name}",
        link=site_url,
        self_url=self_url,
        description=f"The newest readers' comments on {site_name}",
        language=language,
        updated=newest[0][0].date if newest else max((p.published for p in posts), default=EPOCH),
        items=tuple(
            comment_item(post, c, f"Comment on {post.title} by {plain_label(c.author)}") for c, post in newest
        ),
        generator=None,
    )


def as_aware(value: dt.datetime | dt.date | None) -> dt.datetime:
    """A post date as an aware datetime (blog dates without a zone are UTC)."""
    if value is None:
        return EPOCH
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
