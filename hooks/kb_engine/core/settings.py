"""Typed settings of the engine's features, read from their plugins in mkdocs.yml.

Each feature declares its settings as a :class:`mkdocs.config.base.Config`
subclass (the same typed options MkDocs and Material use), which is its
plugin's config under ``plugins:`` (kb_engine.plugins): MkDocs validates it,
and an unknown key is an error (kb_engine.plugins.base). Code that needs a
feature's settings reads them with :func:`feature_settings`; tools that do not
load MkDocs read the same place in the file's data
(:func:`kb_engine.core.configtext.plugin_setting`).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, TypeVar

from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError

from kb_engine.core.urls import http_url_problem

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

C = TypeVar("C", bound=Config)


def config_file_name(config: MkDocsConfig) -> str:
    """The config file's name as a user would type it (``mkdocs.yml``)."""
    return config_path_name(config.config_file_path)


def config_path_name(path: str | None) -> str:
    """A config file's path as a user would type it (relative to the working folder)."""
    path = path or "mkdocs.yml"
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path


def site_url_problem(config: MkDocsConfig) -> str | None:
    """``site_url``: required (feeds, comment feeds and the reply form use it), and an http(s) address.

    The address rule is :func:`kb_engine.core.urls.http_url_problem` (``base``: every page's
    address is joined to it).
    """
    where = f"{config_file_name(config)}: site_url"
    url = config.site_url
    if not url:
        return f"{where} is required for the feeds (set it to the address the site is published at)"
    problem = http_url_problem(url, base=True)
    return f"{where}: {problem}" if problem else None


def plugin_name(feature: str) -> str:
    """The plugin a feature's settings belong to: ``comments`` -> ``kb-comments``."""
    return "kb-" + feature.replace("_", "-")


def setting_name(feature: str, field: str | None = None) -> str:
    """A setting as messages name it: ``plugins.kb-comments.directory``."""
    return f"plugins.{plugin_name(feature)}" + (f".{field}" if field else "")


def feature_settings(config: MkDocsConfig, feature: str, schema: type[C]) -> C:
    """The settings of ``feature``: its plugin's typed config, which MkDocs has validated.

    A feature whose plugin the site does not use has its defaults (another
    feature may still read them, as the reply form reads the comments'
    ``close_after_days``).

    A plugin whose settings are wrong has kept its problems
    (kb_engine.plugins.base): a wrong setting is left as it was written, so
    no reader may use them. The first problem is raised, as one line;
    ``check`` lists them all beside it.
    """
    plugin = config.plugins.get(plugin_name(feature)) if config.plugins else None
    problems = getattr(plugin, "problems", None)
    if problems:
        raise PluginError(problems[0])
    settings = getattr(plugin, "config", None)
    if isinstance(settings, schema):
        return settings
    section = schema(config_file_path=config.config_file_path)
    section.load_dict({})
    errors, _ = section.validate()
    for name, error in errors:  # a required setting without a default: a mistake in the schema
        raise PluginError(f"{config_file_name(config)}: {setting_name(feature, name)}: {error}")
    return section
