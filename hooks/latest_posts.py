"""Hook: the newest posts on the home page, made by each build (see kb.latest).

Reads the posts the blog plugin found (its on_files runs at -50), leaves out
drafts and posts dated in the future (as the feeds do), and replaces the
``<!-- kb:latest-posts -->`` marker of ``extra.latest_posts.page``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import markdown
from mkdocs.utils import get_relative_url

from kb import buildstate
from kb.blogsource import blog_plugin, blog_posts
from kb.dates import DateStyle, style_of
from kb.feeds.posts import is_published
from kb.frontmatter import Document
from kb.latest import MARKER, TEMPLATE, LatestPostsSettings, PostSummary, excerpt_markdown, latest_posts
from kb.posts import post_title
from kb.rendering import make_environment, render
from kb.settings import load_extra_section
from kb.yamlfile import LineDict

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

STATE = "latest_posts"


class LatestState:
    def __init__(self, settings: LatestPostsSettings, dates: DateStyle) -> None:
        self.settings = settings
        self.dates = dates
        self.posts: list[PostSummary] = []


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    settings = load_extra_section(config, "latest_posts", LatestPostsSettings)
    buildstate.start(config, STATE, LatestState(settings, style_of(config)))
    return config


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    state = buildstate.get(config, STATE, LatestState)
    if page.file.src_uri != state.settings.page or MARKER not in html:
        return html
    blog = blog_plugin(config)
    now = dt.datetime.now(dt.UTC)
    summaries = []
    for post in blog_posts(config):
        created = post.config.date.created
        created = created if created.tzinfo else created.replace(tzinfo=dt.UTC)
        if not is_published(post.config.draft, created, now):
            continue
        name = post.file.src_uri.rsplit("/", 1)[-1].removesuffix(".md")
        description = post.meta.get("description")
        summaries.append(PostSummary(
            src_uri=post.file.src_uri,
            url=post.url,
            title=post_title(Document(LineDict(post.meta), post.markdown, 1), name),
            created=created,
            description=description if isinstance(description, str) and description.strip() else None,
            excerpt_markdown=excerpt_markdown(post.markdown, blog.config.post_excerpt_separator),
        ))
    converter = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)

    def to_html(text: str) -> str:
        return str(converter.reset().convert(text))

    entries = latest_posts(
        summaries, state.settings.count, page.url, relative=get_relative_url, date_text=state.dates.date,
        to_html=to_html, summary_length=state.settings.summary_length,
    )
    blog_href = get_relative_url(blog.blog.file.url, page.url)
    listing = render(make_environment(config), TEMPLATE, posts=entries, blog=blog_href)
    return html.replace(MARKER, str(listing))
