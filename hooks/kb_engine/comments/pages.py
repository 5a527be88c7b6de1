"""Between MkDocs' pages and the comment data: context, search entries, feeds.

Called by kb-comments; MkDocs objects come in as arguments, so this
module needs no MkDocs import of its own. It builds its search section with
Material's own ``Section`` class, so that the search plugin words the entry
as for any other section (tests/engine/test_comments_search.py holds the result to
what the plugin's parser would make).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping, MutableMapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from material.plugins.search.plugin import Element, Section

from kb_engine.comments.build import CommentsBuild, PostComments, PostPage
from kb_engine.comments.feed import FeedPost, as_aware, post_comment_feed, site_comment_feed
from kb_engine.comments.search import SEARCH_TEMPLATE, index_text, search_paragraphs
from kb_engine.comments.thread import build_thread
from kb_engine.comments.view import CommentsSection, comments_section, walk_views
from kb_engine.feeds.paths import SITE_COMMENTS_PATH, post_comments_feed_path
from kb_engine.feeds.rss import MEDIA_TYPE, to_rss
from kb_engine.headlinks import HeadLink, add_head_links
from kb_engine.rendering import render

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page

CONTEXT_KEY = "kb_comments"
FEED_KEY = "kb_comment_feed"  # the post's comment feed, for the "follow these comments" box
FEED_BOX = "#comment-feed"  # where the visible feed link leads: the box that explains it
COUNTS_KEY = "kb_comment_counts"
COUNT_TEMPLATE = "partials/kb/comment-count.html"
SITE_FEED = SITE_COMMENTS_PATH


def post_sources(src_uris: Iterable[str], posts_dir: str) -> dict[str, str]:
    """Post id (path under the posts folder, no ``.md``) -> src_uri, for every post."""
    prefix = posts_dir.rstrip("/") + "/"
    return {
        uri[len(prefix) : -len(".md")]: uri
        for uri in src_uris
        if uri.startswith(prefix) and uri.endswith(".md")
    }


def relative_url(target: str, page_url: str) -> str:
    """``target`` (site-relative) as seen from the page at ``page_url``."""
    base = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url) + "/"
    relative = posixpath.relpath("/" + target, "/" + base)
    return relative + "/" if target.endswith("/") and not relative.endswith("/") else relative


def add_to_context(context: MutableMapping[str, Any], page: Page, state: CommentsBuild) -> None:
    """Counts for post lists on every page; the thread, head link and feed on post pages."""
    context[COUNTS_KEY] = state.counts_by_src
    post = state.posts.get(page.file.src_uri)
    if post is None:
        return
    feed_path = post_comments_feed_path(page.url)
    feed_href = relative_url(feed_path, page.url)
    section = state.sections[page.file.src_uri] = section_for(post, FEED_BOX, state)
    context[CONTEXT_KEY] = section
    site_url = page.canonical_url.removesuffix(page.url) if page.canonical_url else ""
    context[FEED_KEY] = {"href": feed_href, "url": site_url + feed_path if site_url else feed_href}
    title = page.title or post.post_id
    add_head_links(
        context,
        [HeadLink("alternate", MEDIA_TYPE, f"Comments on: {title}", feed_href)],
    )
    created = getattr(getattr(getattr(page, "config", None), "date", None), "created", None)
    state.pages[page.file.src_uri] = PostPage(str(title), page.url, feed_path, as_aware(created))


def section_for(post: PostComments, feed_href: str, state: CommentsBuild) -> CommentsSection:
    # Threads and views are made page by page and dropped after it: kept for
    # the whole build, 10,000 comments' worth of them slow every full
    # garbage collection.
    return comments_section(build_thread(post.comments), post.bodies, feed_href, state.dates)


def add_to_search(page: Page, state: CommentsBuild, plugins: Mapping[str, Any]) -> None:
    """Index a post's comments as one section of the post, ``<post url>#comments``.

    The comments are not part of ``page.content`` (the theme renders them
    from the page context), so the search plugin does not see them. The
    section is handed to the plugin ready-made (kb_engine.comments.search), and the
    plugin words the entry as for any section: location, tags, boost.
    """
    section = state.sections.pop(page.file.src_uri, None)
    post = state.posts.get(page.file.src_uri)
    search = plugins.get("material/search") or plugins.get("search")
    if post is None or not post.comments or search is None:
        return
    if not getattr(getattr(search, "config", None), "enabled", True):
        return
    if (page.meta.get("search") or {}).get("exclude"):
        return
    section = section or section_for(post, "", state)
    title = state.env.get_template(COUNT_TEMPLATE).module.label(section.count)  # type: ignore[attr-defined]
    text = render(state.env, SEARCH_TEMPLATE, comments=search_paragraphs(walk_views(section.comments)))
    found = Section(Element("h2", {"id": "comments"}), depth=1)
    found.id = "comments"
    found.title = [str(title)]
    found.text = [index_text(text)]
    search.search_index.create_entry_for_section(found, page.toc, page.url, page)


def write_feeds(state: CommentsBuild, config: MkDocsConfig) -> None:
    """Each rendered post's comment feed, and the site-wide comment feed."""
    site_url = config.site_url or "/"
    site_url = site_url if site_url.endswith("/") else site_url + "/"
    site_dir = Path(config.site_dir)
    language = config.theme.get("language") or "en"
    posts: list[FeedPost] = []
    for src_uri, page in sorted(state.pages.items()):
        post = state.posts[src_uri]
        feed_post = FeedPost(
            title=page.title,
            url=site_url + page.url,
            feed_url=site_url + page.comment_feed,
            published=page.published,
            comments=post.comments,
            bodies=post.bodies,
        )
        posts.append(feed_post)
        feed = post_comment_feed(feed_post, site_name=config.site_name, language=language)
        _write(site_dir / page.comment_feed, to_rss(feed))
    site_feed = site_comment_feed(
        posts,
        site_name=config.site_name,
        site_url=site_url,
        self_url=site_url + SITE_FEED,
        language=language,
        size=state.settings.site_feed_items,
    )
    _write(site_dir / SITE_FEED, to_rss(site_feed))


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
