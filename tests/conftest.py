from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest
from playwright.sync_api import Browser

from served import ServedSite, serve
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


@pytest.fixture(scope="session")
def overrides_env() -> jinja2.Environment:
    """The engine's template environment (kb_engine.rendering): the site's overrides/, then the engine's templates."""
    from kb_engine.rendering import environment_for
    from kb_engine.theme import TEMPLATES
    from sitebuild import PROJECT

    return environment_for([PROJECT / "overrides", TEMPLATES])


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A private copy of the project to change; returns its mkdocs.yml."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def served_site(real_site: Site) -> Iterator[ServedSite]:
    """``real_site`` served over HTTP on 127.0.0.1 (missing paths get 404.html)."""
    with serve(real_site.site_dir) as served:
        yield served


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


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium through Playwright, one per test process, shared by every browser test.

    One process cannot run two sync Playwright sessions at once, so browser
    tests take this fixture rather than starting their own.
    """
    from playwright.sync_api import sync_playwright

    from browser_support import CHROMIUM_ARGS

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=os.environ.get("KB_CHROMIUM", "/usr/bin/chromium"), args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
