"""Crash-safe file writes: a file is either absent or whole, never half-written.

The data goes to a temporary file in the same folder (a dot-file named after
the writing process), is flushed to disk with fsync, and is then renamed over
the target with :func:`os.replace`, which is atomic on POSIX; finally the
folder itself is fsynced so the rename survives a power cut. Temporary files
left by a killed process are removed by :func:`remove_temp_files`.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from pathlib import Path

_TEMP = re.compile(r"\A\..+\.\d+\.[0-9a-f]+\.tmp\Z")


def write_atomic(path: Path, data: bytes, *, pause: float = 0.0) -> None:
    """Write ``data`` to ``path`` atomically.

    ``pause`` (seconds, for tests only) sleeps between the fsync of the
    temporary file and the rename, so that a test can kill the process in the
    middle of a write.
    """
    temp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        temp.unlink(missing_ok=True)
        raise
    os.close(fd)
    if pause:
        time.sleep(pause)
    os.replace(temp, path)
    fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def is_temp_file(path: Path) -> bool:
    return bool(_TEMP.match(path.name))


def remove_temp_files(folder: Path) -> list[Path]:
    """Delete the temporary files in ``folder``; returns them.

    Only call this while holding the lock that every writer to ``folder``
    holds while it writes: then no temporary file there belongs to a live
    write, and each one is the remains of a killed process.
    """
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for path in folder.iterdir():
        if is_temp_file(path):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed
