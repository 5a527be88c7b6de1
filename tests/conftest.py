from __future__ import annotations

import os
from pathlib import Path

import pytest

from sitebuild import Site, build_site, copy_project

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite tests/golden/ files from the current output instead of comparing",
    )


@pytest.fixture(scope="session")
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The project's own site, built once per test process with --strict."""
    root = tmp_path_factory.mktemp("real-site")
    config_file = copy_project(root / "project")
    return build_site(config_file, root / "site")


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A private copy of the project to change; returns its mkdocs.yml."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def comments_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The project with a comment thread on the source post and a post holding the XSS corpus."""
    from commentfixtures import SITE_FEED_ITEMS, add_corpus, add_thread, set_site_feed_items

    root = tmp_path_factory.mktemp("comments-site")
    config_file = copy_project(root / "project")
    add_thread(config_file.parent)
    add_corpus(config_file.parent)
    set_site_feed_items(config_file, SITE_FEED_ITEMS)
    return build_site(config_file, root / "site")
