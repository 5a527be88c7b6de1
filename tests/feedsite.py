"""The small fixed site the feed tests build (tests/feeds_fixture plus the project's code)."""

from __future__ import annotations

import shutil
from pathlib import Path

from sitebuild import PROJECT

FIXTURE = Path(__file__).resolve().parent / "feeds_fixture"
SITE_URL = "https://feeds.example.org/kb/"
FIXTURE_PARTS = ("docs/feeds.md", "docs/blog/.authors.yml", "docs/assets/authors")


def make_feeds_project(dest: Path) -> Path:
    """Copy the fixture site and the project's feeds page and authors; returns mkdocs.yml."""
    shutil.copytree(FIXTURE, dest)
    for part in FIXTURE_PARTS:
        source = PROJECT / part
        if source.is_dir():
            shutil.copytree(source, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            (dest / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / part)
    return dest / "mkdocs.yml"
