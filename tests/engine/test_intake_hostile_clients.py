"""The live service against hostile clients: slow senders, half-sent and idle connections,
chunked bodies over the limit, deeply nested JSON. All bounded in time."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from intake_server import Intake, comment, running_intake, write_manifest

DEADLINE = 3  # --request-timeout and --idle-timeout of the service under test


@pytest.fixture(scope="module")
def intake(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Intake]:
    root = tmp_path_factory.mktemp("hostile")
    manifest = write_manifest(root / "site" / "comments" / "posts.json")
    args = ("--request-timeout", str(DEADLINE), "--idle-timeout", str(DEADLINE))
    with running_intake(root / "queue", manifest, args=args) as server:
        yield server


def connect(intake: Intake) -> socket.socket:
    sock = socket.create_connection((intake.host, intake.port), timeout=10)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def closed_by_server(sock: socket.socket, within: float) -> bool:
    """True if the server closes ``sock`` within ``within`` seconds (reads until EOF)."""
    sock.settimeout(within)
    try:
        while sock.recv(4096):
            pass
    except TimeoutError:
        return False
    except OSError:
        return True
    return True


def headers(length: int | None = 1000, chunked: bool = False) -> bytes:
    lines = ["POST /comment HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/x-www-form-urlencoded",
             "Accept: application/json"]
    if chunked:
        lines.append("Transfer-Encoding: chunked")
    elif length is not None:
        lines.append(f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def test_fifty_slow_clients_do_not_delay_a_normal_submission(intake: Intake) -> None:
    before = time.monotonic()
    assert intake.post_json(comment("Baseline."), client="10.7.0.1").status == 202
    baseline = time.monotonic() - before
    slow = [connect(intake) for _ in range(50)]
    stop = threading.Event()

    def drip() -> None:  # headers sent, then one byte a second on every connection
        while not stop.is_set():
            for sock in slow:
                try:
                    sock.send(b"a")
                except OSError:
                    pass
            stop.wait(1)

    for sock in slow:
        sock.sendall(headers())
    dripper = threading.Thread(target=drip, daemon=True)
    dripper.start()
    try:
        time.sleep(1.5)  # the slow clients are well under way
        timings = []
        for n in range(3):
            started = time.monotonic()
            reply = intake.post_json(comment(f"Despite the slow ones {n}."), client=f"10.7.1.{n}")
            timings.append(time.monotonic() - started)
            assert reply.status == 202, reply.text
        assert max(timings) < baseline + 1.0, timings
        # The deadline closes every half-sent request, although each is still sending.
        assert all(closed_by_server(sock, DEADLINE + 3) for sock in slow)
    finally:
        stop.set()
        dripper.join(5)
        for sock in slow:
            sock.close()
    assert "took longer than 3 s to arrive" in intake.log_text()


def test_idle_and_half_sent_connections_are_closed(intake: Intake) -> None:
    idle = connect(intake)
    half = connect(intake)
    half.sendall(b"POST /comment HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le")
    started = time.monotonic()
    assert closed_by_server(idle, DEADLINE + 4)
    assert closed_by_server(half, DEADLINE + 4)
    assert time.monotonic() - started < DEADLINE + 4
    idle.close()
    half.close()


def raw_request(intake: Intake, data: bytes) -> tuple[int, bytes]:
    sock = connect(intake)
    try:
        sock.sendall(data)
        received = b""
        sock.settimeout(10)
        while b"\r\n\r\n" not in received:
            chunk = sock.recv(65536)
            if not chunk:
                break
            received += chunk
    except OSError:  # the server may close once it has answered
        pass
    finally:
        sock.close()
    status = int(received.split(b" ", 2)[1]) if received.startswith(b"HTTP/1.") else 0
    return status, received


def chunked(body: bytes, size: int = 4096) -> bytes:
    parts = [b"%x\r\n%s\r\n" % (len(body[i:i + size]), body[i:i + size]) for i in range(0, len(body), size)]
    return b"".join(parts) + b"0\r\n\r\n"


def test_the_body_limit_holds_for_chunked_and_plain_bodies(intake: Intake) -> None:
    big = b"post=good-customers-good-vendors&author=A&email=a%40b.example&comment=" + b"x" * 1_000_000
    status, _ = raw_request(intake, headers(chunked=True) + chunked(big))
    assert status == 413
    status, _ = raw_request(intake, headers(len(big)) + big)
    assert status == 413
    # A little over the limit, chunked: the app's own 413, with its message.
    over = b"post=good-customers-good-vendors&author=A&email=a%40b.example&comment=" + b"y" * 70_000
    status, answer = raw_request(intake, headers(chunked=True) + chunked(over))
    assert status == 413 and b"application/json" in answer.split(b"\r\n\r\n")[0]
    small = b"post=good-customers-good-vendors&author=A&email=a%40b.example&comment=chunked+and+fine"
    status, answer = raw_request(intake, headers(chunked=True).replace(b"\r\n\r\n", b"\r\nX-Forwarded-For: "
                                 b"10.7.2.1\r\n\r\n") + chunked(small, 16))
    assert status == 202, answer


@pytest.mark.parametrize("depth", [1000, 30000])
def test_deeply_nested_json_is_a_400_not_a_500(intake: Intake, depth: int) -> None:
    inside = json.dumps({**comment("x"), "author": None})[:-1] + ', "x": ' + "[" * depth + "]" * depth + "}"
    for body in ("[" * depth + "]" * depth, '{"a":' * depth + "1" + "}" * depth, inside):
        reply = intake.request("POST", "/comment", body.encode(),
                               {"Content-Type": "application/json", "X-Forwarded-For": "10.7.3.1"})
        assert 400 <= reply.status < 500, (reply.status, reply.text[:200])
    assert intake.request("GET", "/healthz").status == 200
    assert "Traceback" not in intake.log_text()


def test_a_closed_post_refuses_new_comments(tmp_path: Path) -> None:
    from intake_server import POST_ID, POST_URL, SITE_URL
    from kb_engine.core.manifest import PostEntry, manifest_json

    manifest = tmp_path / "posts.json"
    manifest.write_text(manifest_json(SITE_URL, [PostEntry(POST_ID, "Closed", POST_URL, (), closed=True)]))
    with running_intake(tmp_path / "queue", manifest) as server:
        reply = server.post_json(comment("Too late."), client="10.7.4.1")
        assert reply.status == 403 and "Comments are closed" in reply.json()["error"]
        page = server.post_form(comment("Too late."), client="10.7.4.2")
        assert page.status == 403 and "Comments are closed" in page.text
    assert not list((tmp_path / "queue" / "pending").iterdir())


@pytest.mark.parametrize("field", ["author", "email", "website", "comment", "post", "reply_to"])
def test_a_lone_surrogate_is_a_400_naming_it(intake: Intake, field: str) -> None:
    """JSON may escape half of a UTF-16 pair; no text holds one, and the service says so."""
    body = json.dumps(comment("Hi", reply_to="")).replace('"Hi"' if field == "comment" else f'"{field}": "',
                                             '"Hi\\ud800"' if field == "comment" else f'"{field}": "\\udfff')
    assert "\\ud" in body
    reply = intake.request("POST", "/comment", body.encode(),
                           {"Content-Type": "application/json", "X-Forwarded-For": "10.7.4.1"})
    assert reply.status == 400, (reply.status, reply.text)
    assert "surrogate" in reply.json()["error"] and f"`{field}`" in reply.json()["error"]
    key = json.dumps({**comment("Hi"), "\ud800": "x"})  # in a field's name too
    reply = intake.request("POST", "/comment", key.encode(),
                           {"Content-Type": "application/json", "X-Forwarded-For": "10.7.4.1"})
    assert reply.status == 400 and "surrogate" in reply.text
    assert "Traceback" not in intake.log_text()


@pytest.mark.parametrize(
    ("coding", "status"),
    [
        ("gzip, chunked", 501),  # RFC 9112 6.1: a transfer coding the server does not understand
        ("chunked, chunked", 202),  # waitress reads it as chunked once: no harm
        ("identity", 501),
        ("chunked;x=1", 501),
    ],
)
def test_odd_transfer_codings_are_refused_without_a_5xx_other_than_501(
    intake: Intake, coding: str, status: int
) -> None:
    small = b"post=good-customers-good-vendors&author=A&email=a%40b.example&comment=hi"
    coded = b"Transfer-Encoding: " + coding.encode()
    head = headers(chunked=True).replace(b"Transfer-Encoding: chunked", coded)
    sock = connect(intake)
    answer = b""
    try:
        sock.sendall(head + chunked(small))
        sock.shutdown(socket.SHUT_WR)
        while chunk := sock.recv(65536):
            answer += chunk
    finally:
        sock.close()
    got = int(answer.split(b" ", 2)[1])
    assert got == status, answer[:300]
    if got == 501:
        assert b"Transfer-Encoding" in answer, answer[:300]  # the answer names the problem
    assert intake.request("GET", "/healthz").status == 200


@pytest.fixture(scope="module")
def direct_intake(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Intake]:
    """The service with no proxy in front: it caps each client address's connections itself."""
    root = tmp_path_factory.mktemp("direct")
    manifest = write_manifest(root / "site" / "comments" / "posts.json")
    args = ("--request-timeout", "30", "--idle-timeout", "30")
    with running_intake(root / "queue", manifest, proxies=0, args=args) as server:
        yield server


