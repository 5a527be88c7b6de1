#!/usr/bin/env python3
"""One entry point for working on the site (Python 3.11+ and git; `test` also needs
Chromium and Java, installed with apt-get when missing, see README.md).

    python3 dev.py serve    preview the site on http://127.0.0.1:8000: rebuilt and reloaded on every
                            change, drafts shown, comments taken (see `dev.py moderate`)
    python3 dev.py test     run the whole test suite (installs what the tests need)
    python3 dev.py build    build the site into site/ with --strict
    python3 dev.py intake   run the comment intake service (waitress) on 127.0.0.1:8081
    python3 dev.py moderate list|show ID|approve ID [--commit]|reject ID|spam ID
    python3 dev.py outbox list|retry    what the intake still has to deliver or notify, and why
    python3 dev.py new-post "Title" [--author ID] [--category NAME ...] [--slug S] [--publish]
                            scaffold a blog post (a draft) and print its path
    python3 dev.py check    check every post, author, category, comment and decision-tree file (no build)
    python3 dev.py import-wordpress EXPORT.xml [--dry-run] [--author-map FILE] [--only-published]
                            [--pages] [--pingbacks] [--no-comments]   import a WordPress export
    python3 dev.py lock [site|test|intake]
                            re-resolve requirements/*.txt from pyproject.toml (needs the package index)
    python3 dev.py help     this text (also -h, --help)

The first run creates .venv/ and installs the locked dependencies from
requirements/; later runs reinstall only when a lock file changes.
Extra arguments are passed on: `python3 dev.py test -k feeds`.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("KB_VENV") or ROOT / ".venv")  # never "" (the venv is created with clear=True)
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
LOCKS = {"site": ROOT / "requirements" / "site.txt", "test": ROOT / "requirements" / "test.txt",
         "intake": ROOT / "requirements" / "intake.txt"}
LOCK_EXTRAS = {"site": "", "test": "[test]", "intake": "[intake]"}
CHROMIUM = Path(os.environ.get("KB_CHROMIUM", "/usr/bin/chromium"))


def say(message: str) -> None:
    print(f"dev.py: {message}", flush=True)


def fail(message: str) -> None:
    print(f"dev.py: error: {message}", file=sys.stderr, flush=True)
    raise SystemExit(1)


def run(*args: str | os.PathLike[str], env: dict[str, str] | None = None) -> None:
    result = subprocess.run([str(a) for a in args], cwd=ROOT, env=env, check=False)
    if result.returncode != 0:
        fail(f"`{' '.join(str(a) for a in args)}` exited with {result.returncode}")


def ensure_venv(kind: str) -> None:
    """Create .venv and install the lock for ``kind`` if anything changed."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may run on an older system Python
        fail(f"Python 3.11 or newer is needed, this is {sys.version.split()[0]}")
    lock = LOCKS[kind]
    digest = hashlib.sha256()
    for path in (lock, ROOT / "pyproject.toml"):
        digest.update(path.read_bytes())
    stamp = VENV / f".installed-{kind}"
    if stamp.exists() and stamp.read_text() == digest.hexdigest() and PYTHON.exists():
        return
    if not PYTHON.exists():
        say(f"creating virtual environment in {VENV}")
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    say(f"installing {lock.relative_to(ROOT)} (first run, or the lock changed)")
    run(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", lock)
    run(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
        "-e", ROOT)
    # The locks pin the same version of every package they share, so
    # installing one kind leaves the others' stamps valid.
    stamp.write_text(digest.hexdigest())


def tool_env() -> dict[str, str]:
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"  # Material's end-of-life banner on every build
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def ensure_chromium() -> None:
    """The browser tests drive Debian's Chromium; install it if it is missing."""
    if CHROMIUM.exists():
        return
    apt_install("chromium", "for the browser tests", f"the browser tests need Chromium at {CHROMIUM}; "
                "install it, or set KB_CHROMIUM")
    if not CHROMIUM.exists():
        fail(f"apt-get installed chromium but {CHROMIUM} is still missing")


def ensure_java() -> None:
    """The HTML check runs the Nu HTML Checker (vnu.jar), a Java program; install Java if missing."""
    if shutil.which("java"):
        return
    apt_install("default-jre-headless", "for the HTML checker",
                "the HTML validation test needs Java (`java` on PATH); install a Java runtime",
                # Slim images lack this folder, and the JRE's post-install step fails without it.
                first=("mkdir", "-p", "/usr/share/man/man1"))
    if not shutil.which("java"):
        fail("apt-get installed default-jre-headless but `java` is still not on PATH")


def ensure_nginx() -> None:
    """The intake's proxy test runs Debian's nginx with handbook/intake-nginx.conf; install it if missing."""
    if shutil.which("nginx") or os.path.exists("/usr/sbin/nginx"):
        return
    apt_install("nginx", "for the intake's proxy test",
                "the intake's proxy test needs nginx (`nginx` on PATH or /usr/sbin/nginx); install it")
    if not (shutil.which("nginx") or os.path.exists("/usr/sbin/nginx")):
        fail("apt-get installed nginx but /usr/sbin/nginx is still missing")


def apt_install(package: str, why: str, without_apt: str, first: tuple[str, ...] = ()) -> None:
    """Install one of Debian's packages with apt-get (as root, or through sudo -n), after ``first``."""
    apt = shutil.which("apt-get")
    if apt is None:
        fail(without_apt)
    sudo: list[str] = [] if os.geteuid() == 0 else ["sudo", "-n"]
    if first:
        run(*sudo, *first)
    say(f"installing Debian's {package} {why} (apt-get)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run(*sudo, apt, "-qq", "update", env=env)
    run(*sudo, apt, "-qq", "install", "-y", "--no-install-recommends", package, env=env)


def cmd_serve(args: list[str]) -> None:
    """The preview server (kb_engine.preview); `python3 dev.py serve --help` lists its flags."""
    ensure_venv("intake")  # the site lock plus the intake service, which the preview runs in-process
    os.chdir(ROOT)
    os.execve(str(PYTHON), [str(PYTHON), "-m", "kb_engine.preview", *args], tool_env())


def cmd_build(args: list[str]) -> None:
    ensure_venv("site")
    # MkDocs reads mkdocs.yml before any plugin can check it (kb_engine.cli.configcheck).
    checked = subprocess.run([str(PYTHON), "-m", "kb_engine.cli.configcheck"], cwd=ROOT, env=tool_env(),
                             check=False)
    if checked.returncode:
        sys.exit(1)
    run(BIN / "mkdocs", "build", "--strict", "--site-dir", "site", *args, env=tool_env())


def cmd_test(args: list[str]) -> None:
    ensure_venv("test")
    ensure_chromium()
    ensure_java()
    ensure_nginx()
    env = tool_env()
    env["KB_CHROMIUM"] = str(CHROMIUM)
    run(PYTHON, "-m", "pytest", "-n", "2", *args, env=env)


def cmd_lock(args: list[str]) -> None:
    """Re-resolve the locks from pyproject.toml in throwaway environments."""
    import tempfile

    kinds = args or list(LOCKS)  # `python3 dev.py lock intake` re-locks just one kind
    for kind in kinds:
        if kind not in LOCKS:
            fail(f"unknown lock {kind!r} (known: {', '.join(LOCKS)})")
        extra = LOCK_EXTRAS[kind]
        with tempfile.TemporaryDirectory() as tmp:
            venv.EnvBuilder(with_pip=True).create(tmp)
            py = Path(tmp) / "bin" / "python"
            run(py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", f"{ROOT}{extra}")
            frozen = subprocess.run([str(py), "-m", "pip", "freeze", "--exclude", "mkdocs-kb-engine"],
                                    capture_output=True, text=True, check=True).stdout
        LOCKS[kind].write_text(
            f"# Locked {kind} dependencies. Regenerate with `python3 dev.py lock`.\n" + frozen
        )
        say(f"wrote {LOCKS[kind].relative_to(ROOT)}")


def engine(command: str, args: list[str], env: dict[str, str]) -> None:
    """Become ``kb-engine COMMAND ARGS`` (``python -m kb_engine``), its usage naming ``python3 dev.py``."""
    env = dict(env, KB_ENGINE_PROG="python3 dev.py")  # kb_engine.cli.program
    os.execve(str(PYTHON), [str(PYTHON), "-m", "kb_engine", command, *args], env)


def cmd_new_post(args: list[str]) -> None:
    ensure_venv("site")
    os.chdir(ROOT)
    engine("new-post", args, tool_env())


def cmd_check(args: list[str]) -> None:
    ensure_venv("site")
    os.chdir(ROOT)
    engine("check", args, tool_env())


def cmd_import_wordpress(args: list[str]) -> None:
    """Import a WordPress export; `python3 dev.py import-wordpress --help` lists its options."""
    ensure_venv("site")
    # No chdir: the export's path is relative to where the command was typed.
    engine("import-wordpress", ["--config-file", str(ROOT / "mkdocs.yml"), *args], tool_env())


def intake_env() -> dict[str, str]:
    env = tool_env()
    env.setdefault("KB_INTAKE_QUEUE", str(ROOT / "var" / "moderation-queue"))
    env.setdefault("KB_INTAKE_MANIFEST", str(ROOT / "site" / "comments" / "posts.json"))
    # Without KB_COMMENT_KEY(_FILE), queue mode falls back on var/comment-key (made once, 0600).
    env.setdefault("KB_INTAKE_DEV_KEY_PROJECT", str(ROOT))
    return env


def cmd_intake(args: list[str]) -> None:
    """The comment intake service; `python3 dev.py intake --help` lists its flags."""
    ensure_venv("intake")
    engine("intake", args, intake_env())


def cmd_moderate(args: list[str]) -> None:
    """The moderation command; `python3 dev.py moderate --help` lists its actions."""
    ensure_venv("intake")
    env = intake_env()
    os.chdir(ROOT)
    engine("moderate", ["--queue", env["KB_INTAKE_QUEUE"], "--repo", str(ROOT), *args], env)


def cmd_outbox(args: list[str]) -> None:
    """The intake's outbox; `python3 dev.py outbox --help` lists its actions."""
    ensure_venv("intake")
    env = intake_env()
    engine("outbox", ["--queue", env["KB_INTAKE_QUEUE"], *args], env)


COMMANDS = {"serve": cmd_serve, "build": cmd_build, "test": cmd_test, "lock": cmd_lock,
            "intake": cmd_intake, "moderate": cmd_moderate, "outbox": cmd_outbox}
COMMANDS.update({"new-post": cmd_new_post, "check": cmd_check})
COMMANDS["import-wordpress"] = cmd_import_wordpress


HELP = ("help", "-h", "--help")


def main() -> None:
    if len(sys.argv) >= 2 and sys.argv[1] in HELP:
        print(__doc__.strip())
        return
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        if len(sys.argv) >= 2:
            print(f"dev.py: error: unknown command {sys.argv[1]!r}", file=sys.stderr)
        print(__doc__.strip(), file=sys.stderr)
        raise SystemExit(2)
    COMMANDS[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
