"""Hook: Material's search index, with its HTML parser fed faster (see kb_engine.searchfeed and kb_engine.fasthtml).

Runs after Material's search plugin has made this build's index (its on_config),
and after every other page_content event: a post's HTML, read once for its read
time, is read for the index right then (kb_engine.searchfeed.read_early).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kb_engine import buildstate
from kb_engine.fasthtml import READ_ONCE, ReadOnce
from kb_engine.searchfeed import install, read_early, search_index

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    index = search_index(config)
    if index is not None:
        install(index)
        buildstate.start(config, READ_ONCE, ReadOnce())
    return config


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, **_: object) -> None:
    if search_index(config) is not None:
        read_early(page, html)
