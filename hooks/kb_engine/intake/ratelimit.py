"""Per-client rate limiting: a token bucket per client address, kept in a file.

The buckets live in one JSON file in the queue folder, read and rewritten
under an exclusive ``flock``. That makes the limit hold across gunicorn's
worker processes and threads (and across restarts) without a shared server
such as Redis; at the rates a comment form sees, one small file write per
request costs nothing.
"""

from __future__ import annotations

import fcntl
import json
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb_engine.core.atomic import remove_temp_files, write_atomic


@dataclass(frozen=True)
class RateLimit:
    """``burst`` requests at once, refilled at ``burst`` per ``window`` seconds."""

    burst: int
    window: float

    @property
    def per_second(self) -> float:
        return self.burst / self.window


def take(buckets: dict[str, list[float]], client: str, now: float, limit: RateLimit) -> float:
    """Take one token for ``client``. Returns 0 if allowed, else seconds until a token is free.

    Pure: ``buckets`` maps client -> [tokens, time of last update] and is updated in place;
    buckets that have filled up again are dropped, so the map stays small.
    """
    for other, (tokens, updated) in list(buckets.items()):
        if tokens + (now - updated) * limit.per_second >= limit.burst:
            del buckets[other]
    tokens, updated = buckets.get(client, [float(limit.burst), now])
    tokens = min(float(limit.burst), tokens + max(0.0, now - updated) * limit.per_second)
    if tokens < 1.0:
        buckets[client] = [tokens, now]
        return (1.0 - tokens) / limit.per_second
    buckets[client] = [tokens - 1.0, now]
    return 0.0


class FileRateLimiter:
    def __init__(self, folder: Path, limit: RateLimit) -> None:
        self.path = folder / ".ratelimit.json"
        self.lock = folder / ".ratelimit.lock"
        self.limit = limit

    def prepare(self) -> None:
        """Remove temporary files of killed writers (under the limiter's lock)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.lock, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            remove_temp_files(self.path.parent)
        finally:
            os.close(fd)

    def check(self, client: str, now: float) -> int:
        """0 if ``client`` may send a request now, else whole seconds to wait."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.lock, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            buckets = self._read()
            wait = take(buckets, client, now, self.limit)
            write_atomic(self.path, json.dumps(buckets).encode())
        finally:
            os.close(fd)
        return math.ceil(wait) if wait > 0 else 0

    def _read(self) -> dict[str, list[float]]:
        try:
            data: Any = json.loads(self.path.read_bytes())
        except (FileNotFoundError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {
            str(k): [float(v[0]), float(v[1])]
            for k, v in data.items()
            if isinstance(v, list) and len(v) == 2 and all(isinstance(x, (int, float)) for x in v)
        }
