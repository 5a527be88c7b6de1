"""Run ``python -m kb_engine.preview`` (what ``python3 dev.py serve`` runs) on a copy of the project.

The preview listens on a free port of 127.0.0.1; its log lines are read as
they come, so that a test can wait for "built in" after an edit.
"""

from __future__ import annotations

import http.client
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

SERVING = re.compile(r"preview: serving (http://127\.0\.0\.1:\d+)/")
LIVE_RELOAD = re.compile(rb"<script>\nvar livereload = function.*?livereload\(\d+, \d+\);\n</script>", re.S)


class PreviewFailed(AssertionError):
    pass


@dataclass
class PreviewProcess:
    process: subprocess.Popen[str]
    origin: str = ""
    lines: queue.Queue[str] = field(default_factory=queue.Queue)
    log: list[str] = field(default_factory=list)

    def next_line(self, pattern: str, timeout: float = 120) -> re.Match[str]:
        """Wait for the next log line matching ``pattern``; a failed build on the way fails the test."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise PreviewFailed(f"no line matching {pattern!r} in time; log:\n" + "\n".join(self.log))
            try:
                line = self.lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if match := re.search(pattern, line):
                return match
            if "build failed" in line and "build failed" not in pattern:
                raise PreviewFailed(line)

    def built(self, timeout: float = 120) -> None:
        self.next_line(r"^preview: built in ", timeout)

    def get(self, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(self.origin)
        conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
        try:
            conn.request(method, path)
            response = conn.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            conn.close()


def preview_env(**extra: str) -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1", **extra}


@contextmanager
def running_preview(config_file: Path, **env: str) -> Iterator[PreviewProcess]:
    """The preview of the project at ``config_file``, after its first build."""
    process = subprocess.Popen(
        [sys.executable, "-m", "kb_engine.preview", "--port", "0", "--config-file", str(config_file)],
        cwd=config_file.parent, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, env=preview_env(**env), start_new_session=True,
    )
    preview = PreviewProcess(process)

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            preview.log.append(line.rstrip("\n"))
            preview.lines.put(line.rstrip("\n"))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        preview.origin = preview.next_line(SERVING.pattern, 60)[1]
        preview.built()
        yield preview
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        reader.join(timeout=10)


def fresh_build(config_file: Path, out_dir: Path, origin: str) -> None:
    """A fresh build of the project with the preview's settings, in a new process."""
    result = subprocess.run(
        [sys.executable, "-m", "kb_engine.preview", "--build", str(out_dir), "--origin", origin,
         "--config-file", str(config_file)],
        cwd=config_file.parent, capture_output=True, text=True, env=preview_env(), check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def without_live_reload(body: bytes) -> bytes:
    return LIVE_RELOAD.sub(b"", body)
