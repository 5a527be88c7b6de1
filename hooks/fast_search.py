"""Hook: Material's search index, with its HTML parser fed faster (see kb.searchfeed and kb.fasthtml).

Runs after Material's search plugin has made this build's index (its on_config).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kb.searchfeed import install, search_index

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    index = search_index(config)
    if index is not None:
        install(index)
    return config
