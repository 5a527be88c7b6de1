"""``kb-speed``: the build's speed-ups, with output identical to the build without them.

The navigation rendered once per distinct input (kb_engine.navcache), each
page's HTML read once for the search index and reading time
(kb_engine.searchfeed, kb_engine.fasthtml), one Pygments style sheet per
build (kb_engine.highlight). ``enabled: false`` turns every speed-up of the
engine off, ``kb-blog``'s too (kb_engine.compat): the site is then built by
the libraries' own code, to the same bytes, only slower.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygments
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

from kb_engine import buildstate
from kb_engine.fasthtml import READ_ONCE, ReadOnce
from kb_engine.highlight import PYGMENTS_VERSION
from kb_engine.highlight import install as install_highlight
from kb_engine.highlight import uninstall as uninstall_highlight
from kb_engine.navcache import NavCache, material_folder
from kb_engine.navcache import install as install_nav_cache
from kb_engine.plugins.base import FeaturePlugin, start
from kb_engine.plugins.order import ordered
from kb_engine.searchfeed import install as install_search_feed
from kb_engine.searchfeed import read_early, search_index

if TYPE_CHECKING:
    import jinja2
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = get_plugin_logger("kb-speed")
NAV_STATE = "nav_cache"


class SpeedSettings(Config):  # type: ignore[no-untyped-call]  # mkdocs leaves this untyped
    # false: every speed-up off (this plugin's and kb-blog's); the output is the same.
    enabled = c.Type(bool, default=True)


class SpeedPlugin(FeaturePlugin[SpeedSettings]):  # type: ignore[no-untyped-call]  # MkDocs leaves BasePlugin untyped
    name = "kb-speed"

    @ordered("config", "kb-speed")
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        start(config)
        if not self.config.enabled:
            return config
        buildstate.start(config, NAV_STATE, NavCache())
        index = search_index(config)
        if index is not None:
            install_search_feed(index)
            buildstate.start(config, READ_ONCE, ReadOnce())
        if not install_highlight({}):  # a fresh set of style sheets for this build
            log.warning(
                f"kb-speed was written against Pygments {PYGMENTS_VERSION}, but Pygments "
                f"{pygments.__version__} is installed: each code block makes its own style sheet, as "
                "Pygments does. Check kb_engine/highlight.py against the new version, then update "
                "PYGMENTS_VERSION."
            )
        return config

    @ordered("env", "kb-speed")
    def on_env(self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        if not self.config.enabled:
            return env
        folder = material_folder(config)
        if folder is None:
            raise PluginError("kb-speed: no theme folder has partials/nav.html")
        install_nav_cache(env, buildstate.get(config, NAV_STATE, NavCache), folder)
        return env

    @ordered("page_content", "kb-speed")
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, **_: object) -> None:
        if self.config.enabled and search_index(config) is not None:
            read_early(page, html)

    @ordered("shutdown", "kb-speed")
    def on_shutdown(self) -> None:
        uninstall_highlight()
