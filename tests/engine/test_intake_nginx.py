"""The intake behind the nginx configuration operators copy (handbook/intake-nginx.conf).

Debian's nginx, started here on loopback with that very file (only its port
and paths changed), in front of the real service started with
``--proxies 1``. One client address holding 500 idle connections and
dripping request bodies, and slow clients from other addresses, must not
keep a normal reader waiting: the reader is answered within a second.
Every loop is bounded in count and in time.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from intake_server import Intake, comment, free_port, running_intake, write_manifest
from sitebuild import PROJECT

CONF = PROJECT / "handbook" / "intake-nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PER_READER = 4  # limit_conn in the handbook's file
pytestmark = pytest.mark.skipif(not os.path.exists(NGINX), reason="needs nginx (dev.py test installs it)")


def substituted(conf: str, *, port: int, site: Path, intake_port: int) -> str:
    """The operator's file with only its port and paths changed (each exactly where it is)."""
    for old, new in (
        ("listen 80;", f"listen 127.0.0.1:{port};"),
        ("root /var/www/kb/site;", f"root {site};"),
        ("proxy_pass http://127.0.0.1:8081;", f"proxy_pass http://127.0.0.1:{intake_port};"),
    ):
        assert conf.count(old) == 1, old
        conf = conf.replace(old, new)
    return conf


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Intake, int]]:
    root = tmp_path_factory.mktemp("nginx")
    manifest = write_manifest(root / "site" / "comments" / "posts.json")
    page = "<!doctype html><title>kb</title><p>site</p>\n"
    (root / "site" / "index.html").write_text(page, encoding="utf-8")
    with running_intake(root / "queue", manifest, proxies=1) as intake:
        port = free_port()
        conf = substituted(CONF.read_text(encoding="utf-8"), port=port, site=root / "site",
                           intake_port=intake.port)
        (root / "intake-nginx.conf").write_text(conf, encoding="utf-8")
        temp = "".join(f"{kind}_temp_path {root}/{kind};\n" for kind in
                       ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        user = "user root;\n" if os.geteuid() == 0 else ""  # workers read the test's private folders
        (root / "nginx.conf").write_text(
            f"{user}daemon off;\nworker_processes 1;\npid {root}/nginx.pid;\n"
            f"error_log {root}/error.log info;\n"
            "events { worker_connections 4096; }\n"
            f"http {{\naccess_log {root}/access.log;\n{temp}include {root}/intake-nginx.conf;\n}}\n",
            encoding="utf-8",
        )
        command = [NGINX, "-p", str(root), "-c", str(root / "nginx.conf"), "-e", str(root / "error.log")]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 15
            while True:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=1):
                        break
                except OSError:
                    assert time.monotonic() < deadline, "nginx did not start"
                    time.sleep(0.1)
            yield intake, port
        finally:
            process.terminate()
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(15)


def connect_from(source: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.settimeout(5)
    sock.bind((source, 0))
    sock.connect(("127.0.0.1", port))
    return sock


def post(port: int, body: bytes, source: str, timeout: float = 5) -> tuple[int, bytes]:
    """One whole request from ``source``; the status and the answer."""
    sock = connect_from(source, port)
    try:
        sock.settimeout(timeout)
        sock.sendall(b"POST /comment HTTP/1.1\r\nHost: kb.example.org\r\nContent-Type: application/json\r\n"
                     b"Accept: application/json\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s"
                     % (len(body), body))
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    finally:
        sock.close()
    return int(answer.split(b" ", 2)[1]), answer


def test_the_handbook_configuration_proxies_a_comment(stack: tuple[Intake, int]) -> None:
    intake, port = stack
    status, answer = post(port, json.dumps(comment("Through nginx.")).encode(), "127.0.0.5")
    assert status == 202, answer
    sock = connect_from("127.0.0.5", port)
    sock.sendall(b"GET /comment HTTP/1.1\r\nHost: kb.example.org\r\nConnection: close\r\n\r\n")
    assert sock.recv(100).startswith(b"HTTP/1.1 403")  # only POST reaches the service
    sock.close()
    assert "127.0.0.5" in intake.log_text() or "queued comment" in intake.log_text()


def test_one_address_cannot_keep_a_reader_waiting(stack: tuple[Intake, int]) -> None:
    _, port = stack
    held: list[socket.socket] = []
    try:
        # 500 idle connections from one address: they cost nginx slots, not the service.
        for _ in range(500):
            held.append(connect_from("127.0.0.2", port))
        # The same address starts 20 comments and drips their bodies: 4 are let through, the rest 429.
        dripping = []
        for _ in range(20):
            sock = connect_from("127.0.0.2", port)
            sock.sendall(b"POST /comment HTTP/1.1\r\nHost: kb.example.org\r\n"
                         b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
            dripping.append(sock)
        held.extend(dripping)
        # And 30 slow clients from other addresses, a few bytes of headers each.
        for n in range(30):
            sock = connect_from(f"127.0.1.{n + 1}", port)
            sock.sendall(b"POST /comment HTTP/1.1\r\nHost: kb.")
            held.append(sock)
        time.sleep(0.5)
        refused = 0
        for sock in dripping:
            sock.settimeout(2)
            try:
                if sock.recv(100).startswith(b"HTTP/1.1 429"):
                    refused += 1
            except TimeoutError:
                pass  # one of the four in progress
        assert refused >= 20 - PER_READER, refused

        # A normal reader is answered at once, and the site's pages too.
        started = time.monotonic()
        status, answer = post(port, json.dumps(comment("Still answered at once.")).encode(), "127.0.0.3")
        assert status == 202, answer
        assert time.monotonic() - started < 1
        started = time.monotonic()
        sock = connect_from("127.0.0.4", port)
        sock.sendall(b"GET / HTTP/1.1\r\nHost: kb.example.org\r\nConnection: close\r\n\r\n")
        assert sock.recv(100).startswith(b"HTTP/1.1 200")
        sock.close()
        assert time.monotonic() - started < 1
    finally:
        for sock in held:
            sock.close()
