"""Fixtures of the engine tests: the engine's own small site (tests/enginesite.py).

``engine_site`` is built once per test process with --strict, like the
site tests' own site; ``engine_project`` is a private copy for a test to change;
``engine_comments_site`` adds the comment fixtures (tests/commentfixtures.py):
the thread on ``COMMENTS_POST`` and the post holding the XSS corpus, and
publishes no reply form (no ``intake_url``), so that a post's comment
section holds the comments alone. ``overrides_env`` is, for engine tests,
the engine's templates alone (no site's ``overrides/``).
"""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from enginesite import COMMENTS_POST, CORPUS_AUTHOR, CORPUS_CATEGORY, copy_engine_site
from sitebuild import Site, build_site, set_plugin_options


@pytest.fixture(scope="session")
def engine_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The engine's fixture site, built once per test process with --strict."""
    root = tmp_path_factory.mktemp("engine-site")
    return build_site(copy_engine_site(root / "project"), root / "site")


@pytest.fixture
def engine_project(tmp_path: Path) -> Path:
    """A private copy of the engine's fixture site to change; returns its mkdocs.yml."""
    return copy_engine_site(tmp_path / "project")


@pytest.fixture(scope="session")
def engine_comments_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The fixture site with a comment thread on ``COMMENTS_POST``, a post holding the XSS corpus, no reply form."""
    from commentfixtures import SITE_FEED_ITEMS, add_corpus, add_thread, set_site_feed_items

    root = tmp_path_factory.mktemp("engine-comments-site")
    config_file = copy_engine_site(root / "project")
    add_thread(config_file.parent, COMMENTS_POST)
    add_corpus(config_file.parent, CORPUS_AUTHOR, CORPUS_CATEGORY)
    set_site_feed_items(config_file, SITE_FEED_ITEMS)
    set_plugin_options(config_file, "kb-reply", intake_url=None)
    return build_site(config_file, root / "site")


@pytest.fixture(scope="session")
def overrides_env() -> jinja2.Environment:
    """The engine's template environment (kb_engine.rendering) with no site's overrides."""
    from kb_engine.rendering import environment_for
    from kb_engine.theme import TEMPLATES

    return environment_for([TEMPLATES])
