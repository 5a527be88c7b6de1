"""The manifest of published posts that the build writes for the intake service.

``site/comments/posts.json``: the site's address and, for every published
post (drafts excluded), its id, title, absolute URL, the ids of its
approved comments (so that a reply can only answer a comment that exists)
and whether its comments are closed (the service then refuses new ones);
and how the site writes dates (``plugins.kb-dates`` and the theme's language), so
that the notifications the service sends write them the same way.
Written by the build, read by the intake service; both sides use this module.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from kb_engine.core.dates import DEFAULT_FORMAT, DateStyle, pattern_problem
from kb_engine.core.ids import is_post_id
from kb_engine.core.urls import is_http_url

MANIFEST_PATH = "comments/posts.json"  # inside site_dir
VERSION = 1


class ManifestError(Exception):
    """The manifest cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class PostEntry:
    id: str
    title: str
    url: str
    comments: tuple[str, ...] = ()
    closed: bool = False  # comments closed: the intake refuses new ones


@dataclass(frozen=True)
class Manifest:
    site_url: str
    posts: dict[str, PostEntry]
    date_format: str = DEFAULT_FORMAT  # plugins.kb-dates.format of the site
    language: str = "en"  # the theme's language

    def date_style(self) -> DateStyle:
        return DateStyle(self.date_format, self.language)


def site_dir_of(manifest: Path) -> Path | None:
    """The built site a manifest belongs to (``<site>/comments/posts.json``), or None if it is elsewhere."""
    parts = PurePosixPath(MANIFEST_PATH).parts
    if tuple(manifest.parts[-len(parts):]) != parts:
        return None
    return manifest.parents[len(parts) - 1]


def manifest_json(site_url: str, posts: Iterable[PostEntry], dates: DateStyle | None = None) -> str:
    """The manifest as JSON text, posts sorted by id (stable output)."""
    dates = dates or DateStyle()
    data = {
        "version": VERSION,
        "site_url": site_url,
        "dates": {"format": dates.pattern, "language": str(dates.locale)},
        "posts": [
            {"id": p.id, "title": p.title, "url": p.url, "comments": list(p.comments), "closed": p.closed}
            for p in sorted(posts, key=lambda p: p.id)
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def parse_manifest(text: str, file: str) -> Manifest:
    """Read a manifest written by :func:`manifest_json`; raise ManifestError if it is not one."""
    try:
        data: Any = json.loads(text)
    except ValueError as error:
        raise ManifestError(f"{file}: not valid JSON ({error})") from None
    if not isinstance(data, dict) or data.get("version") != VERSION:
        raise ManifestError(f"{file}: not a version {VERSION} posts manifest; rebuild the site")
    site_url = data.get("site_url")
    if not isinstance(site_url, str) or not is_http_url(site_url, base=True):
        raise ManifestError(f"{file}: site_url must be an absolute http(s) URL")
    posts: dict[str, PostEntry] = {}
    raw_posts = data.get("posts")
    if not isinstance(raw_posts, list):
        raise ManifestError(f"{file}: posts must be a list")
    for index, raw in enumerate(raw_posts):
        where = f"{file}: posts[{index}]"
        if not isinstance(raw, dict):
            raise ManifestError(f"{where}: expected an object")
        post_id, title, url, comments = (raw.get(k) for k in ("id", "title", "url", "comments"))
        if not isinstance(post_id, str) or not is_post_id(post_id):
            raise ManifestError(f"{where}.id: not a post id: {post_id!r}")
        if not isinstance(title, str):
            raise ManifestError(f"{where}.title: expected text")
        if not isinstance(url, str) or not is_http_url(url):
            raise ManifestError(f"{where}.url: expected an absolute http(s) URL")
        if not isinstance(comments, list) or not all(isinstance(c, str) for c in comments):
            raise ManifestError(f"{where}.comments: expected a list of comment ids")
        closed = raw.get("closed", False)  # absent in manifests written before the flag
        if not isinstance(closed, bool):
            raise ManifestError(f"{where}.closed: expected true or false")
        posts[post_id] = PostEntry(post_id, title, url, tuple(comments), closed)
    dates = data.get("dates", {"format": DEFAULT_FORMAT, "language": "en"})  # absent in older manifests
    date_format = dates.get("format") if isinstance(dates, dict) else None
    language = dates.get("language") if isinstance(dates, dict) else None
    problem = pattern_problem(date_format)
    if problem or not isinstance(date_format, str) or not isinstance(language, str):
        raise ManifestError(f"{file}: dates: expected {{\"format\": a date pattern, \"language\": a "
                            f"language}}{'; ' + problem if problem else ''}")
    return Manifest(site_url, posts, date_format, language)

