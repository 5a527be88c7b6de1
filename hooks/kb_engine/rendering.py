"""Render HTML fragments from Jinja templates in ``overrides/``.

The environment looks templates up in the theme's folders (``overrides/``
first, then Material's), so a site owner overrides a fragment the same way
as any Material partial. Autoescaping is on and undefined names are errors:
data goes in as plain values, HTML comes only from templates.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


def make_environment(config: MkDocsConfig) -> jinja2.Environment:
    """A fresh, autoescaping environment over the theme's template folders.

    Make one per build (in ``on_config`` or ``on_pre_build``), never at import
    time, so that ``mkdocs serve`` picks up edited templates.
    """
    return environment_for(config.theme.dirs)


def environment_for(folders: Sequence[str | os.PathLike[str]]) -> jinja2.Environment:
    """:func:`make_environment` over the given template folders (first wins)."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(env: jinja2.Environment, template: str, **context: Any) -> Markup:
    """Render ``template`` with ``context``; the result is safe HTML."""
    # The template autoescapes every value, so its output is safe HTML.
    return Markup(env.get_template(template).render(**context))  # noqa: S704
