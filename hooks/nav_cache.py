"""Hook: Material's navigation rendered once for all pages that show it alike (see kb_engine.navcache)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError

from kb_engine import buildstate
from kb_engine.navcache import NavCache, install, material_folder

if TYPE_CHECKING:
    import jinja2
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files

STATE = "nav_cache"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    buildstate.start(config, STATE, NavCache())
    return config


def on_env(env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    folder = material_folder(config)
    if folder is None:
        raise PluginError("hooks/nav_cache.py: no theme folder has partials/nav.html")
    install(env, buildstate.get(config, STATE, NavCache), folder)
    return env
