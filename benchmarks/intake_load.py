"""Throughput of the comment intake service on loopback (not collected by pytest).

    .venv/bin/python benchmarks/intake_load.py [submissions] [clients]

Starts the real service (waitress, 8 threads) with the rate limit
raised, posts unique JSON comments from concurrent client threads, and prints
the time taken and how many were stored.
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from intake_server import comment, running_intake, write_manifest


def main() -> None:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    clients = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        manifest = write_manifest(root / "site" / "comments" / "posts.json")
        statuses: list[int] = []
        lock = threading.Lock()
        with running_intake(root / "queue", manifest, rate="1000000/1",
                            args=("--threads", "8")) as server:

            def worker(start: int) -> None:
                for n in range(start, total, clients):
                    reply = server.post_json(comment(f"Benchmark comment {n}.", email=f"b{n}@example.com"),
                                             client=f"192.0.2.{start}")
                    with lock:
                        statuses.append(reply.status)

            threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
        stored = len(list((root / "queue" / "pending").glob("*.json")))
    accepted = statuses.count(202)
    print(f"{total} submissions, {clients} clients: {elapsed:.2f} s ({total / elapsed:.0f}/s), "
          f"{accepted} accepted, {stored} stored")


if __name__ == "__main__":
    main()
