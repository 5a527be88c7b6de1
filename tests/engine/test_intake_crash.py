"""Kill -9 the intake service in the middle of writes: nothing half-written, nothing acknowledged lost."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

from intake_server import Intake, comment, running_intake, write_manifest
from kb_engine.core.atomic import is_temp_file

# Tests only: the service sleeps this long between writing (and fsyncing) a
# comment's temporary file and renaming it into place.
SLOW = {"KB_INTAKE_TEST_WRITE_PAUSE": "0.4"}


def wait_for(condition: object, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        time.sleep(0.01)
    raise AssertionError("timed out waiting")


def test_killing_the_service_mid_write_leaves_only_whole_comments(tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path / "site" / "comments" / "posts.json")
    queue = tmp_path / "queue"
    pending = queue / "pending"
    sent = {n: comment(f"Crash test comment {n}.", email=f"c{n}@example.com") for n in range(12)}
    acknowledged: dict[int, str] = {}
    lock = threading.Lock()
    temp_seen_at_kill: list[Path] = []

    with running_intake(queue, manifest, env=SLOW) as server:

        def send(n: int, intake: Intake = server) -> None:
            try:
                reply = intake.post_json(sent[n], client=f"198.51.100.{n}")
            except OSError:
                return  # the service died before answering: not acknowledged
            if reply.status == 202:
                with lock:
                    acknowledged[n] = reply.json()["id"]

        threads = [threading.Thread(target=send, args=(n,)) for n in sent]
        for thread in threads:
            thread.start()

        # Kill once some comments are acknowledged and another is half-way:
        # its temporary file is written but not yet renamed into place.
        def mid_write() -> bool:
            with lock:
                done = len(acknowledged)
            return done >= 2 and any(is_temp_file(p) for p in pending.iterdir())

        wait_for(mid_write)
        temp_seen_at_kill = [p for p in pending.iterdir() if is_temp_file(p)]
        server.kill()
        for thread in threads:
            thread.join(30)

    assert temp_seen_at_kill, "the kill did not happen during a write"
    assert 2 <= len(acknowledged) < len(sent)
    # Every comment file in the queue is whole, and every acknowledged one is there.
    whole = {}
    for path in pending.iterdir():
        if is_temp_file(path):
            continue
        data = json.loads(path.read_bytes())  # a partial file would not parse
        assert data["id"] == path.stem
        whole[data["id"]] = data
    for n, comment_id in acknowledged.items():
        assert whole[comment_id]["body"] == sent[n]["comment"]
        assert whole[comment_id]["email"] == sent[n]["email"]
    assert not any(p.suffix == ".json" and not is_temp_file(p) and p.stat().st_size == 0
                   for p in pending.iterdir())

    # Restarted, the service sweeps away the dead writer's temporary files.
    # Everything can be sent again and is answered alike (a duplicate is not
    # told apart from a fresh comment), yet each comment is stored once.
    with running_intake(queue, manifest) as server:
        assert not any(is_temp_file(p) for p in pending.iterdir())
        for n, fields in sent.items():
            reply = server.post_json(fields, client=f"203.0.113.{n}")
            assert reply.status == 202, (n, reply.text)
    bodies = [json.loads(p.read_bytes())["body"] for p in pending.glob("*.json") if not is_temp_file(p)]
    assert sorted(bodies) == sorted(f["comment"] for f in sent.values())
