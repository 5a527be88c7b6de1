"""The preview's web application (WSGI): the current build's files, live reload, comments.

- ``POST /comment`` goes to the intake service, mounted in-process on the
  same origin (kb_engine.preview.intake), once a build has written its manifest.
- ``/livereload/<epoch>/<id>``: MkDocs' own live reload protocol, whose
  script is added to every HTML page served; the request waits until a
  newer build is published (or a time limit passes) and answers its epoch.
- Everything else: a file of the current complete build (kb_engine.preview.builds),
  ``index.html`` for a folder, the site's ``404.html`` for nothing.
"""

from __future__ import annotations

import mimetypes
import posixpath
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import jinja2

from kb_engine.compat.livereload import live_reload_script
from kb_engine.preview.builds import Builds, timestamp
from kb_engine.preview.site import INTAKE_PATH

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

LIVERELOAD = re.compile(r"/livereload/([0-9]+)/[0-9]+")
POLL_SECONDS = 30.0  # a live reload request is answered at the latest after this
TEMPLATES = Path(__file__).parent / "templates"


class PreviewApp:
    """The WSGI application of the preview server."""

    def __init__(self, builds: Builds, mount: str, intake: Callable[[], WSGIApplication | None],
                 poll_seconds: float = POLL_SECONDS) -> None:
        self.builds = builds
        self.mount = mount  # "/" or "/path/", as kb_engine.preview.site.mount_path gives it
        self.intake = intake
        self.poll_seconds = poll_seconds
        self._pages = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        # WSGI hands the path over as latin-1; URLs of the site are UTF-8.
        path = str(environ.get("PATH_INFO") or "/").encode("latin-1").decode("utf-8", "replace")
        if path == INTAKE_PATH:
            intake = self.intake()
            if intake is None:
                text = b"The preview has no complete build yet, so it cannot take comments.\n"
                return _answer(start_response, "503 Service Unavailable", text, "text/plain; charset=utf-8")
            return intake(environ, start_response)
        if match := LIVERELOAD.fullmatch(path):
            epoch = self.builds.wait_newer(int(match[1]), self.poll_seconds)
            return _answer(start_response, "200 OK", b"%d" % epoch, "text/plain")
        if not (path + "/").startswith(self.mount):
            if path == "/":
                return _redirect(start_response, self.mount)
            return _answer(start_response, "404 Not Found", b"Not found.\n", "text/plain")
        return self.serve_file(path, start_response)

    def serve_file(self, path: str, start_response: StartResponse) -> Iterable[bytes]:
        folder, epoch = self.builds.snapshot()
        if folder is None:
            page = self._pages.get_template("preview/no-build.html").render(error=self.builds.last_error)
            return self._html(start_response, "503 Service Unavailable", page.encode("utf-8"), epoch)
        relative = posixpath.normpath("/" + path[len(self.mount):]).lstrip("/")
        target = folder / relative if relative not in ("", ".") else folder
        if target.is_dir():
            if not path.endswith("/"):
                return _redirect(start_response, quote(path) + "/")
            target = target / "index.html"
        shown = self.builds.page_over(folder, target.relative_to(folder).as_posix())
        if shown is not None:
            body = shown
        elif not target.is_file():
            missing = folder / "404.html"
            body = missing.read_bytes() if missing.is_file() else b"Not found."
            return self._html(start_response, "404 Not Found", body, epoch)
        else:
            try:
                body = target.read_bytes()
            except OSError:  # deleted by a swap since the snapshot: rare, and a reload fixes it
                return _answer(start_response, "404 Not Found", b"Not found.\n", "text/plain")
        content_type = guess_type(target.name)
        if content_type == "text/html":
            return self._html(start_response, "200 OK", body, epoch)
        return _answer(start_response, "200 OK", body, content_type)

    def _html(self, start_response: StartResponse, status: str, body: bytes, epoch: int) -> Iterable[bytes]:
        return _answer(start_response, status, with_live_reload(body, epoch), "text/html; charset=utf-8")


def with_live_reload(page: bytes, epoch: int) -> bytes:
    """``page`` with MkDocs' live reload script before its last ``</body>``.

    The script asks ``/livereload/<epoch>/<id>`` and reloads the page when
    the answer is a newer epoch.
    """
    script = live_reload_script(epoch, timestamp())
    if script is None:
        return page
    end = page.rfind(b"</body>")
    end = len(page) if end < 0 else end
    return page[:end] + b"<script>" + script.encode("utf-8") + b"</script>" + page[end:]


def guess_type(name: str) -> str:
    """The media type of a site file (as MkDocs' live reload server guesses it)."""
    if name.endswith((".js", ".mjs")):
        return "application/javascript"
    if name.endswith(".gz"):
        return "application/gzip"
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def _answer(start_response: StartResponse, status: str, body: bytes, content_type: str) -> list[bytes]:
    start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body))),
                            ("Cache-Control", "no-cache")])
    return [body]


def _redirect(start_response: StartResponse, location: str) -> list[bytes]:
    start_response("302 Found", [("Location", location), ("Content-Length", "0")])
    return []


