"""``kb-dates``: one date style (``format``) for the blog too (see kb_engine.core.dates).

Material's blog writes post dates with its ``post_date_format``; it is set
here from this plugin's ``format`` so that posts, lists and comments agree,
and the site has one place to change it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from material.plugins.blog.plugin import BlogPlugin

from kb_engine.blogsource import blog_plugin
from kb_engine.core.dates import DatesSettings, style_of
from kb_engine.plugins.base import FeaturePlugin, start
from kb_engine.plugins.order import ordered

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


class DatesPlugin(FeaturePlugin[DatesSettings]):  # type: ignore[no-untyped-call]  # MkDocs leaves BasePlugin untyped
    name = "kb-dates"

    @ordered("config", "kb-dates")
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        start(config)
        style = style_of(config)
        if any(isinstance(plugin, BlogPlugin) for plugin in config.plugins.values()):
            blog_plugin(config).config.post_date_format = style.pattern
        return config
