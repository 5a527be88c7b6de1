"""``python -m kb.intake.serve``: check the settings, then exec gunicorn with the app.

``python3 dev.py intake`` runs this. Flags override the environment
variables of :mod:`kb.intake.settings`. Bad settings stop here with one clear
line, before gunicorn starts.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from kb.intake.app import ManifestSource
from kb.intake.settings import (
    MANIFEST_ENV,
    MAX_BYTES_ENV,
    PROXIES_ENV,
    QUEUE_ENV,
    RATE_ENV,
    SITE_URL_ENV,
    IntakeSettings,
    SettingsError,
)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="dev.py intake", description="Run the comment intake service.")
    parser.add_argument("--bind", default="127.0.0.1:8081", help="address:port to listen on (127.0.0.1:8081)")
    parser.add_argument("--queue", help=f"moderation queue folder (${QUEUE_ENV})")
    parser.add_argument("--manifest", help=f"the built site's comments/posts.json (${MANIFEST_ENV})")
    parser.add_argument("--site-dir", help="the built site; the manifest is its comments/posts.json")
    parser.add_argument("--site-url", help=f"origin of the pages the form is on (${SITE_URL_ENV}; "
                        "default: the manifest's site_url)")
    parser.add_argument("--rate", help=f"per-client limit N/SECONDS (${RATE_ENV}; default 5/600)")
    parser.add_argument("--max-bytes",
                        help=f"largest request body in bytes (${MAX_BYTES_ENV}; default 65536)")
    parser.add_argument("--proxies", help=f"reverse proxies in front whose X-Forwarded-* to trust "
                        f"(${PROXIES_ENV}; default 0)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (2)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (4)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    env = dict(os.environ)
    manifest = args.manifest
    if manifest is None and args.site_dir:
        manifest = str(Path(args.site_dir) / "comments" / "posts.json")
    for name, value in ((QUEUE_ENV, args.queue), (MANIFEST_ENV, manifest), (SITE_URL_ENV, args.site_url),
                        (RATE_ENV, args.rate), (MAX_BYTES_ENV, args.max_bytes), (PROXIES_ENV, args.proxies)):
        if value is not None:
            env[name] = value
    try:
        settings = IntakeSettings.from_env(env)
        ManifestSource(settings.manifest_path)
    except SettingsError as error:
        print(f"intake: error: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    env[QUEUE_ENV] = str(settings.queue_dir)
    env[MANIFEST_ENV] = str(settings.manifest_path)
    gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which("gunicorn")
    if gunicorn is None:
        print("intake: error: gunicorn is not installed (use `python3 dev.py intake`)", file=sys.stderr)
        raise SystemExit(2)
    print(f"intake: queue {settings.queue_dir}, manifest {settings.manifest_path}, "
          f"listening on http://{args.bind}/comment", file=sys.stderr, flush=True)
    os.execve(gunicorn, [
        gunicorn, "--bind", args.bind, "--workers", str(args.workers), "--threads", str(args.threads),
        "--worker-class", "gthread", "--access-logfile", "-", "--graceful-timeout", "10",
        "kb.intake.wsgi:app",
    ], env)


if __name__ == "__main__":
    main()
