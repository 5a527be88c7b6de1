"""The engine's layers, read from every module's imports (ast), not from what a test happens to load.

- ``kb_engine.core`` is the bottom: paths, ids, URL rules, settings readers,
  the posts manifest, the date style, atomic writes. It imports nothing of
  the engine but itself and two leaf helpers (``problems``, ``yamlfile``).
- The intake depends on the core and on the comment rules every gate applies to
  a comment's fields (``comments.rules``, ``identity``, ``sanitize``,
  ``readerview``), never on the build: everything it imports, followed all the
  way down, stays inside that list.
- Only three parts may import the intake: moderation (``moderate`` works on
  the intake's queue: its entries, its key, its file writer), the commands
  (``cli``: they start it), and the preview, which runs the intake in-process
  on purpose so that ``serve`` has a working comment form. Nothing the build,
  ``check`` or the WordPress import loads reaches the intake, moderation or
  the preview, however indirectly.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "hooks"
PACKAGE = "kb_engine"


@cache
def modules() -> dict[str, Path]:
    """Every module of the package by its dotted name (a package by its own name)."""
    found: dict[str, Path] = {}
    for path in sorted((ROOT / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _with_parents(name: str) -> Iterable[str]:
    """``a.b.c`` and the packages importing it runs: ``a``, ``a.b``."""
    parts = name.split(".")
    for end in range(1, len(parts) + 1):
        yield ".".join(parts[:end])


@cache
def imports(module: str) -> frozenset[str]:
    """The engine's modules ``module`` imports (anywhere in it, inside functions too), with their packages."""
    known = modules()
    tree = ast.parse(known[module].read_text(encoding="utf-8"))
    named: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            named.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            named.add(node.module)
            named.update(f"{node.module}.{alias.name}" for alias in node.names)
    found = {parent for name in named if name in known for parent in _with_parents(name)}
    return frozenset(found - {module})


@cache
def reached(module: str) -> frozenset[str]:
    """Everything importing ``module`` loads, followed all the way down."""
    seen: set[str] = set()
    todo = [module]
    while todo:
        for name in imports(todo.pop()):
            if name not in seen:
                seen.add(name)
                todo.append(name)
    return frozenset(seen - {module})


def under(name: str, *packages: str) -> bool:
    """``name`` is one of ``packages`` or inside one (the engine's own package names only itself)."""
    return any(name == p or (p != PACKAGE and name.startswith(p + ".")) for p in packages)


def engine(*names: str) -> tuple[str, ...]:
    return tuple(f"{PACKAGE}.{name}" if name else PACKAGE for name in names)


CORE = engine("core")
LEAVES = engine("", "problems", "yamlfile")  # no imports of the engine but each other
INTAKE = engine("intake")
# The intake's world: the core, and the comment rules every gate applies to a comment's fields.
INTAKE_MAY_REACH = (*INTAKE, *CORE, *LEAVES, *engine(
    "comments",  # the package itself: a docstring
    "comments.rules", "comments.identity", "comments.sanitize", "comments.readerview",
    "cli", "cli.anywhere",  # argparse options before or after a subcommand (no imports), for `outbox`
))
# Who may import the intake, and why (see the module docstring).
INTAKE_USERS = engine("moderation", "cli", "preview", "__main__")  # __main__: `python -m kb_engine`, the commands
OPERATOR_SIDE = (*INTAKE, *INTAKE_USERS)


def test_the_graph_is_read() -> None:
    """The rules below would pass on nothing: make sure the reader sees what is there."""
    assert "kb_engine.core.paths" in modules() and "kb_engine.intake.app" in modules()
    assert "kb_engine.core.manifest" in imports("kb_engine.intake.app")
    assert "kb_engine.core.atomic" in imports("kb_engine.plugins.reply")
    assert "kb_engine.comments.rules" in reached("kb_engine.intake.app")
    assert "kb_engine.intake.app" in reached("kb_engine.preview.intake")  # imported inside a function


def test_the_core_imports_nothing_above_it() -> None:
    wrong = {
        module: sorted(name for name in reached(module) if not under(name, *CORE, *LEAVES))
        for module in modules()
        if under(module, *CORE, *LEAVES)
    }
    assert {module: names for module, names in wrong.items() if names} == {}


def test_the_intake_reaches_only_the_core_and_the_comment_rules() -> None:
    wrong = {
        module: sorted(name for name in reached(module) if not under(name, *INTAKE_MAY_REACH) or
                       name in engine("comments.build", "comments.pages"))
        for module in modules()
        if under(module, *INTAKE)
    }
    assert {module: names for module, names in wrong.items() if names} == {}


def test_only_moderation_the_commands_and_the_preview_import_the_intake() -> None:
    wrong = {
        module: sorted(name for name in imports(module) if under(name, *INTAKE))
        for module in modules()
        if not under(module, *OPERATOR_SIDE)
    }
    assert {module: names for module, names in wrong.items() if names} == {}


def test_the_build_check_and_import_never_reach_the_operator_side() -> None:
    """Plugins, features, ``check`` and the WordPress import load no intake, moderation, preview, command."""
    wrong = {
        module: sorted(name for name in reached(module) if under(name, *OPERATOR_SIDE) and name not in LEAVES)
        for module in modules()
        if not under(module, *OPERATOR_SIDE)
    }
    assert {module: names for module, names in wrong.items() if names} == {}
