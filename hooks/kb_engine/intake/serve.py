"""``python -m kb_engine.intake.serve``: check every setting, then serve the app with waitress.

``python3 dev.py intake`` runs this. Flags override the environment
variables of :mod:`kb_engine.intake.settings`. Every wrong setting is one line on
stderr and the exit status is 2, before anything listens. Then one process
serves HTTP (see :mod:`kb_engine.intake.server` for why waitress) and runs the
outbox worker (:mod:`kb_engine.intake.outbox`) in a background thread. The log
goes to stderr, one line per event.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import signal
import sys
from collections.abc import Mapping
from pathlib import Path
from types import FrameType

from kb_engine.cli.program import command_prog
from kb_engine.core.manifest import MANIFEST_PATH
from kb_engine.intake.app import ManifestSource, create_app, manifest_source
from kb_engine.intake.devkey import development_key, explain
from kb_engine.intake.outbox import Outbox, Worker
from kb_engine.intake.server import CLIENT_CONNECTION_LIMIT, make_server
from kb_engine.intake.settings import (
    GIT_REMOTE_ENV,
    MANIFEST_ENV,
    MAX_BYTES_ENV,
    ORIGINS_ENV,
    PROXIES_ENV,
    QUEUE_ENV,
    RATE_ENV,
    RETRY_ENV,
    SITE_URL_ENV,
    SMTP_ENV,
    WEBHOOK_ENV,
    WEBHOOK_FILE_ENV,
    IntakeSettings,
    SettingsError,
    is_whole_number,
)

DEV_KEY_ENV = "KB_INTAKE_DEV_KEY_PROJECT"  # set by dev.py: the project whose var/comment-key to fall back on
log = logging.getLogger("kb_engine.intake")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=command_prog("intake"),
                                     description="Run the comment intake service.")
    parser.add_argument("--bind", default="127.0.0.1:8081", help="address:port to listen on (127.0.0.1:8081)")
    parser.add_argument("--queue", help=f"moderation queue folder (${QUEUE_ENV})")
    parser.add_argument("--manifest", help=f"the built site's comments/posts.json (${MANIFEST_ENV})")
    parser.add_argument("--site-dir", help="the built site; the manifest is its comments/posts.json")
    parser.add_argument("--site-url", help=f"where readers are sent back to, and the origin form posts come "
                        f"from (${SITE_URL_ENV}; default: the manifest's site_url)")
    parser.add_argument("--origins", help=f"other origins form posts may come from, comma-separated "
                        f"(${ORIGINS_ENV})")
    parser.add_argument("--rate", help=f"per-client limit N/SECONDS (${RATE_ENV}; default 5/600)")
    parser.add_argument("--max-bytes",
                        help=f"largest request body in bytes (${MAX_BYTES_ENV}; default 65536)")
    parser.add_argument("--proxies", help=f"reverse proxies in front whose X-Forwarded-* to trust "
                        f"(${PROXIES_ENV}; default 0)")
    parser.add_argument("--git-remote", help=f"deliver each comment as a branch of this repository "
                        f"(${GIT_REMOTE_ENV}; default: keep them in the queue for dev.py moderate)")
    parser.add_argument("--retry",
                        help=f"outbox back-off FIRST/LONGEST seconds (${RETRY_ENV}; default 5/900)")
    parser.add_argument("--threads", default="4", help="worker threads (4)")
    parser.add_argument("--request-timeout", default="20",
                        help="seconds a request may take to arrive, headers and body (20)")
    parser.add_argument("--idle-timeout", default="30", help="seconds an idle connection is kept open (30)")
    parser.add_argument("--no-worker", action="store_true",
                        help="do not drain the outbox in this process (another process does)")
    return parser.parse_args(argv)


def server_options(args: argparse.Namespace) -> tuple[tuple[str, int, int, float, float], list[str]]:
    """(host, port, threads, request timeout, idle timeout) and one line per wrong flag."""
    problems: list[str] = []
    host, _, port_text = args.bind.rpartition(":")
    host = host.strip("[]")
    port = int(port_text) if is_whole_number(port_text) else -1
    if not host or not 0 <= port < 65536:
        problems.append(f"--bind {args.bind}: expected ADDRESS:PORT, e.g. 127.0.0.1:8081")
    threads = int(args.threads) if is_whole_number(args.threads) else 0
    if not 1 <= threads <= 64:
        problems.append(f"--threads {args.threads}: expected a whole number from 1 to 64")
    timeouts = []
    for flag, text in (("--request-timeout", args.request_timeout), ("--idle-timeout", args.idle_timeout)):
        try:
            value = float(text) if text.isascii() else 0.0
        except ValueError:
            value = 0.0
        if not 0 < value <= 3600:
            problems.append(f"{flag} {text}: expected seconds, above 0 and at most 3600")
            value = 1.0
        timeouts.append(value)
    return (host, port, threads, timeouts[0], timeouts[1]), problems


# The flags that stand for a variable of kb_engine.intake.settings: (variable, flag, attribute of the arguments).
FLAGS = ((QUEUE_ENV, "--queue", "queue"), (MANIFEST_ENV, "--manifest", "manifest"),
         (SITE_URL_ENV, "--site-url", "site_url"), (ORIGINS_ENV, "--origins", "origins"),
         (RATE_ENV, "--rate", "rate"), (MAX_BYTES_ENV, "--max-bytes", "max_bytes"),
         (PROXIES_ENV, "--proxies", "proxies"), (GIT_REMOTE_ENV, "--git-remote", "git_remote"),
         (RETRY_ENV, "--retry", "retry"))


def as_typed(problem: str, flags: dict[str, str]) -> str:
    """``problem`` naming the flag the operator typed instead of the variable the flag was turned into.

    The settings name variables (``KB_INTAKE_RATE=abc: ...``); a value given as
    ``--rate abc`` is reported as ``--rate abc: ...``.
    """
    for name, flag in flags.items():
        problem = re.sub(rf"\b{name}=", f"{flag} ", problem)
        problem = re.sub(rf"\b{name}\b(?!_)", flag, problem)
    return problem


def load_settings(args: argparse.Namespace, environ: dict[str, str]) -> tuple[IntakeSettings, str | None]:
    """The settings, and the line to log when the development key is used; SettingsError lists problems.

    Each problem names the flag when the value came from one, else the variable.
    """
    env = dict(environ)
    manifest = args.manifest
    flags: dict[str, str] = {}
    if manifest is None and args.site_dir:
        manifest = str(Path(args.site_dir) / MANIFEST_PATH)
        flags[MANIFEST_ENV] = "the manifest of --site-dir,"
    for name, flag, attribute in FLAGS:
        value = manifest if name == MANIFEST_ENV else getattr(args, attribute)
        if value is not None:
            env[name] = value
            flags.setdefault(name, flag)
    try:
        return _load_settings(env)
    except SettingsError as error:
        raise SettingsError([as_typed(problem, flags) for problem in error.problems]) from None


def _load_settings(env: dict[str, str]) -> tuple[IntakeSettings, str | None]:
    note: list[str] = []
    project = env.get(DEV_KEY_ENV)

    def dev_key() -> bytes:
        assert project is not None
        key, created = development_key(Path(project))
        note.append(explain(Path(project), created))
        return key

    problems: list[str] = []
    if env.get(MANIFEST_ENV, "").strip():
        try:  # the manifest must be readable now, not at the first comment
            ManifestSource(Path(env[MANIFEST_ENV].strip()).resolve())
        except SettingsError as error:
            problems += error.problems

    def no_key() -> bytes:  # the start fails anyway: make no development key
        return b"-" * 32

    fallback = (no_key if problems else dev_key) if project else None
    try:
        settings: IntakeSettings | None = IntakeSettings.from_env(env, key=fallback)
    except SettingsError as error:
        problems = [*error.problems, *problems]
        settings = None
    if problems or settings is None:
        raise SettingsError(problems)
    return settings, (note[0] if note else None)


def ignored_notifications(settings: IntakeSettings, environ: Mapping[str, str]) -> str | None:
    """The line git delivery logs at start when notification settings are set: they are not used."""
    if settings.git is None:
        return None
    names = [name for name in (SMTP_ENV, WEBHOOK_ENV, WEBHOOK_FILE_ENV) if environ.get(name, "").strip()]
    if not names:
        return None
    return (f"git delivery: ignoring {', '.join(names)}: each comment arrives as a branch for a pull "
            "request, and the repository's host tells its reviewers; mail and webhook notices are sent "
            "in queue mode only")


def main(argv: list[str] | None = None) -> None:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    (host, port, threads, request_timeout, idle_timeout), problems = server_options(args)
    settings: IntakeSettings | None = None
    note = None
    try:
        settings, note = load_settings(args, dict(os.environ))
    except SettingsError as error:
        problems = [*error.problems, *problems]
    if problems or settings is None:
        for problem in problems:
            print(f"intake: error: {problem}", file=sys.stderr)
        raise SystemExit(2)

    os.umask(0o077)  # whatever the service or git writes is its user's alone
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "task queue depth" chatter
    if note:
        log.warning("%s", note)
    outbox = Outbox(settings, manifest_source(settings).current)
    worker = Worker(outbox)
    app = create_app(settings, on_accepted=worker.wake)
    try:
        # Behind a proxy every connection is the proxy's: it caps them per reader.
        client_limit = None if settings.trusted_proxies else CLIENT_CONNECTION_LIMIT
        server = make_server(app, host, port, threads=threads, max_body=settings.max_request_bytes,
                             request_deadline=request_timeout, idle_timeout=idle_timeout,
                             client_limit=client_limit)
    except OSError as error:
        print(f"intake: error: --bind {args.bind}: cannot listen there ({error.strerror})", file=sys.stderr)
        raise SystemExit(2) from None
    mode = f"git delivery to {outbox.git.remote}" if outbox.git else "queue mode"
    if settings.notify.channels and not outbox.git:
        mode += f", notifying by {' and '.join(settings.notify.channels)}"
    ignored = ignored_notifications(settings, os.environ)
    if ignored:
        log.warning("%s", ignored)
    log.info("queue %s, manifest %s, %s; listening on http://%s:%s/comment", settings.queue_dir,
             settings.manifest if not callable(settings.manifest) else "(in code)", mode,
             host, server.effective_port)
    if not args.no_worker:
        worker.start()

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        worker.stop()
        server.close()
        log.info("stopped")


if __name__ == "__main__":
    main()
