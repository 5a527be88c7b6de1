"""The intake service's settings, read from environment variables.

``python3 dev.py intake`` turns its command-line flags into these variables,
so the service reads its settings from one place however it is started.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from kb.intake.ratelimit import RateLimit

QUEUE_ENV = "KB_INTAKE_QUEUE"
MANIFEST_ENV = "KB_INTAKE_MANIFEST"
SITE_URL_ENV = "KB_INTAKE_SITE_URL"
RATE_ENV = "KB_INTAKE_RATE"
MAX_BYTES_ENV = "KB_INTAKE_MAX_BYTES"
PROXIES_ENV = "KB_INTAKE_PROXIES"
WRITE_PAUSE_ENV = "KB_INTAKE_TEST_WRITE_PAUSE"  # tests only: seconds between fsync and rename

DEFAULT_RATE = RateLimit(burst=5, window=600.0)
DEFAULT_MAX_BYTES = 64 * 1024
_RATE = re.compile(r"\A(\d+)/(\d+(?:\.\d+)?)\Z")


class SettingsError(Exception):
    """A setting is missing or malformed; the message names the variable."""


@dataclass(frozen=True)
class IntakeSettings:
    queue_dir: Path
    manifest_path: Path
    site_url: str | None = None  # where readers come from; default: the manifest's site_url
    rate: RateLimit = DEFAULT_RATE
    max_request_bytes: int = DEFAULT_MAX_BYTES
    trusted_proxies: int = 0  # how many reverse proxies' X-Forwarded-* headers to trust
    write_pause: float = 0.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> IntakeSettings:
        env = os.environ if env is None else env
        queue = env.get(QUEUE_ENV, "").strip()
        manifest = env.get(MANIFEST_ENV, "").strip()
        if not queue:
            raise SettingsError(f"{QUEUE_ENV} is not set: the folder of the moderation queue")
        if not manifest:
            raise SettingsError(f"{MANIFEST_ENV} is not set: the built site's comments/posts.json")
        site_url = env.get(SITE_URL_ENV, "").strip() or None
        if site_url is not None:
            parts = urlsplit(site_url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise SettingsError(f"{SITE_URL_ENV}={site_url}: expected an absolute http(s) URL")
        return cls(
            queue_dir=Path(queue).resolve(),
            manifest_path=Path(manifest).resolve(),
            site_url=site_url,
            rate=parse_rate(env.get(RATE_ENV, "")),
            max_request_bytes=_positive_int(env, MAX_BYTES_ENV, DEFAULT_MAX_BYTES),
            trusted_proxies=_positive_int(env, PROXIES_ENV, 0, allow_zero=True),
            write_pause=_pause(env),
        )


def parse_rate(text: str) -> RateLimit:
    """``N/SECONDS``: N comments at once per client, refilled over SECONDS."""
    if not text.strip():
        return DEFAULT_RATE
    match = _RATE.match(text.strip())
    if not match or int(match.group(1)) < 1 or float(match.group(2)) <= 0:
        raise SettingsError(f"{RATE_ENV}={text}: expected N/SECONDS, e.g. 5/600 (5 comments per 10 minutes)")
    return RateLimit(burst=int(match.group(1)), window=float(match.group(2)))


def _positive_int(env: Mapping[str, str], name: str, default: int, *, allow_zero: bool = False) -> int:
    text = env.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit() or (int(text) == 0 and not allow_zero):
        raise SettingsError(f"{name}={text}: expected a whole number{'' if allow_zero else ' above 0'}")
    return int(text)


def _pause(env: Mapping[str, str]) -> float:
    text = env.get(WRITE_PAUSE_ENV, "").strip()
    try:
        return float(text) if text else 0.0
    except ValueError:
        raise SettingsError(f"{WRITE_PAUSE_ENV}={text}: expected seconds") from None
