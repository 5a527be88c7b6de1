"""Incremental builds for the preview: ``build_site(config, out_dir, cache)``.

The preview server keeps one :class:`BuildCache` and, for every rebuild,
loads the config afresh (keeping the plugin instances, as ``mkdocs serve``
does) and calls :func:`build_site`. The result is byte for byte a fresh
build's; what could not have changed since the last build is not redone.
"""

from __future__ import annotations

from kb_engine.compat.incremental.build import build_site
from kb_engine.compat.incremental.cache import BuildCache

__all__ = ["BuildCache", "build_site"]
