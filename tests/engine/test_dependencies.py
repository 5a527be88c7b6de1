"""Every package the engine imports is declared in pyproject.toml, pinned exactly, and locked."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ROOT / "hooks" / "kb_engine"
# Imported only for type checking (under TYPE_CHECKING), never at run time.
TYPING_ONLY = {"_typeshed"}


def imported_top_level_names() -> dict[str, set[str]]:
    """Each third-party top-level module the engine imports, with the engine modules importing it."""
    found: dict[str, set[str]] = {}
    for path in ENGINE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top != "kb_engine" and top not in TYPING_ONLY:
                    found.setdefault(top, set()).add(path.relative_to(ENGINE).as_posix())
    return found


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> dict[str, str]:
    """Declared distribution -> its requirement, the base dependencies and the intake's."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = [*project["dependencies"], *project["optional-dependencies"]["intake"]]
    return {normalized(re.split(r"[=<>!~\[ ;]", r, maxsplit=1)[0]): r for r in requirements}


def test_every_imported_package_is_declared_and_pinned() -> None:
    distributions = packages_distributions()
    pins = declared()
    missing = []
    for module, importers in sorted(imported_top_level_names().items()):
        names = [normalized(d) for d in distributions.get(module, [])]
        assert names, f"{module} (imported by {sorted(importers)}) is not installed"
        if not any(name in pins for name in names):
            missing.append(f"{module} ({', '.join(names)}), imported by {sorted(importers)[0]}")
    assert missing == [], "imported but not declared in pyproject.toml: " + "; ".join(missing)
    loose = [r for r in pins.values() if "==" not in r]
    assert loose == [], f"not pinned exactly: {loose}"


def test_every_declared_pin_is_the_locked_version() -> None:
    locked: dict[str, str] = {}
    for lock in ("site.txt", "intake.txt", "test.txt"):
        for line in (ROOT / "requirements" / lock).read_text(encoding="utf-8").splitlines():
            if "==" in line and not line.startswith("#"):
                name, version = line.split("==", 1)
                locked[normalized(name)] = version.strip()
    for name, requirement in declared().items():
        if name == "mkdocs-kb-engine":
            continue
        assert locked.get(name) == requirement.split("==", 1)[1], f"{requirement} is not what requirements/ lock"
