"""The feeds of this site, read from MkDocs and the blog plugin (the glue behind kb-feeds).

The posts feeds come from the blog plugin's own post objects, so their
titles, dates, authors, categories and URLs are exactly those of the pages.
Everything a build learns is kept in :class:`FeedsState` on the config
(kb_engine.buildstate), never in a module, so every ``mkdocs serve`` rebuild starts
afresh.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import yaml
from material.plugins.blog.structure import Category, Post
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.utils import get_relative_url

from kb_engine import buildstate
from kb_engine.blogsource import blog_plugin, display_path
from kb_engine.core.settings import config_file_name, feature_settings, site_url_problem
from kb_engine.feeds.config import FeedsSettings
from kb_engine.feeds.paths import (
    ATOM_PATH,
    JSON_PATH,
    RSS_PATH,
    SITE_COMMENTS_PATH,
    category_feed_path,
    feed_page_src,
)
from kb_engine.feeds.posts import (
    CategoryChannel,
    Channel,
    FeedOptions,
    PublishedPost,
    build_feed_files,
    is_published,
)
from kb_engine.headlinks import HeadLink
from kb_engine.rendering import make_environment, render

if TYPE_CHECKING:
    import jinja2
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

STATE = "feeds"
# Where the feeds page wants its lists, as HTML comments in the Markdown.
SITE_FEEDS_MARKER = "<!-- kb:site-feeds -->"
CATEGORY_FEEDS_MARKER = "<!-- kb:category-feeds -->"
# Where a feed page (feeds/<name>/, generated) wants its text.
FEED_PAGE_MARKER = "<!-- kb:feed-page -->"
FEED_PAGE_TEMPLATE = "partials/kb/feed-page.html"
FORMAT_NAMES = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}

MEDIA_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml", "json": "application/feed+json"}


@dataclass(frozen=True)
class FeedLink:
    """A feed as pages show it: title, format, path under the site."""

    title: str
    kind: str  # rss, atom, json
    path: str

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.kind]


@dataclass(frozen=True)
class CategoryFeed:
    name: str
    slug: str
    page_src: str  # src_uri of the category page
    page_url: str  # the category page, relative to the site
    view_uris: frozenset[str]  # src_uri of the category page and its pagination pages

    def link(self, title: str) -> FeedLink:
        return FeedLink(title, "rss", category_feed_path(self.slug))


@dataclass(frozen=True)
class FeedPage:
    """The page that explains one feed to a person (feeds/rss/, feeds/category/<slug>/, ...)."""

    link: FeedLink
    title: str  # the page's title, e.g. "RSS feed of all posts"
    carries: str  # what the feed holds, one sentence
    follows: str  # site-relative URL of the HTML page whose entries the feed carries
    follows_label: str  # that page, as a link's text


@dataclass
class FeedsState:
    settings: FeedsSettings
    site_url: str  # ends with "/"
    now: datetime
    env: jinja2.Environment
    blog_index: str = ""  # src_uri of the blog's index page
    feeds_page_url: str = ""  # URL of the page listing the feeds, relative to the site
    published: set[str] = field(default_factory=set)  # src_uri of posts that may appear
    categories: list[CategoryFeed] = field(default_factory=list)
    posts: dict[str, PublishedPost] = field(default_factory=dict)
    feed_pages: dict[str, FeedPage] = field(default_factory=dict)  # by the page's src_uri
    feed_page_urls: dict[str, str] = field(default_factory=dict)  # feed path -> its page's URL
    comments_feed: bool = False  # the comments feature publishes the site-wide comment feed

    @property
    def title(self) -> str:
        return self.settings.title or ""

    def site_links(self) -> list[FeedLink]:
        return [
            FeedLink(f"{self.title} (RSS)", "rss", RSS_PATH),
            FeedLink(f"{self.title} (Atom)", "atom", ATOM_PATH),
            FeedLink(f"{self.title} (JSON Feed)", "json", JSON_PATH),
        ]

    def category_title(self, category: CategoryFeed) -> str:
        return self.settings.category_title.format(title=self.title, category=category.name)

    def category_of_page(self, src_uri: str) -> CategoryFeed | None:
        if not self.settings.categories:
            return None
        return next((c for c in self.categories if src_uri in c.view_uris), None)


def start(config: MkDocsConfig) -> FeedsState:
    """Read and check the settings (on_config)."""
    settings = feature_settings(config, "feeds", FeedsSettings)
    problem = site_url_problem(config)
    if problem or not config.site_url:
        raise PluginError(problem or "site_url is required")
    if settings.title is None:
        settings.title = config.site_name
    if settings.description is None:
        settings.description = config.site_description or config.site_name
    site_url = config.site_url if config.site_url.endswith("/") else config.site_url + "/"
    state = FeedsState(settings, site_url, datetime.now(UTC), make_environment(config))
    return buildstate.start(config, STATE, state)


def state_of(config: MkDocsConfig) -> FeedsState:
    return buildstate.get(config, STATE, FeedsState)


def find_posts(files: Files, config: MkDocsConfig) -> None:
    """Which posts may appear, and which categories there are (on_files, after the blog plugin)."""
    state = state_of(config)
    page = files.get_file_from_path(state.settings.page)
    if page is None or not page.is_documentation_page():
        raise PluginError(
            f"{config_file_name(config)}: plugins.kb-feeds.page: '{state.settings.page}' is not a page in "
            f"{display_path(config, config.docs_dir)}/"
        )
    state.feeds_page_url = page.url
    blog = blog_plugin(config)
    state.blog_index = blog.blog.file.src_uri
    posts: list[Post] = blog.blog.posts
    state.published = {
        post.file.src_uri
        for post in posts
        if is_published(post.config.draft, post.config.date.created, state.now)
    }
    allowed: list[str] = list(blog.config.categories_allowed)
    views = [view for view in blog.blog.views if isinstance(view, Category)]
    # In the order of categories_allowed, then by name.
    views.sort(key=lambda v: (allowed.index(v.name) if v.name in allowed else len(allowed), v.name))
    slugify = blog.config.categories_slugify
    separator = blog.config.categories_slugify_separator
    state.categories = [
        CategoryFeed(
            name=view.name,
            slug=slugify(view.name, separator),
            page_src=view.file.src_uri,
            page_url=view.file.url,
            view_uris=frozenset([view.file.src_uri, *(p.file.src_uri for p in view.pages)]),
        )
        for view in views
    ]
    state.comments_feed = buildstate.get_optional(config, "comment_counts", dict) is not None
    state.feed_pages = feed_pages(state, blog.blog.file.url)
    for src_uri, feed_page in state.feed_pages.items():
        file = File.generated(
            config, src_uri, content=feed_page_markdown(feed_page), inclusion=InclusionLevel.NOT_IN_NAV
        )
        files.append(file)
        state.feed_page_urls[feed_page.link.path] = file.url


def feed_pages(state: FeedsState, blog_url: str) -> dict[str, FeedPage]:
    """One page per site feed and category feed, by the src_uri it is generated at."""
    pages = [
        FeedPage(link, f"{FORMAT_NAMES[link.kind]} feed of all posts",
                 f"Every new post of {state.title}, newest first.", blog_url, "The blog")
        for link in state.site_links()
    ]
    if state.comments_feed:
        pages.append(FeedPage(
            FeedLink(f"{state.title}: comments (RSS)", "rss", SITE_COMMENTS_PATH), "RSS feed of all comments",
            f"The newest readers' comments on every post of {state.title}.", blog_url, "The blog",
        ))
    for category in state.categories if state.settings.categories else []:
        pages.append(FeedPage(
            category.link(state.category_title(category)), f"RSS feed: {category.name}",
            f"Every new post in the category {category.name}, newest first.", category.page_url,
            f"The category {category.name} on the blog",
        ))
    return {feed_page_src(page.link.path): page for page in pages}


def feed_page_markdown(page: FeedPage) -> str:
    """The generated page's source: its title and description, and the marker its text replaces."""
    meta = {
        "title": page.title,
        "description": f"What a feed is, and how to follow this one ({page.link.title}) in a feed reader.",
        "search": {"exclude": True},
    }
    return f"---\n{yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)}---\n\n{FEED_PAGE_MARKER}\n"


