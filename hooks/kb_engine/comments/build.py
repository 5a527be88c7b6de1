"""The comments of one build: loaded once, then read by every event.

Made in ``on_config`` (empty) and filled in ``on_files`` from the comment
files; kept on the config object (kb_engine.buildstate), so nothing survives from
one ``mkdocs serve`` rebuild to the next.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kb_engine.comments.body import clean_body_with, paragraphs_macro
from kb_engine.comments.model import Comment
from kb_engine.core.dates import DateStyle

if TYPE_CHECKING:
    import datetime as dt

    import jinja2
    from markupsafe import Markup

    from kb_engine.comments.settings import CommentSettings
    from kb_engine.comments.view import CommentsSection

STATE = "comments"
COUNTS_STATE = "comment_counts"


@dataclass(frozen=True)
class PostComments:
    """One post's comments: validated, bodies sanitised (threaded as its page renders)."""

    post_id: str
    src_uri: str
    comments: tuple[Comment, ...]  # oldest first
    bodies: dict[str, Markup]  # comment id -> clean body (page, feeds and search)


@dataclass(frozen=True)
class PostPage:
    """What the feeds need to know of a post page, recorded as it renders."""

    title: str
    url: str  # site-relative
    comment_feed: str  # site-relative path of its comment feed
    published: dt.datetime  # timezone-aware


@dataclass
class CommentsBuild:
    settings: CommentSettings
    env: jinja2.Environment
    posts: dict[str, PostComments] = field(default_factory=dict)  # by the post's src_uri
    pages: dict[str, PostPage] = field(default_factory=dict)  # by src_uri, filled in on_page_context
    counts_by_src: dict[str, int] = field(default_factory=dict)  # comments per post, by src_uri
    # By src_uri: made as a page renders, kept until its search entry is made.
    sections: dict[str, CommentsSection] = field(default_factory=dict)
    dates: DateStyle = field(default_factory=DateStyle)  # plugins.kb-dates: how comment dates are written

    def load(self, post_sources: dict[str, str], comments: Iterable[Comment]) -> None:
        """``post_sources``: post id -> src_uri, for every post (with or without comments)."""
        by_post: dict[str, list[Comment]] = {post_id: [] for post_id in post_sources}
        for comment in comments:
            by_post[comment.post].append(comment)
        self.posts = {}
        paragraphs = paragraphs_macro(self.env)
        for post_id, src_uri in sorted(post_sources.items()):
            found = sorted(by_post[post_id], key=lambda c: (c.date, c.id))
            self.posts[src_uri] = PostComments(
                post_id=post_id,
                src_uri=src_uri,
                comments=tuple(found),
                bodies={c.id: clean_body_with(paragraphs, c.body) for c in found},
            )
        self.counts_by_src = {src_uri: len(post.comments) for src_uri, post in self.posts.items()}

    def counts(self) -> dict[str, int]:
        """Comments per post, keyed by the post's src_uri (0 for none); a copy."""
        return dict(self.counts_by_src)
