"""How a command names itself in its usage and messages.

The console script is ``kb-engine`` (``python -m kb_engine``); ``dev.py``
runs the same commands and sets ``KB_ENGINE_PROG=python3 dev.py``, so that
``python3 dev.py check --help`` prints ``usage: python3 dev.py check``.
"""

from __future__ import annotations

import os

PROG_ENV = "KB_ENGINE_PROG"
DEFAULT_PROG = "kb-engine"


def program() -> str:
    """The command's name as typed: ``kb-engine``, or what ``KB_ENGINE_PROG`` says."""
    return os.environ.get(PROG_ENV, "").strip() or DEFAULT_PROG


def command_prog(command: str) -> str:
    """A subcommand's name as typed, for argparse's ``prog``: ``kb-engine check``."""
    return f"{program()} {command}"
