"""The preview: build, serve the last complete build, rebuild on change.

:class:`Preview` holds one running preview. Its :meth:`Preview.rebuild` is
the one place a rebuild happens: load the configuration afresh, build into a
new folder with :func:`kb_engine.preview.site.build_site` (incremental: the
unchanged parts come from the last build), publish the folder only
if the build succeeded. A failed build prints one line and leaves the
previous site served.
"""

from __future__ import annotations

import io
import logging
import os
import sys
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from mkdocs.exceptions import Abort, BuildError, ConfigurationError

from kb_engine.compat.incremental import BuildCache
from kb_engine.compat.incremental.quick import render_edited_page
from kb_engine.preview.builds import Builds
from kb_engine.preview.intake import QUEUE, preview_intake
from kb_engine.preview.site import build_site, load_preview_config, start_serving
from kb_engine.preview.watch import Change, Changes

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.plugins import PluginCollection

PREVIEW_DIR = Path("var") / "preview"  # under the project: the build folders (git-ignored)
CONTENT_DIRS = ("docs", "comments", "overrides")  # watched besides mkdocs.yml and its `watch:`
# A change there restarts the preview: the site's own hooks, and the engine's
# source (which changes only where it is installed from a working copy).
CODE_DIRS = ("hooks", os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class BuildLog(logging.Handler):
    """MkDocs' log during the preview: warnings printed, errors kept for the build's one-line report."""

    def __init__(self, out: TextIO) -> None:
        super().__init__(logging.WARNING)
        self.out = out
        self.errors: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.levelno >= logging.ERROR:
            self.errors.append(message)
        else:
            print(f"WARNING -  {message}", file=self.out, flush=True)


def is_source(path: str, project: Path) -> bool:
    """Whether a changed path in ``project`` can be a source of the site.

    Not an editor's backup (``name~``) or a dotfile (MkDocs leaves those out; editors
    keep their swap files so).
    """
    parts = Path(os.path.relpath(path, project)).parts
    return not path.endswith("~") and not any(part.startswith(".") for part in parts)


@contextmanager
def mkdocs_log(out: TextIO) -> Iterator[BuildLog]:
    handler = BuildLog(out)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def failure_line(error: BaseException, logged: list[str], project: Path) -> str:
    """What went wrong, on one line: the errors MkDocs logged, or the exception and where it was raised."""
    if isinstance(error, (Abort, BuildError, ConfigurationError)):
        lines = logged or [str(error)]
    else:  # a bug in a hook or plugin: name the exception and the place
        where = ""
        frames = traceback.extract_tb(error.__traceback__)
        for frame in reversed(frames):
            if frame.filename.startswith(str(project)):
                where = f" ({os.path.relpath(frame.filename, project)}:{frame.lineno})"
                break
        lines = [*logged, f"{type(error).__name__}: {error}{where}"]
    return "; ".join(" ".join(line.split()) for line in lines if line.strip())


class Preview:
    """One running preview of the project whose configuration is ``config_file``."""

    def __init__(self, config_file: Path, origin: str = "", out: TextIO = sys.stderr) -> None:
        self.config_file = config_file.resolve()
        self.project = self.config_file.parent
        self.origin = origin.rstrip("/")  # http://host:port; set before the first build
        self.out = out
        self.builds = Builds(self.project / PREVIEW_DIR)
        self.changes = Changes()
        self._intake: WSGIApplication | None = None
        self._plugins: PluginCollection | None = None
        self._served = False
        # Kept across rebuilds: each rebuild redoes only what an edit can have changed.
        self.cache = BuildCache()

    def say(self, message: str) -> None:
        print(f"preview: {message}", file=self.out, flush=True)

    def intake(self) -> WSGIApplication | None:
        """The intake app, once a build has written the posts manifest."""
        return self._intake

    def rebuild(self) -> bool:
        """Build the site afresh and serve it; on failure, print why and keep the previous one."""
        started = time.monotonic()
        folder = self.builds.new_dir()
        with mkdocs_log(self.out) as log:
            try:
                config = load_preview_config(self.config_file, self.origin)
                if self._plugins is None:
                    start_serving(config)
                    self._plugins = config.plugins
                build_site(config, folder, self.cache)
            except Exception as error:
                message = failure_line(error, log.errors, self.project)
                self.builds.discard(folder, message)
                kept = "still serving the previous build" if self.builds.current else "nothing to serve yet"
                self.say(f"build failed ({kept}): {message}")
                return False
        self.builds.publish(folder)
        self.watch_sources(config)
        self._start_intake()
        self.say(f"built in {time.monotonic() - started:.1f} s")
        return True

    def show_edit(self, paths: frozenset[str] | None) -> bool:
        """Show an edited page at once, before the rebuild (:mod:`kb_engine.compat.incremental.quick`).

        Only for an edit of one Markdown file's text; anything else, or anything that
        goes wrong here, is left to the rebuild that always follows, which reports it.
        """
        last = self.cache.last
        if last is None or paths is None:
            return False
        sources = [path for path in paths if is_source(path, self.project)]
        if len(sources) != 1 or not sources[0].endswith(".md"):
            return False
        started = time.monotonic()
        with mkdocs_log(io.StringIO()):  # not printed: the rebuild that follows logs the same
            try:
                shown = render_edited_page(last, Path(sources[0]))
            except Exception:
                shown = None
        if shown is None:
            return False
        self.builds.show_page(*shown)
        name = os.path.relpath(sources[0], self.project)
        self.say(f"showing the edit to {name} after {time.monotonic() - started:.2f} s; rebuilding the site")
        return True

    def _start_intake(self) -> None:
        if self._intake is not None or not self.builds.manifest.is_file():
            return
        try:
            self._intake = preview_intake(self.project, self.builds.manifest, self.origin,
                                          site=lambda: self.builds.current)
        except Exception as error:  # the intake's settings error names the file or setting
            self.say(f"comments are off: {error}")

    def watch_sources(self, config: MkDocsConfig) -> None:
        """Watch what the build reads; called after each good build (``watch:`` may have grown)."""
        self.changes.watch(config.docs_dir)
        self.changes.watch(str(self.config_file))
        for name in CONTENT_DIRS:
            self.changes.watch(str(self.project / name))
        for item in config.watch:
            self.changes.watch(item)
        for name in CODE_DIRS:
            self.changes.watch(str(self.project / name), code=True)
        if not self._served:
            self._served = True
            config.plugins.on_serve(self.changes, config=config, builder=self.rebuild)  # type: ignore[arg-type]

    def run(self) -> Change | None:
        """Build, then rebuild on every change until stopped; :attr:`Change.CODE` asks for a restart."""
        # Watched from before the first build, so that no change is missed;
        # each good build adds what its configuration names (watch_sources).
        for name in (*CONTENT_DIRS, self.config_file.name):
            self.changes.watch(str(self.project / name))
        for name in CODE_DIRS:
            self.changes.watch(str(self.project / name), code=True)
        self.changes.start()
        self.say(f"comments wait in {QUEUE}/ for `python3 dev.py moderate list`")
        self.rebuild()
        while True:
            change = self.changes.wait()
            if change is not Change.CONTENT:
                return change
            self.show_edit(self.changes.last_paths)
            self.rebuild()

    def close(self) -> None:
        self.changes.stop()
        if self._plugins is not None:
            self._plugins.on_shutdown()
        self.builds.close()
