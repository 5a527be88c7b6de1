"""The engine's templates, styles and scripts, put on the theme's search path.

They ship in this package (``kb_engine/templates/``), the way Material ships
its own partials: every engine plugin that shows something of its own calls
:func:`use_engine_theme` first in ``on_config`` (``kb-speed``, which only makes
Material's pages faster, does not; ``kb-blog`` is Material's blog), which
puts that folder in ``config.theme.dirs`` right after the site's
``custom_dir`` and before Material's, and lists the engine's style sheets
and scripts first in ``extra_css`` / ``extra_javascript``. So a site
overrides any of them the way it overrides Material's (a file of the same
name in its ``custom_dir``, or in ``docs/`` for a style sheet or script), and
never copies them. The files themselves reach the built site as the theme's
static files.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")
STYLESHEETS = ("stylesheets/site.css", "stylesheets/decision-trees.css", "stylesheets/print.css")
SCRIPTS = ("javascripts/checklists.js",)  # search-latest.js is loaded by main.html, before Material's


def use_engine_theme(config: MkDocsConfig) -> None:
    """Put the engine's templates and assets in ``config`` (once; later calls change nothing)."""
    dirs = config.theme.dirs
    if TEMPLATES not in dirs:
        custom = config.theme.custom_dir
        at = 1 if custom and dirs and os.path.abspath(dirs[0]) == os.path.abspath(custom) else 0
        dirs.insert(at, TEMPLATES)
    config.extra_css[:0] = [s for s in STYLESHEETS if s not in config.extra_css]
    listed = {str(script) for script in config.extra_javascript}
    config.extra_javascript[:0] = [s for s in SCRIPTS if s not in listed]
