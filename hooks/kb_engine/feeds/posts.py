"""The posts feeds of the site: which posts, in which order, in which feed.

Plain data in (:class:`PublishedPost` values collected during the build),
:class:`~kb_engine.feeds.model.Feed` values and files out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from kb_engine.feeds.atom import to_atom
from kb_engine.feeds.content import post_content
from kb_engine.feeds.jsonfeed import to_json_feed
from kb_engine.feeds.model import Feed, FeedItem
from kb_engine.feeds.paths import (  # noqa: F401  # where the feeds live, re-exported for the feeds' users
    ATOM_PATH,
    JSON_PATH,
    RSS_PATH,
    SITE_COMMENTS_PATH,
    category_feed_path,
    post_comments_feed_path,
)
from kb_engine.feeds.rss import to_rss

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class PublishedPost:
    """A post as the feeds need it, read from the blog plugin after rendering."""

    src_uri: str  # e.g. blog/posts/good-customers-good-vendors.md
    url: str  # absolute URL of the post's page
    title: str
    published: datetime
    updated: datetime | None
    authors: tuple[str, ...]
    categories: tuple[str, ...]
    html: str  # the rendered page content; links relative to ``url``
    page_url: str = ""  # the post's URL relative to the site (default: the path of ``url``)

    @property
    def comment_feed_url(self) -> str:
        """The absolute address of the post's comment feed (kb_engine.feeds.paths)."""
        page_url = self.page_url or urlsplit(self.url).path.lstrip("/")
        site_url = self.url.removesuffix(page_url)
        return site_url + post_comments_feed_path(page_url)


@dataclass(frozen=True)
class Channel:
    """What a feed says about itself."""

    title: str
    description: str
    link: str  # absolute URL of the HTML page the feed belongs to
    language: str


@dataclass(frozen=True)
class FeedOptions:
    limit: int
    full_content: bool
    excerpt_separator: str
    comments: bool  # link items to their comments and comment feeds


def is_published(draft: bool | None, created: datetime, now: datetime) -> bool:
    """Drafts and posts dated in the future never appear in a feed."""
    return draft is not True and created <= now


def newest_first(posts: Iterable[PublishedPost]) -> list[PublishedPost]:
    return sorted(posts, key=lambda post: (post.published, post.src_uri), reverse=True)


def make_item(post: PublishedPost, options: FeedOptions, comment_count: int) -> FeedItem:
    content = post_content(post.html, post.url, options.excerpt_separator)
    if options.full_content:
        content_html, summary_html = content.full_html, content.excerpt_html
    else:
        content_html, summary_html = content.excerpt_html or content.full_html, None
    return FeedItem(
        id=post.url,
        title=post.title,
        link=post.url,
        published=post.published,
        updated=post.updated,
        content_html=content_html,
        summary_html=summary_html,
        authors=post.authors,
        categories=post.categories,
        comments_url=f"{post.url}#comments" if options.comments else None,
        comment_feed_url=post.comment_feed_url if options.comments else None,
        comment_count=comment_count if options.comments else None,
    )


def make_feed(
    channel: Channel,
    self_url: str,
    posts: Iterable[PublishedPost],
    items: Mapping[str, FeedItem],
    limit: int,
) -> Feed:
    """A feed of the newest ``limit`` of ``posts``, which come newest first.

    Items are made once and shared by every feed they appear in.
    """
    chosen = [items[post.src_uri] for post in list(posts)[:limit]]
    updated = max((item.last_changed for item in chosen), default=_EPOCH)
    return Feed(
        title=channel.title,
        link=channel.link,
        self_url=self_url,
        description=channel.description,
        language=channel.language,
        updated=updated,
        items=tuple(chosen),
    )


@dataclass(frozen=True)
class CategoryChannel:
    name: str
    slug: str
    channel: Channel


def build_feed_files(
    site_url: str,
    site_channel: Channel,
    categories: Iterable[CategoryChannel],
    posts: Iterable[PublishedPost],
    options: FeedOptions,
    comment_counts: Mapping[str, int],
) -> dict[str, bytes]:
    """Every posts feed of the site: ``{path under the site: content}``."""
    posts = newest_first(posts)
    # Each post's item is made once, however many feeds it appears in.
    wanted: set[str] = {post.src_uri for post in posts[: options.limit]}
    by_category: dict[str, list[PublishedPost]] = {}
    for post in posts:
        for name in post.categories:
            by_category.setdefault(name, []).append(post)
    category_list = list(categories)
    for category in category_list:
        wanted.update(post.src_uri for post in by_category.get(category.name, [])[: options.limit])
    items = {
        post.src_uri: make_item(post, options, comment_counts.get(post.src_uri, 0))
        for post in posts
        if post.src_uri in wanted
    }

    def site_feed(path: str, write: Callable[[Feed], bytes]) -> bytes:
        return write(make_feed(site_channel, site_url + path, posts, items, options.limit))

    files = {
        RSS_PATH: site_feed(RSS_PATH, to_rss),
        ATOM_PATH: site_feed(ATOM_PATH, to_atom),
        JSON_PATH: site_feed(JSON_PATH, to_json_feed),
    }
    for category in category_list:
        path = category_feed_path(category.slug)
        feed = make_feed(
            category.channel, site_url + path, by_category.get(category.name, []), items, options.limit
        )
        files[path] = to_rss(feed)
    return files
