"""Options of a command with subcommands, accepted before or after the subcommand.

argparse reads an option of the main parser only before the subcommand:
``dev.py outbox --queue DIR list`` works, ``dev.py outbox list --queue DIR``
fails with "unrecognized arguments". :func:`shared_options` adds each option
to the main parser (with its default) and to a parent parser that every
subcommand inherits, whose default is ``SUPPRESS``, so a subcommand sets the
value only when the option is typed after it.
"""

from __future__ import annotations

import argparse
from typing import Any


def shared_options(parser: argparse.ArgumentParser, *options: tuple[tuple[str, ...], dict[str, Any]]
                   ) -> argparse.ArgumentParser:
    """Add ``options`` (``(flags, add_argument keywords)``) to ``parser``; returns the subcommands' parent."""
    parent = argparse.ArgumentParser(add_help=False)
    for flags, keywords in options:
        parser.add_argument(*flags, **keywords)
        parent.add_argument(*flags, **{**keywords, "default": argparse.SUPPRESS})
    return parent
