"""The development comment key: made on first use, kept in the git-ignored ``var/``.

On a fresh clone nobody has set ``KB_COMMENT_KEY`` or ``KB_COMMENT_KEY_FILE``,
yet the preview and ``dev.py moderate`` should work. They then use
``var/comment-key``: 32 random bytes (hex), created once with mode 0600 in a
folder the repository ignores, so it is never committed. Published sites use
a key of their own, given by one of the two variables; hashes made with the
development key match nothing in production.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from kb_engine.comments.identity import KEY_ENV, KEY_FILE_ENV, load_key

DEV_KEY_PATH = Path("var") / "comment-key"  # relative to the project folder


def development_key(project: Path) -> tuple[bytes, bool]:
    """The key in ``project/var/comment-key`` and whether it was created just now."""
    path = project / DEV_KEY_PATH
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    created = False
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(secrets.token_hex(32) + "\n")
        created = True
    return path.read_bytes().strip(), created


def explain(project: Path, created: bool) -> str:
    """The one line that says a development key is in use."""
    shown = project / DEV_KEY_PATH
    return (f"using the development comment key {shown}{' (created now, mode 0600)' if created else ''}: "
            f"set {KEY_ENV} or {KEY_FILE_ENV} for a published site")


def project_key(project: Path, environ: dict[str, str] | None = None) -> tuple[bytes, str | None]:
    """The key every local tool uses, and the line to say when it is the development key.

    The production key when ``KB_COMMENT_KEY`` or ``KB_COMMENT_KEY_FILE`` is
    set (the moderation command, the preview and the importer then agree with
    the published site), else the project's development key.
    """
    env = os.environ if environ is None else environ
    if env.get(KEY_ENV) or env.get(KEY_FILE_ENV):
        return load_key(dict(env)), None
    key, created = development_key(project)
    return key, explain(Path(os.path.relpath(project)), created)
