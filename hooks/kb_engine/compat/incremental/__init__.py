"""Incremental builds for the preview: ``build_site(config, out_dir, cache)``.

The preview server keeps one :class:`BuildCache` and, for every rebuild,
loads the config afresh (keeping the plugin instances, as ``mkdocs serve``
does) and calls :func:`build_site`. The result is byte for byte a fresh
build's; what could not have changed since the last build is not redone.
It follows MkDocs' own build step for step (:mod:`.build`), hence its place
in :mod:`kb_engine.compat`: under another version of MkDocs or Material, or
with ``kb-speed``'s ``enabled: false``, MkDocs' own build runs instead.
"""

from __future__ import annotations

from kb_engine.compat.incremental.build import build_site
from kb_engine.compat.incremental.cache import BuildCache

__all__ = ["BuildCache", "build_site"]
