"""Moderator notifications in queue mode, against a real SMTP server (aiosmtpd) and a local webhook."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from intake_server import POST_URL, comment, free_port, running_intake, write_manifest


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@contextmanager
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@contextmanager
def webhook_receiver(port: int = 0) -> Iterator[tuple[list[dict[str, Any]], int]]:
    received: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            received.append(json.loads(self.rfile.read(length)))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            pass

    ThreadingHTTPServer.allow_reuse_address = True
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield received, server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def wait_for(condition: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


def mail_env(port: int) -> dict[str, str]:
    return {"KB_INTAKE_SMTP": f"127.0.0.1:{port}", "KB_INTAKE_SMTP_SECURITY": "none",
            "KB_INTAKE_SMTP_FROM": "intake@kb.example.org", "KB_INTAKE_SMTP_TO": "mod1@kb.example.org, "
            "mod2@kb.example.org"}


def test_moderators_hear_of_each_comment_and_held_ones_are_marked(tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path / "site" / "comments" / "posts.json")
    with smtp_server() as (inbox, smtp_port), webhook_receiver() as (hooks, hook_port):
        env = {**mail_env(smtp_port), "KB_INTAKE_WEBHOOK_URL": f"http://127.0.0.1:{hook_port}/hook"}
        with running_intake(tmp_path / "queue", manifest, env=env, args=("--retry", "0.2/1")) as intake:
            plain = intake.post_json(comment("A plain comment.", author="Ann <b>&</b> <!channel>"),
                                     client="10.8.0.1")
            held = intake.post_json(comment("http://a.example/ http://b.example/ http://c.example/"),
                                    client="10.8.0.2")
            assert plain.status == held.status == 202
            wait_for(lambda: len(inbox.messages) == 2 and len(hooks) == 2)
    subjects = sorted(str(m["Subject"]).strip() for m in inbox.messages)
    assert subjects[0].startswith("HELD (links) New comment from Ann Reader on Good customers")
    assert subjects[1] == "New comment from Ann <b>&</b> <!channel> on Good customers, good vendors"
    for message in inbox.messages:
        assert message["To"] == "mod1@kb.example.org, mod2@kb.example.org"
        body = message.get_payload(decode=True)
        assert isinstance(body, bytes)
        text = body.decode()
        assert POST_URL in text and "python3 dev.py moderate show 2" in text
        assert "ann@example.com" not in text  # the commenter's address is not sent around
    texts = sorted(h["text"] for h in hooks)
    assert texts[0].startswith("HELD (links) New comment") and "HELD for review: 3 links" in texts[0]
    # Slack's escapes: a name cannot mention a channel or make a link.
    assert "Ann &lt;b&gt;&amp;&lt;/b&gt; &lt;!channel&gt;" in texts[1] and "<!channel>" not in texts[1]


def test_a_failing_notifier_neither_blocks_nor_loses_a_comment(tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path / "site" / "comments" / "posts.json")
    queue = tmp_path / "queue"
    dead_port = free_port()  # nothing listens here yet
    with smtp_server() as (inbox, smtp_port):
        env = {**mail_env(smtp_port), "KB_INTAKE_WEBHOOK_URL": f"http://127.0.0.1:{dead_port}/hook"}
        with running_intake(queue, manifest, env=env, args=("--retry", "0.2/1")) as intake:
            reply = intake.post_json(comment("Notify me."), client="10.8.1.1")
            assert reply.status == 202
            assert (queue / "pending" / f"{reply.json()['id']}.json").exists()
            wait_for(lambda: len(inbox.messages) == 1)  # the mail goes out regardless
            wait_for(lambda: "cannot reach the webhook" in intake.log_text())
            line = next(x for x in intake.log_text().splitlines() if "cannot reach the webhook" in x)
            assert line.count("KB_INTAKE_WEBHOOK_URL") == 1 and "kept, next try in" in line
            with webhook_receiver(dead_port) as (hooks, _):
                wait_for(lambda: len(hooks) == 1)
            wait_for(lambda: not list((queue / "outbox").glob("*.json")))
    assert len(inbox.messages) == 1
