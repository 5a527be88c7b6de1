"""``python -m kb_engine.preview`` (``python3 dev.py serve``): the preview server's command line."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from pathlib import Path

from mkdocs.config import load_config

from kb_engine.preview.app import PreviewApp
from kb_engine.preview.server import Preview, failure_line, mkdocs_log
from kb_engine.preview.site import build_site, load_preview_config, mount_path, start_serving
from kb_engine.preview.watch import Change

THREADS = 32  # each open page holds one while its live reload request waits


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="dev.py serve",
        description="Build the site, serve it with live reload, and take comments on the same address.")
    parser.add_argument("-f", "--config-file", default="mkdocs.yml", help="the site's mkdocs.yml")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    parser.add_argument("-p", "--port", type=int, default=8000,
                        help="port to listen on (8000; 0: any free one)")
    parser.add_argument("-a", "--dev-addr", metavar="HOST:PORT",
                        help="both at once, as `mkdocs serve` takes them")
    parser.add_argument("--build", metavar="DIR",
                        help="build the preview once into DIR and exit, instead of serving it")
    parser.add_argument("--origin", help="with --build: the address the preview is served at "
                        "(default http://HOST:PORT)")
    return parser.parse_args(argv)


def build_once(config_file: Path, out_dir: Path, origin: str) -> int:
    """What the preview would serve, as files: a fresh build with the preview's settings."""
    with mkdocs_log(sys.stderr) as log:
        try:
            config = load_preview_config(config_file, origin)
            start_serving(config)
            out_dir.mkdir(parents=True, exist_ok=True)
            build_site(config, out_dir)
        except Exception as error:
            print(f"preview: build failed: {failure_line(error, log.errors, config_file.parent)}",
                  file=sys.stderr)
            return 1
    return 0


def serve(args: argparse.Namespace, config_file: Path) -> int:
    import waitress

    logging.getLogger("waitress").setLevel(logging.ERROR)
    intake_log = logging.getLogger("kb_engine.intake")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("preview: intake: %(message)s"))
    intake_log.addHandler(handler)
    intake_log.setLevel(logging.INFO)

    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops it as cleanly as Ctrl+C
    preview = Preview(config_file)
    app = PreviewApp(preview.builds, configured_mount(config_file), preview.intake)
    try:
        server = waitress.create_server(app, host=args.host, port=args.port, threads=THREADS,
                                        ident="kb-preview")
    except OSError as error:
        preview.close()
        print(f"preview: error: cannot listen on {args.host}:{args.port} ({error.strerror}); "
              "try another --port", file=sys.stderr)
        return 2
    port = int(server.effective_port)
    preview.origin = f"http://{args.host if ':' not in args.host else f'[{args.host}]'}:{port}"
    thread = threading.Thread(target=server.run, name="preview-server", daemon=True)
    thread.start()
    preview.say(f"serving {preview.origin}{app.mount} (Ctrl+C stops)")
    change: Change | None = None
    try:
        change = preview.run()
    except KeyboardInterrupt:
        preview.say("stopping")
    finally:
        preview.close()
        server.close()
    if change is Change.CODE:
        preview.say("the project's code changed: restarting")
        os.execv(sys.executable, [sys.executable, "-m", "kb_engine.preview", "--config-file", str(config_file),
                                  "--host", args.host, "--port", str(port)])
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def configured_mount(config_file: Path) -> str:
    """The path the site is served under, from its ``site_url`` (``/`` if the file cannot be read yet)."""
    with mkdocs_log(sys.stderr):
        try:
            return mount_path(load_config(str(config_file)).site_url)
        except Exception:  # the first build reports what is wrong with the file
            return "/"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.dev_addr:
        host, _, port = args.dev_addr.rpartition(":")
        if not host or not port.isdigit():
            print(f"preview: error: --dev-addr {args.dev_addr}: expected HOST:PORT, e.g. 127.0.0.1:8000",
                  file=sys.stderr)
            return 2
        args.host, args.port = host.strip("[]"), int(port)
    config_file = Path(args.config_file).resolve()
    if not config_file.is_file():
        print(f"preview: error: {args.config_file}: no such file", file=sys.stderr)
        return 2
    if args.build:
        origin = args.origin or f"http://{args.host}:{args.port}"
        return build_once(config_file, Path(args.build).resolve(), origin)
    return serve(args, config_file)


if __name__ == "__main__":
    raise SystemExit(main())
