"""Does a duplicate answer in the same time as a fresh comment? (not collected by pytest)

    .venv/bin/python benchmarks/intake_duplicates.py [pairs]

Starts the real service, then alternately posts a fresh comment and a
resend of an earlier one (a duplicate, answered alike and not stored again)
and prints the median and quartiles of both answer times. A duplicate does
the same number of fsynced writes as a fresh comment (to a scratch file), so
the two should be indistinguishable within the noise.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from intake_server import comment, running_intake, write_manifest


def main() -> None:
    pairs = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    fresh: list[float] = []
    again: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        manifest = write_manifest(root / "site" / "comments" / "posts.json")
        with running_intake(root / "queue", manifest, rate="100000/1") as server:
            for n in range(pairs):
                fields = comment(f"Timing comment {n}.", email=f"t{n}@example.com")
                for bucket in (fresh, again):
                    started = time.perf_counter()
                    reply = server.post_json(fields, client="192.0.2.7")
                    bucket.append(time.perf_counter() - started)
                    assert reply.status == 202, reply.text
    for name, times in (("fresh", fresh), ("duplicate", again)):
        q1, median, q3 = statistics.quantiles(times, n=4)
        print(f"{name:>9}: median {median * 1000:.2f} ms, quartiles {q1 * 1000:.2f}-{q3 * 1000:.2f} ms "
              f"({len(times)} requests)")


if __name__ == "__main__":
    main()
