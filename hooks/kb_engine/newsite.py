"""A new site, from the skeleton shipped in this package (``kb_engine/skeleton/``).

The skeleton is a real site, kept as files: a mkdocs.yml with every engine
plugin, a post with its excerpt marker and an approved comment, a guide, a
decision tree citing the guide, an About page, a feeds page and a README.
:func:`skeleton_files` reads it; :func:`refusal` says why a folder cannot
take it; :func:`write_site` writes it, inside that folder only.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath

SKELETON = "skeleton"
_SKIPPED = {"__pycache__"}


def skeleton_files() -> dict[str, bytes]:
    """Every file of the skeleton: its path (``docs/index.md``) and its bytes, sorted by path."""
    found: dict[str, bytes] = {}

    def walk(folder: Traversable, prefix: PurePosixPath) -> None:
        for entry in folder.iterdir():
            if entry.name in _SKIPPED:
                continue
            if entry.is_dir():
                walk(entry, prefix / entry.name)
            else:
                found[str(prefix / entry.name)] = entry.read_bytes()

    walk(files("kb_engine").joinpath(SKELETON), PurePosixPath())
    return dict(sorted(found.items()))


def refusal(dest: Path, shown: str) -> str | None:
    """Why ``dest`` cannot take a new site (one line naming it as ``shown``), or None."""
    if dest.is_symlink() and not dest.exists():
        return f"{shown}: a broken symbolic link; give a new or empty folder"
    if dest.exists():
        if not dest.is_dir():
            return f"{shown}: exists and is not a folder; give a new or empty folder"
        if any(dest.iterdir()):
            return f"{shown}: exists and is not empty; give a new or empty folder"
        return None
    if not dest.parent.is_dir():
        return f"{shown}: the folder {dest.parent} does not exist; create it first"
    return None


def write_site(dest: Path, skeleton: dict[str, bytes]) -> list[Path]:
    """Write ``skeleton`` under ``dest`` (made if missing, never its parents); returns the files written."""
    dest.mkdir(exist_ok=True)
    root = dest.resolve()
    written: list[Path] = []
    for relative, data in skeleton.items():
        target = root.joinpath(*PurePosixPath(relative).parts)
        if not target.resolve().is_relative_to(root):  # a skeleton path never leaves the folder
            raise ValueError(f"skeleton path {relative!r} leaves the new site's folder")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(target)
    return written
