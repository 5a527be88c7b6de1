"""Hook: Pygments' style sheet made once per build, not once per code block (see kb_engine.highlight)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygments
from mkdocs.plugins import get_plugin_logger

from kb_engine.highlight import PYGMENTS_VERSION, install, uninstall

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

log = get_plugin_logger("fast_highlight")


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if not install({}):  # a fresh set of style sheets for this build
        log.warning(
            f"hooks/fast_highlight.py was written against Pygments {PYGMENTS_VERSION}, but Pygments "
            f"{pygments.__version__} is installed: each code block makes its own style sheet, as "
            "Pygments does. Check hooks/kb_engine/highlight.py against the new version, then update "
            "PYGMENTS_VERSION."
        )
    return config


def on_shutdown() -> None:
    uninstall()
