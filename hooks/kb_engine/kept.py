"""Parses kept from one build to the next, for the preview.

MkDocs keeps a plugin instance across ``mkdocs serve`` rebuilds when it has
an ``on_startup`` event; a plugin that keeps a :class:`Kept` on itself parses
in a rebuild only the inputs that changed. A parse is kept under a key that
holds everything it reads, so a kept one is exactly what parsing again would
give. Only the parses the last build used are kept for the next one
(:meth:`Kept.start`): a file gone or changed is dropped with its build.

Every plugin gets its store for a build one way, in its ``on_config``:
:func:`this_build` (the last build's store, or a new one, started; None with
``kb-speed``'s ``enabled: false``). The functions that parse take a store
that is already started, or None.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from kb_engine.compat import speedups_enabled

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
S = TypeVar("S", bound="Kept[Any, Any]")


class Kept(Generic[K, V]):
    """Values made from keys, made once and kept for the next build."""

    def __init__(self) -> None:
        self._last: dict[K, V] = {}
        self._now: dict[K, V] = {}
        self.parsed = 0  # values made in this build
        self.reused = 0  # ... and taken from the last build's

    def start(self) -> None:
        """A new build: the last one's values are kept for it, the ones before are dropped."""
        if self._now:  # a build that made nothing (it failed early) keeps what the one before kept
            self._last = self._now
        self._now = {}
        self.parsed = self.reused = 0

    def get(self, key: K, make: Callable[[], V]) -> V:
        """The value kept for ``key``, or ``make()``'s (kept only if it returns)."""
        if key in self._now:
            self.reused += 1
            return self._now[key]
        if key in self._last:
            value = self._last[key]
            self.reused += 1
        else:
            value = make()
            self.parsed += 1
        self._now[key] = value
        return value


def this_build(kept: S | None, make: Callable[[], S], config: MkDocsConfig) -> S | None:
    """This build's store, started: ``kept`` (the last build's) or a new ``make()``; None when speed-ups are off.

    Called from a plugin's ``on_config`` with the store it keeps on itself, whose
    value it then keeps: ``self.kept = this_build(self.kept, KeptParses, config)``.
    With ``kb-speed``'s ``enabled: false`` every input is parsed afresh and nothing is kept.
    """
    if not speedups_enabled(config):
        return None
    store = kept if kept is not None else make()
    store.start()
    return store


def text_key(text: str) -> bytes:
    """A file's text as it stands in a key: its SHA-256, not the text.

    A key holding the text would keep every file's text (a post's whole Markdown)
    alive from one build to the next, and during a rebuild the last build's
    copy too; the digest of its UTF-8 (lone surrogates included, so that two
    texts give two digests) tells texts apart as the text itself would.
    """
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
