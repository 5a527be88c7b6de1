"""Sites of the engine's own, for engine tests: never this site's content.

:func:`make_site` writes the site ``kb-engine new-site`` writes (the package's
skeleton) into a folder, in-process; a test changes what it needs there and
builds it with :func:`sitebuild.build_site`. :func:`kb_engine` runs the
``kb-engine`` command as a user types it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from kb_engine.newsite import skeleton_files, write_site


def make_site(dest: Path) -> Path:
    """Write a new site into ``dest`` (new or empty); returns its mkdocs.yml."""
    write_site(dest, skeleton_files())
    return dest / "mkdocs.yml"


def kb_engine(*args: str, cwd: Path, prog: str | None = None) -> subprocess.CompletedProcess[str]:
    """``kb-engine ARGS`` in ``cwd``, as typed (``python -m kb_engine`` is the same entry point);
    with ``prog``, named as dev.py names it (kb_engine.cli.program)."""
    env = {k: v for k, v in os.environ.items() if k != "KB_ENGINE_PROG"}
    if prog is not None:
        env["KB_ENGINE_PROG"] = prog
    return subprocess.run([sys.executable, "-m", "kb_engine", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, check=False, timeout=300)