def collect_post(html: str, page: Page, config: MkDocsConfig) -> None:
    """Keep a published post's rendered content (on_page_content)."""
    state = state_of(config)
    if not isinstance(page, Post) or page.file.src_uri not in state.published:
        return
    date: Any = page.config.date
    blog = blog_plugin(config)
    state.posts[page.file.src_uri] = PublishedPost(
        src_uri=page.file.src_uri,
        url=state.site_url + page.url,
        title=page.title or "",
        published=date.created,
        updated=date.get("updated"),
        authors=tuple(author.name for author in page.authors) if blog.config.authors else (),
        categories=tuple(page.config.categories),
        html=html,
        page_url=page.url,
    )


def add_to_page(html: str, page: Page, config: MkDocsConfig) -> str:
    """The feeds lists on the feeds page; a subscribe box on the blog index and category pages."""
    state = state_of(config)
    src_uri = page.file.src_uri

    def entry(link: FeedLink) -> dict[str, str]:
        return {
            "title": link.title,
            "kind": link.kind,
            "type": link.media_type,
            "href": get_relative_url(link.path, page.url),
            "url": state.site_url + link.path,
            # The page that explains the feed, where visible links lead.
            "page": get_relative_url(state.feed_page_urls.get(link.path, link.path), page.url),
        }

    category = state.category_of_page(src_uri)
    feed_page = state.feed_pages.get(src_uri)
    if feed_page is not None:
        text = render(
            state.env, FEED_PAGE_TEMPLATE,
            feed=entry(feed_page.link), carries=feed_page.carries, format=FORMAT_NAMES[feed_page.link.kind],
            follows=get_relative_url(feed_page.follows, page.url), follows_label=feed_page.follows_label,
            feeds_page=get_relative_url(state.feeds_page_url, page.url),
        )
        return html.replace(FEED_PAGE_MARKER, str(text))
    if src_uri == state.settings.page:
        categories = [
            {
                **entry(c.link(state.category_title(c))),
                "name": c.name,
                "category_page": get_relative_url(c.page_url, page.url),
            }
            for c in (state.categories if state.settings.categories else [])
        ]
        comments_on = state.comments_feed
        site_list = str(render(
            state.env,
            "partials/kb/feeds-site-list.html",
            feeds=[entry(link) for link in state.site_links()],
            comments_feed=entry(FeedLink("Comments", "rss", SITE_COMMENTS_PATH)) if comments_on else None,
        ))
        category_list = str(render(state.env, "partials/kb/feeds-category-list.html", feeds=categories))
        return html.replace(SITE_FEEDS_MARKER, site_list).replace(CATEGORY_FEEDS_MARKER, category_list)
    if src_uri == state.blog_index or (category is not None and src_uri == category.page_src):
        box = render(
            state.env,
            "partials/kb/feeds-subscribe.html",
            feeds=[entry(link) for link in state.site_links()],
            category=category.name if category else None,
            category_feed=entry(category.link(state.category_title(category))) if category else None,
            feeds_page=get_relative_url(state.feeds_page_url, page.url),
        )
        # str(): adding Markup to the page's HTML would escape the page.
        return html + str(box)
    return html


