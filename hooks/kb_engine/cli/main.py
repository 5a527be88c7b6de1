"""``kb-engine`` (``python -m kb_engine``): the engine's one command, with a subcommand per task.

Each subcommand is the ``main(argv)`` of its own module, imported only when
it runs (the intake's needs the ``intake`` extra), with its flags unchanged:
``kb-engine check --help`` is that module's help.
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass
from importlib import metadata

from kb_engine.cli.program import program

EXIT_USAGE = 2
DISTRIBUTION = "mkdocs-kb-engine"
# What the `intake` extra adds (pyproject.toml); a command that needs it names the extra.
INTAKE_EXTRA = {"flask", "waitress", "werkzeug"}


@dataclass(frozen=True)
class Command:
    module: str
    summary: str
    extra: str | None = None  # the optional dependencies it needs


COMMANDS: dict[str, Command] = {
    "new-site": Command("kb_engine.cli.new_site", "write a minimal new site into DIR"),
    "check": Command("kb_engine.cli.check", "check every post, author, comment and decision-tree file"),
    "new-post": Command("kb_engine.cli.new_post", 'start a blog post from a title ("Title"), as a draft'),
    "moderate": Command("kb_engine.moderation.cli", "moderate readers' comments (list, show, approve, ...)"),
    "intake": Command("kb_engine.intake.serve", "run the comment intake service", "intake"),
    "outbox": Command("kb_engine.intake.outbox", "what the intake has yet to deliver (list, retry)"),
    "import-wordpress": Command("kb_engine.cli.import_wordpress", "import a WordPress export (EXPORT.xml)"),
}
HELP = ("-h", "--help", "help")


def version() -> str:
    """The installed distribution's version (an editable install has one too)."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "(not installed)"


def usage() -> str:
    prog = program()
    width = max(len(name) for name in COMMANDS)
    lines = [f"usage: {prog} COMMAND [ARGS...]  |  {prog} --version", "",
             "The knowledge-base engine's commands; `COMMAND --help` lists each one's options.", "",
             "commands:"]
    lines += [f"  {name.ljust(width)}  {command.summary}" for name, command in COMMANDS.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] in HELP:
        print(usage())
        return 0
    if args and args[0] == "--version":
        print(f"{program()} {version()}")
        return 0
    if not args:
        print(usage(), file=sys.stderr)
        return EXIT_USAGE
    name, rest = args[0], args[1:]
    command = COMMANDS.get(name)
    if command is None:
        print(f"{program()}: error: unknown command {name!r} (known: {', '.join(COMMANDS)})", file=sys.stderr)
        return EXIT_USAGE
    try:
        module = importlib.import_module(command.module)
    except ModuleNotFoundError as error:
        if command.extra is None or (error.name or "").split(".")[0] not in INTAKE_EXTRA:
            raise
        print(f"{program()} {name}: error: needs the {command.extra!r} extra "
              f"(pip install 'mkdocs-kb-engine[{command.extra}]'); {error.name} is not installed",
              file=sys.stderr)
        return 1
    status = module.main(rest)
    return int(status or 0)


if __name__ == "__main__":
    raise SystemExit(main())
