"""Hook: one date style (``extra.dates.format``) for the blog too (see kb_engine.dates).

Material's blog writes post dates with its ``post_date_format``; it is set
here from ``extra.dates`` so that posts, lists and comments agree, and the
site has one place to change it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from material.plugins.blog.plugin import BlogPlugin

from kb_engine.blogsource import blog_plugin
from kb_engine.dates import style_of

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    style = style_of(config)  # checks extra.dates even on a site without a blog
    if any(isinstance(plugin, BlogPlugin) for plugin in config.plugins.values()):
        blog_plugin(config).config.post_date_format = style.pattern
    return config