def feeds_page_href(page: Page, config: MkDocsConfig) -> str:
    """The page listing every feed, relative to ``page`` (for templates that explain feeds)."""
    return get_relative_url(state_of(config).feeds_page_url, page.url)


def head_links(page: Page, config: MkDocsConfig) -> list[HeadLink]:
    """``<link rel="alternate">`` for the site feeds, and the category's feed on its pages."""
    state = state_of(config)
    links = [
        HeadLink("alternate", link.media_type, link.title, get_relative_url(link.path, page.url))
        for link in state.site_links()
    ]
    category = state.category_of_page(page.file.src_uri)
    if category is not None:
        link = category.link(state.category_title(category))
        href = get_relative_url(link.path, page.url)
        links.append(HeadLink("alternate", link.media_type, link.title, href))
    return links


def write_feeds(config: MkDocsConfig) -> None:
    """Write every posts feed into the site (on_post_build)."""
    state = state_of(config)
    settings = state.settings
    blog = blog_plugin(config)
    counts = buildstate.get_optional(config, "comment_counts", dict) or {}
    language = str(config.theme["language"] or "en")
    site_channel = Channel(
        title=state.title,
        description=settings.description or "",
        link=state.site_url + blog.blog.file.url,
        language=language,
    )
    categories = [
        CategoryChannel(
            name=category.name,
            slug=category.slug,
            channel=Channel(
                title=state.category_title(category),
                description=site_channel.description,
                link=state.site_url + category.page_url,
                language=language,
            ),
        )
        for category in (state.categories if settings.categories else [])
    ]
    options = FeedOptions(
        limit=settings.limit,
        full_content=settings.content == "full",
        excerpt_separator=blog.config.post_excerpt_separator,
        comments=settings.comments,
    )
    files = build_feed_files(state.site_url, site_channel, categories, state.posts.values(), options, counts)
    for path, data in files.items():
        target = os.path.join(config.site_dir, *path.split("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as f:
            f.write(data)
