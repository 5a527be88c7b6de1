"""The WordPress import as a user runs it, for the tests: the command, the check, what it wrote."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from sitebuild import TEST_DATA

DATA = TEST_DATA / "wordpress"
EXPORT = DATA / "blog-1.2.xml"
KEY = "wordpress-import-test-key-0123456789"
POSTS = "docs/blog/posts"


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_import(config: Path, *args: str, export: Path = EXPORT) -> Run:
    """The command as a user runs it, in its own process.

    (MkDocs keeps plugin instances for the whole process, and the blog plugin
    removes its temporary folder when a command ends, so two commands cannot
    share one process.)
    """
    result = subprocess.run(
        [sys.executable, "-m", "kb_engine.cli.import_wordpress", str(export), "-f", str(config), *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    return Run(result.returncode, result.stdout, result.stderr)


def run_check(config: Path) -> Run:
    result = subprocess.run(
        [sys.executable, "-m", "kb_engine.cli.check", "-f", str(config)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    return Run(result.returncode, result.stdout, result.stderr)


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def front_matter(path: Path) -> dict[str, object]:
    data = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    assert isinstance(data, dict)
    return data
