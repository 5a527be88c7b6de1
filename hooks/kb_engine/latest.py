"""The newest posts on the home page: ``<!-- kb:latest-posts -->`` becomes a list.

Plain data: :func:`latest_posts` picks and describes the posts, the hook
renders them with ``partials/kb/latest-posts.html``. Each entry has the
post's title, address, date (in the site's date style) and a short text:
its ``description`` when it has one (written to summarise it), else the
paragraphs of its excerpt (the part before the excerpt marker) as plain text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import lxml.html
import markdown
from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ValidationError

from kb_engine.frontmatter import Document
from kb_engine.posts import post_title
from kb_engine.yamlfile import LineDict

MARKER = "<!-- kb:latest-posts -->"
TEMPLATE = "partials/kb/latest-posts.html"
_SPACE = re.compile(r"\s+")
_HEADING = re.compile(r"\A\s*#\s+[^\n]*\n")


class Count(c.OptionallyRequired[int]):
    def run_validation(self, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValidationError(f"expected a whole number of at least 1, got {value!r}")
        return value


class LatestPostsSettings(Config):  # type: ignore[no-untyped-call]  # mkdocs leaves this untyped
    """``plugins.kb-latest-posts``: every key is optional."""

    # How many of the newest published posts the page lists.
    count = Count(default=3)
    # The page (under docs/) whose <!-- kb:latest-posts --> marker is replaced.
    page = c.Type(str, default="index.md")
    # Longest summary shown, in characters (cut at a word, with an ellipsis).
    summary_length = Count(default=240)


@dataclass(frozen=True)
class PostSummary:
    """One post as the home page lists it (plain data in)."""

    src_uri: str
    url: str  # site-relative
    title: str
    created: dt.datetime
    description: str | None
    excerpt_markdown: str  # the post's text before the excerpt marker


@dataclass(frozen=True)
class LatestEntry:
    """One listed post (plain data out, for the template)."""

    title: str
    href: str  # relative to the listing page
    datetime: str  # ISO 8601, for <time datetime>
    date_text: str
    summary: str


def excerpt_markdown(markdown: str, separator: str) -> str:
    """The post's text before ``separator``, without its leading ``# title``."""
    head, found, _ = markdown.partition(separator)
    return _HEADING.sub("", head if found else "", count=1)


def shorten(text: str, limit: int) -> str:
    """``text`` on one line, cut at a word before ``limit`` characters with an ellipsis."""
    text = _SPACE.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if text[limit - 1] != " ":  # the cut falls inside a word: drop that word
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–—") + "…"


def paragraphs_text(html: str) -> str:
    """The text of the top-level paragraphs of rendered Markdown (no admonitions, code or lists)."""
    if not html.strip():
        return ""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return " ".join(p.text_content() for p in root.findall("p"))


def latest_posts(
    posts: Iterable[PostSummary],
    count: int,
    page_url: str,
    *,
    relative: Callable[[str, str], str],
    date_text: Callable[[dt.datetime], str],
    to_html: Callable[[str], str],
    summary_length: int,
) -> list[LatestEntry]:
    """The ``count`` newest of ``posts`` (already only the published ones), newest first."""
    newest = sorted(posts, key=lambda p: (p.created, p.src_uri), reverse=True)[:count]
    entries = []
    for post in newest:
        summary = post.description or paragraphs_text(to_html(post.excerpt_markdown))
        entries.append(LatestEntry(
            title=post.title,
            href=relative(post.url, page_url),
            datetime=post.created.isoformat(),
            date_text=date_text(post.created),
            summary=shorten(summary, summary_length),
        ))
    return entries


def summary_of(post: Any, separator: str) -> PostSummary:
    """A blog plugin ``Post`` (read, not yet rendered) as :class:`PostSummary`."""
    created = post.config.date.created
    created = created if created.tzinfo else created.replace(tzinfo=dt.UTC)
    name = post.file.src_uri.rsplit("/", 1)[-1].removesuffix(".md")
    description = post.meta.get("description")
    return PostSummary(
        src_uri=post.file.src_uri,
        url=post.url,
        title=post_title(Document(LineDict(post.meta), post.markdown, 1), name),
        created=created,
        description=description if isinstance(description, str) and description.strip() else None,
        excerpt_markdown=excerpt_markdown(post.markdown, separator),
    )


def markdown_converter(extensions: list[Any], configs: dict[str, Any]) -> Callable[[str], str]:
    """Markdown to HTML with the site's extensions, one instance reused."""
    converter = markdown.Markdown(extensions=extensions, extension_configs=configs)

    def to_html(text: str) -> str:
        return str(converter.reset().convert(text))

    return to_html
