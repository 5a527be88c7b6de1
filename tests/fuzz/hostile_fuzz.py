"""Fuzz every gate with the shared strategy of hostile comments, for longer, by hand.

    .venv/bin/python tests/fuzz/hostile_fuzz.py [--examples 2000] [--seed N]

The same properties as tests/engine/test_hostile_properties.py (tests/hostile_gates.py),
but against the real service over HTTP (waitress, on loopback) and with as
many examples as asked: the intake never answers 5xx; what it acknowledges is
approved, passes the check and builds strictly; nothing published, committed,
logged or answered holds an address in any spelling. Prints its figures; the
README's "Hostile input, fuzzed" keeps the last ones. Exit status 1 on the
first broken property, with Hypothesis's smallest failing example.
"""

from __future__ import annotations

import argparse
import http.client
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, given, seed, settings

from hostile_gates import Gates
from hostile_strategies import HostileComment, holds_address, hostile_comments
from intake_server import KEY, POST_ID, running_intake, write_manifest
from kb_engine.intake.queue import Queue
from sitebuild import copy_project


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hostile-fuzz-") as folder:
        root = Path(folder)
        copy_project(root / "project")
        manifest = write_manifest(root / "site" / "comments" / "posts.json")
        with running_intake(root / "queue", manifest, proxies=0) as intake:

            def post(body: bytes) -> tuple[int, str]:
                conn = http.client.HTTPConnection(intake.host, intake.port, timeout=30)
                try:
                    conn.request("POST", "/comment", body=body, headers={
                        "Content-Type": "application/json", "Accept": "application/json"})
                    response = conn.getresponse()
                    return response.status, response.read().decode("utf-8", "replace")
                finally:
                    conn.close()

            gates = Gates(root / "project", Queue(intake.queue), post, KEY.encode())
            started = time.monotonic()

            @seed(args.seed)
            @settings(max_examples=args.examples, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))
            @given(hostile_comments(POST_ID))
            def through_the_intake(comment: HostileComment) -> None:
                gates.submit(comment)

            through_the_intake()
            intake_seconds = time.monotonic() - started
            log = intake.log_text()
        assert "Traceback" not in log, log[-3000:]
        assert holds_address(log, gates.addresses) is None
        started = time.monotonic()
        gates.build_and_search(root / "built")
        build_seconds = time.monotonic() - started
    total = sum(gates.statuses.values())
    spelled = sum(1 for _ in gates.addresses)
    print(f"{total} hostile comments over HTTP in {intake_seconds:.0f} s; answers: "
          + ", ".join(f"{status}: {count}" for status, count in sorted(gates.statuses.items())))
    print(f"{len(gates.accepted)} acknowledged, approved and checked; their strict build and the search of "
          f"page, feeds and index took {build_seconds:.0f} s; {spelled} private or published addresses "
          "looked for, none found; no 5xx, no traceback")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
