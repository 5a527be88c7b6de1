"""Watching the sources: which changes call for a rebuild, and which for a restart.

A change to content (docs/, comments/, overrides/, mkdocs.yml and whatever
``watch:`` or a plugin's ``on_serve`` adds) calls for a rebuild. A change to
code (the site's hooks/, the engine's package) calls for a restart: MkDocs loads hooks, and
Python imports modules, once per process, so a rebuild would still run the
old code.
"""

from __future__ import annotations

import os
import threading
from enum import Enum
from pathlib import Path
from typing import Any

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

SETTLE_SECONDS = 0.1  # a rebuild starts once no change has come for this long (an editor saves in steps)
_MAX_PATHS = 16  # more changed files than this are just "many" (a checkout, a search and replace)
IGNORED_PARTS = frozenset({"__pycache__", ".git"})


class Change(Enum):
    CONTENT = "content"  # rebuild
    CODE = "code"  # restart the process


def is_ignored(path: str) -> bool:
    """Bytecode and version-control files never call for a rebuild."""
    parts = Path(path).parts
    return path.endswith((".pyc", ".pyo")) or any(part in IGNORED_PARTS for part in parts)


class _Handler(FileSystemEventHandler):
    def __init__(self, changes: Changes, kind: Change, only: str | None) -> None:
        self.changes = changes
        self.kind = kind
        self.only = only  # watching one file: the events of its folder are filtered to it

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed", "closed_no_write"):
            return
        paths = [os.fsdecode(event.src_path), os.fsdecode(getattr(event, "dest_path", "") or "")]
        paths = [p for p in paths if p]
        if self.only is not None:
            paths = [p for p in paths if os.path.abspath(p) == self.only]
        if event.is_directory and event.event_type != "moved":
            return
        if any(not is_ignored(p) for p in paths):
            self.changes.notify(self.kind, [p for p in paths if not is_ignored(p)])


class Changes:
    """The watched paths and the changes seen since the last :meth:`wait`.

    ``watch``/``unwatch`` have the signature of MkDocs' ``LiveReloadServer``,
    so plugins' and hooks' ``on_serve`` events can add paths.
    """

    def __init__(self) -> None:
        self._observer = Observer()
        self._cond = threading.Condition()
        self._seen: set[Change] = set()
        self._paths: set[str] = set()  # content files changed since the last wait (up to _MAX_PATHS)
        self._many = False
        self._last_paths: frozenset[str] | None = None
        self._stopped = False
        self._watches: dict[str, Any] = {}

    def watch(self, path: str, func: None = None, *, recursive: bool = True, code: bool = False) -> None:
        """Rebuild (or restart, for ``code``) when anything under ``path`` changes."""
        path = os.path.abspath(path)
        if path in self._watches or not os.path.exists(path):
            return
        kind = Change.CODE if code else Change.CONTENT
        if os.path.isdir(path):
            handler = _Handler(self, kind, None)
            self._watches[path] = self._observer.schedule(handler, path, recursive=recursive)
        else:
            handler = _Handler(self, kind, path)
            self._watches[path] = self._observer.schedule(handler, os.path.dirname(path), recursive=False)

    def unwatch(self, path: str) -> None:
        watch = self._watches.pop(os.path.abspath(path), None)
        if watch is not None:
            self._observer.unschedule(watch)

    @property
    def paths(self) -> list[str]:
        return sorted(self._watches)

    def start(self) -> None:
        self._observer.start()

    def notify(self, kind: Change, paths: list[str] | None = None) -> None:
        with self._cond:
            self._seen.add(kind)
            if paths is None:
                self._many = True  # a change somewhere, not said where
            elif kind is Change.CONTENT and not self._many:
                self._paths.update(os.path.abspath(p) for p in paths)
                self._many = len(self._paths) > _MAX_PATHS
            self._cond.notify_all()

    def wait(self, settle: float = SETTLE_SECONDS) -> Change | None:
        """Block until something changed and then settled; None once stopped.

        A code change wins over a content change seen at the same time.
        """
        with self._cond:
            self._cond.wait_for(lambda: bool(self._seen) or self._stopped)
            while not self._stopped and self._cond.wait(timeout=settle):
                pass  # another change came: wait until they stop coming
            if self._stopped:
                return None
            found = Change.CODE if Change.CODE in self._seen else Change.CONTENT
            self._seen.clear()
            self._last_paths = None if self._many else frozenset(self._paths)
            self._paths.clear()
            self._many = False
            return found

    @property
    def last_paths(self) -> frozenset[str] | None:
        """The content files the change :meth:`wait` last returned was made of (None: not known)."""
        return self._last_paths

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        self._observer.stop()
