"""Write a set of files all at once, or not at all.

Every file is first written, complete, into a staging folder beside the
project's files (same file system), and only when all of them are there is
each one moved into place with ``os.replace``, which swaps a file whole. A
failure while staging leaves the project as it was. (No fsync per file: on a
busy disk it cost more than the rest of the import, and git, not this
command, is what keeps the files.)
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path


class StagingError(Exception):
    """The files could not be written; the message names the file."""


def write_all(root: Path, files: Mapping[Path, bytes]) -> list[Path]:
    """Write ``files`` (absolute paths under ``root``); returns them in the order written."""
    if not files:
        return []
    staging = Path(tempfile.mkdtemp(prefix=".kb-import-", dir=root))
    try:
        staged: list[tuple[Path, Path]] = []
        inside = _Inside(root)
        for number, (path, data) in enumerate(sorted(files.items())):
            if not inside(path):
                raise StagingError(f"{path}: outside the project folder {root}")
            temporary = staging / f"{number}.part"
            try:
                with open(temporary, "wb") as f:
                    f.write(data)
            except OSError as error:
                raise StagingError(f"{path}: cannot be written ({error.strerror or error})") from None
            staged.append((temporary, path))
        for _, path in staged:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StagingError(f"{path.parent}: cannot be created ({error.strerror or error})") from None
        done: list[Path] = []
        for temporary, path in staged:
            os.replace(temporary, path)
            done.append(path)
        return done
    finally:
        shutil.rmtree(staging, ignore_errors=True)


class _Inside:
    """Whether a path is inside ``root`` once links are followed. Folders are resolved once each:
    an import writes tens of thousands of files into a few thousand folders."""

    def __init__(self, root: Path) -> None:
        self.root = os.path.realpath(root)
        self.folders: dict[str, bool] = {}

    def __call__(self, path: Path) -> bool:
        folder = os.path.dirname(os.path.abspath(path))
        known = self.folders.get(folder)
        if known is None:
            real = os.path.realpath(folder)
            known = self.folders[folder] = real == self.root or real.startswith(self.root + os.sep)
        # the file itself may be a link out of the project
        return known and (not os.path.islink(path) or os.path.realpath(path).startswith(self.root + os.sep))
