"""The small fixed site the feed tests build (tests/feeds_fixture, with the engine's code)."""

from __future__ import annotations

import shutil
from pathlib import Path

FIXTURE = Path(__file__).resolve().parent / "feeds_fixture"
SITE_URL = "https://feeds.example.org/kb/"


def make_feeds_project(dest: Path) -> Path:
    """Copy the fixture site; returns its mkdocs.yml."""
    shutil.copytree(FIXTURE, dest)
    return dest / "mkdocs.yml"
