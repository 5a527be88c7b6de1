"""Typed settings read from ``extra:`` in mkdocs.yml.

Each feature declares its settings as a :class:`mkdocs.config.base.Config`
subclass (the same typed options MkDocs and Material use) and reads them with
:func:`load_extra_section`. Any problem, including an unknown key, stops the
build with a ``PluginError`` naming the file and the field.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urlsplit

from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

C = TypeVar("C", bound=Config)


def config_file_name(config: MkDocsConfig) -> str:
    """The config file's name as a user would type it (``mkdocs.yml``)."""
    path = config.config_file_path or "mkdocs.yml"
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path


def site_url_problem(config: MkDocsConfig) -> str | None:
    """``site_url``: required (feeds, comment feeds and the reply form use it), and an http(s) address."""
    where = f"{config_file_name(config)}: site_url"
    url = config.site_url
    if not url:
        return f"{where} is required for the feeds (set it to the address the site is published at)"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or parts.username:
        return f"{where}: '{url}' is not an http:// or https:// address (e.g. https://kb.example.org/)"
    return None


def load_extra_section(config: MkDocsConfig, key: str, schema: type[C]) -> C:
    """Validate ``extra.<key>`` against ``schema``; raise on any problem."""
    raw = config.extra.get(key, {})
    where = f"{config_file_name(config)}: extra.{key}"
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise PluginError(f"{where}: expected a mapping of settings, got {type(raw).__name__}")
    section = schema(config_file_path=config.config_file_path)
    section.load_dict(raw)
    errors, warnings = section.validate()
    for name, error in errors:
        raise PluginError(f"{where}.{name}: {error}")
    for name, warning in warnings:
        # Unknown keys are warnings in MkDocs; a typo in a setting should not
        # pass silently, so here they are errors.
        raise PluginError(f"{where}.{name}: {warning}")
    return section