def connect_from(intake: Intake, source: str) -> socket.socket:
    """A connection from another loopback address (all of 127.0.0.0/8 is this machine)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.settimeout(10)
    sock.bind((source, 0))
    sock.connect((intake.host, intake.port))
    return sock


def test_one_client_cannot_hold_the_service(direct_intake: Intake) -> None:
    """520 idle connections from one address: it keeps a few, a reader elsewhere is answered at once."""
    from kb_engine.intake.server import CLIENT_CONNECTION_LIMIT

    held: list[socket.socket] = []
    refused = 0
    try:
        for _ in range(520):
            sock = connect_from(direct_intake, "127.0.0.2")
            held.append(sock)
        waiting = list(held)
        for sock in waiting:
            sock.setblocking(False)
        deadline = time.monotonic() + 15  # the service answers those over the cap as it accepts them
        while len(waiting) > CLIENT_CONNECTION_LIMIT and time.monotonic() < deadline:
            time.sleep(0.2)
            for sock in list(waiting):
                try:
                    data = sock.recv(4096)
                except BlockingIOError:
                    continue  # still open, idle
                waiting.remove(sock)
                refused += data.startswith(b"HTTP/1.1 429")
        assert refused == 520 - CLIENT_CONNECTION_LIMIT, refused
        assert len(waiting) == CLIENT_CONNECTION_LIMIT
        started = time.monotonic()
        conn = http.client.HTTPConnection(direct_intake.host, direct_intake.port, timeout=5,
                                          source_address=("127.0.0.3", 0))
        conn.request("POST", "/comment", json.dumps(comment("Still answered.")).encode(),
                     {"Content-Type": "application/json"})
        response = conn.getresponse()
        assert response.status == 202, response.read()
        assert time.monotonic() - started < 1
        conn.close()
    finally:
        for sock in held:
            sock.close()
