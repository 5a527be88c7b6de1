"""The preview's build folders: each rebuild writes a new one, readers see the last complete one.

A rebuild writes into a fresh, empty folder; only once it has finished is it
published, by swapping one reference under a lock. A request resolves its
file against the folder that is current when it starts, so it never sees a
half-written site, and a failed rebuild leaves the previous site in place.
The folder before the current one is kept until the next swap (a slow
download may still be reading from it); older ones are deleted.

All of it lives in one folder per running preview under ``var/preview/``
(git-ignored), removed when the preview stops; folders left by a preview
that was killed are removed by the next one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

from kb_engine.core.atomic import write_atomic

MANIFEST = Path("comments") / "posts.json"  # inside a build: the posts the intake takes comments for


class Builds:
    """The build folders of one running preview, under ``root``."""

    def __init__(self, root: Path) -> None:
        root.mkdir(parents=True, exist_ok=True)
        remove_stale_runs(root)
        self.run_dir = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=root))
        self._lock = threading.Lock()
        self._count = 0
        self._current: Path | None = None
        self._previous: Path | None = None
        self._epoch = timestamp()  # which build a page shows, for live reload
        self._changed = threading.Condition(self._lock)
        self.last_error: str | None = None  # why the last build failed, None if it did not
        # Pages served over the current build until the next one is published: an edited
        # page shown before the rebuild that follows has finished (kb_engine.compat.incremental.quick).
        self._over: dict[str, bytes] = {}

    @property
    def current(self) -> Path | None:
        """The folder of the last complete build (None before the first one)."""
        with self._lock:
            return self._current

    def snapshot(self) -> tuple[Path | None, int]:
        """The current build's folder and its epoch, read together."""
        with self._lock:
            return self._current, self._epoch

    def wait_newer(self, epoch: int, timeout: float) -> int:
        """The current epoch, once it is newer than ``epoch`` or ``timeout`` seconds have passed."""
        with self._changed:
            self._changed.wait_for(lambda: self._epoch > epoch, timeout=timeout)
            return self._epoch

    def page_over(self, folder: Path, relative: str) -> bytes | None:
        """The page served at ``relative`` over ``folder`` (the current build), if there is one."""
        with self._lock:
            return self._over.get(relative) if folder == self._current else None

    def show_page(self, relative: str, body: bytes) -> None:
        """Serve ``body`` at ``relative`` (a path in the site) over the current build, until the next."""
        with self._lock:
            if self._current is None:
                return
            self._over[relative] = body
            self._epoch = max(timestamp(), self._epoch + 1)
            self._changed.notify_all()

    @property
    def manifest(self) -> Path:
        """A copy of the current build's posts manifest, at a path that stays the same."""
        return self.run_dir / "posts.json"

    def new_dir(self) -> Path:
        """A fresh, empty folder for the next build."""
        self._count += 1
        folder = self.run_dir / f"build-{self._count}"
        folder.mkdir()
        return folder

    def publish(self, folder: Path) -> None:
        """Make the complete build in ``folder`` the one served."""
        manifest = folder / MANIFEST
        if manifest.is_file():
            write_atomic(self.manifest, manifest.read_bytes())
        with self._lock:
            stale, self._previous, self._current = self._previous, self._current, folder
            self._over = {}
            self._epoch = max(timestamp(), self._epoch + 1)
            self.last_error = None
            self._changed.notify_all()
        if stale is not None:
            shutil.rmtree(stale, ignore_errors=True)

    def discard(self, folder: Path, error: str) -> None:
        """Delete the folder of a build that failed, and remember why it failed."""
        shutil.rmtree(folder, ignore_errors=True)
        with self._lock:
            self.last_error = error
            if self._current is None:  # the error page shown instead of a site reloads with it
                self._epoch = max(timestamp(), self._epoch + 1)
                self._changed.notify_all()

    def close(self) -> None:
        shutil.rmtree(self.run_dir, ignore_errors=True)


def timestamp() -> int:
    """Milliseconds on the system's monotonic clock (as MkDocs' live reload counts epochs).

    The clock is shared by all processes, so a preview that restarts after a
    code change starts with a larger epoch and open pages reload.
    """
    return round(time.monotonic() * 1000)


def remove_stale_runs(root: Path) -> None:
    """Delete the folders of previews that are no longer running (named ``<pid>-...``)."""
    if os.name == "nt":  # signal 0 is CTRL_C_EVENT there, not a probe
        return
    for folder in root.iterdir():
        pid, _, _ = folder.name.partition("-")
        if folder.is_dir() and pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, but not ours to signal
        return True
    return True
