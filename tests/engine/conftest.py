"""Fixtures of the engine tests: the engine's own small site (tests/enginesite.py).

``engine_site`` is built once per test process with --strict, like
``real_site``; ``engine_project`` is a private copy for a test to change.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from enginesite import copy_engine_site
from sitebuild import Site, build_site


@pytest.fixture(scope="session")
def engine_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The engine's fixture site, built once per test process with --strict."""
    root = tmp_path_factory.mktemp("engine-site")
    return build_site(copy_engine_site(root / "project"), root / "site")


@pytest.fixture
def engine_project(tmp_path: Path) -> Path:
    """A private copy of the engine's fixture site to change; returns its mkdocs.yml."""
    return copy_engine_site(tmp_path / "project")
