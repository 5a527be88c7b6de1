"""``kb-latest-posts``: the newest posts where a page says ``<!-- kb:latest-posts -->`` (kb_engine.latest)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from mkdocs.utils import get_relative_url

from kb_engine import buildstate
from kb_engine.blogsource import blog_plugin, blog_posts
from kb_engine.core.dates import DateStyle, style_of
from kb_engine.feeds.posts import is_published
from kb_engine.latest import (
    MARKER,
    TEMPLATE,
    LatestPostsSettings,
    latest_posts,
    markdown_converter,
    summary_of,
)
from kb_engine.plugins.base import FeaturePlugin, start
from kb_engine.plugins.order import ordered
from kb_engine.rendering import make_environment, render

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

STATE = "latest_posts"


class LatestState:
    def __init__(self, settings: LatestPostsSettings, dates: DateStyle) -> None:
        self.settings = settings
        self.dates = dates


class LatestPostsPlugin(FeaturePlugin[LatestPostsSettings]):  # type: ignore[no-untyped-call]  # MkDocs leaves BasePlugin untyped
    name = "kb-latest-posts"

    @ordered("config", "kb-latest-posts")
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        start(config)
        buildstate.start(config, STATE, LatestState(self.config, style_of(config)))
        return config

    @ordered("page_content", "kb-latest-posts")
    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        state = buildstate.get(config, STATE, LatestState)
        if page.file.src_uri != state.settings.page or MARKER not in html:
            return html
        blog = blog_plugin(config)
        now = dt.datetime.now(dt.UTC)
        separator = blog.config.post_excerpt_separator
        read = [(post.config.draft, summary_of(post, separator)) for post in blog_posts(config)]
        entries = latest_posts(
            [summary for draft, summary in read if is_published(draft, summary.created, now)],  # as the feeds
            state.settings.count, page.url, relative=get_relative_url, date_text=state.dates.date,
            to_html=markdown_converter(config.markdown_extensions, config.mdx_configs),
            summary_length=state.settings.summary_length,
        )
        blog_href = get_relative_url(blog.blog.file.url, page.url)
        listing = render(make_environment(config), TEMPLATE, posts=entries, blog=blog_href)
        return html.replace(MARKER, str(listing))
