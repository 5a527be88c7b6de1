"""Where Material's blog plugin writes a post, asked of its private ``_format_path_for_post``.

For tools that know a post's front matter but build nothing (the content
check, new-post): the plugin's method is given the few facts of a post it
reads (Material 9.8.2's: the post's categories, created date, slug, file name
and title). Under another version of Material, or when it fails on broken
front matter, there is no answer (None) and the build checks the addresses.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from kb_engine.compat import mismatches

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


def post_path(plugin: Any, config: MkDocsConfig, *, name: str, title: str, created: dt.datetime,
              categories: list[str], slug: str | None) -> str | None:
    """The path of the post's page below ``docs_dir`` as the blog plugin makes it, or None."""
    if mismatches("blogpaths"):
        return None
    post = SimpleNamespace(
        config=SimpleNamespace(categories=categories, date=SimpleNamespace(created=created), slug=slug),
        file=SimpleNamespace(name=name),
        title=title,
    )
    try:
        return str(plugin._format_path_for_post(post, config))
    except Exception:  # broken front matter the check reports
        return None
