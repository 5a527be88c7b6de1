"""Serve a built site over HTTP from a thread, the way a static host does.

Files come from the site folder; a missing path gets the site's 404.html with
status 404, like GitHub Pages. Used by the link crawler and the browser suite.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit


class _Handler(SimpleHTTPRequestHandler):
    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != HTTPStatus.NOT_FOUND or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass(frozen=True)
class ServedSite:
    """A site being served: its folder and its root URL (ending in ``/``)."""

    site_dir: Path
    base_url: str

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).netloc

    def url(self, path: str) -> str:
        return self.base_url + path.lstrip("/")


@contextmanager
def serve(site_dir: Path) -> Iterator[ServedSite]:
    """Serve ``site_dir`` on 127.0.0.1 at a free port until the block ends."""
    handler = functools.partial(_Handler, directory=str(site_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield ServedSite(site_dir, f"http://127.0.0.1:{server.server_port}/")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
