"""Run the real intake service (waitress) on 127.0.0.1 for a test, and talk to it.

The service is started exactly as ``python3 dev.py intake`` starts it
(``python -m kb_engine.intake.serve``), in its own process group so that a test
can stop it, or kill -9 it, with everything it started.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from kb_engine.core.manifest import PostEntry, manifest_json

POST_ID = "good-customers-good-vendors"
POST_URL = "https://kb.example.org/blog/2009/04/06/good-customers-good-vendors/"
SITE_URL = "https://kb.example.org/"
KEY = "an-intake-test-key-0123456789"


def write_manifest(path: Path, comments: tuple[str, ...] = (), *, post_id: str = POST_ID,
                   post_url: str = POST_URL, site_url: str = SITE_URL) -> Path:
    """A manifest like the build writes, for one post (by default the project's)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    entry = PostEntry(post_id, "Good customers, good vendors", post_url, comments)
    path.write_text(manifest_json(site_url, [entry]), encoding="utf-8")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Intake:
    host: str
    port: int
    process: subprocess.Popen[bytes]
    queue: Path
    log: Path

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def request(self, method: str, path: str, body: bytes = b"",
                headers: Mapping[str, str] | None = None, timeout: float = 30) -> Reply:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=dict(headers or {}))
            response = conn.getresponse()
            return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
        finally:
            conn.close()

    def post_form(self, fields: Mapping[str, str], client: str | None = None, **headers: str) -> Reply:
        all_headers = {"Content-Type": "application/x-www-form-urlencoded", **headers}
        if client:
            all_headers["X-Forwarded-For"] = client
        return self.request("POST", "/comment", urlencode(fields).encode(), all_headers)

    def post_json(self, data: object, client: str | None = None) -> Reply:
        headers = {"Content-Type": "application/json"}
        if client:
            headers["X-Forwarded-For"] = client
        return self.request("POST", "/comment", json.dumps(data).encode(), headers)

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Signal the service and anything it started (its own process group)."""
        os.killpg(self.process.pid, sig)
        self.process.wait(30)

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextmanager
def running_intake(queue: Path, manifest: Path, *, rate: str = "100000/1", proxies: int = 1,
                   env: Mapping[str, str] | None = None, args: tuple[str, ...] = (),
                   port: int | None = None) -> Iterator[Intake]:
    port = port or free_port()
    log = queue.parent / f"intake-{port}.log"
    command = [sys.executable, "-m", "kb_engine.intake.serve", "--bind", f"127.0.0.1:{port}", "--queue", str(queue),
               "--manifest", str(manifest), "--rate", rate, "--proxies", str(proxies), *args]
    base = {k: v for k, v in os.environ.items() if not k.startswith(("KB_INTAKE_", "KB_COMMENT_KEY"))}
    with open(log, "ab") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT,
                                   env={**base, "KB_COMMENT_KEY": KEY, **(env or {})}, start_new_session=True)
    intake = Intake("127.0.0.1", port, process, queue, log)
    try:
        wait_until_up(intake)
        yield intake
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(15)


def wait_until_up(intake: Intake, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if intake.process.poll() is not None:
            raise RuntimeError(f"the intake service exited: {intake.log.read_text(errors='replace')}")
        try:
            if intake.request("GET", "/healthz", timeout=2).status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the intake service did not start: {intake.log.read_text(errors='replace')}")


def comment(body: str = "A thoughtful comment.", **fields: str) -> dict[str, str]:
    """A valid submission, with ``fields`` changed."""
    return {"post": POST_ID, "author": "Ann Reader", "email": "ann@example.com", "website": "",
            "comment": body, **fields}
