"""``python -m kb_engine.cli.configcheck [mkdocs.yml]``: what would stop MkDocs reading it with a traceback.

MkDocs reads ``mkdocs.yml`` before any plugin runs, so no plugin can turn a
control character, a huge number or deep nesting there into a clean error.
``dev.py build`` runs this first: one line naming the file and line, exit
status 1; nothing printed and 0 when MkDocs can read it.
"""

from __future__ import annotations

import sys

from kb_engine.project import config_file_problem


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    config_file = args[0] if args else "mkdocs.yml"
    problem = config_file_problem(config_file, config_file)
    if problem is None:
        return 0
    print(problem, file=sys.stderr, flush=True)
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
