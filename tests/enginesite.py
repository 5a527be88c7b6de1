"""Sites of the engine's own, for engine tests: never this site's content.

- The fixture site (tests/engine/sites/basic): a small site engine tests
  build, so a change to the project's posts, guides or tree cannot break
  them, and they show what a second site using the engine gets. Its pages,
  named here once, are what the tests' expectations refer to.
  :func:`copy_engine_site_with_posts` adds generated posts (and guides,
  comments, a tree) by its authors, for tests that need many.
- :func:`make_site` writes the site ``kb-engine new-site`` writes (the
  package's skeleton) into a folder, in-process; a test changes what it needs
  there and builds it with :func:`sitebuild.build_site`. :func:`kb_engine`
  runs the ``kb-engine`` command as a user types it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from kb_engine.newsite import skeleton_files, write_site

ENGINE_SITE = Path(__file__).resolve().parent / "engine" / "sites" / "basic"
SITE_URL = "https://bread.example.org/"

# The post with a comment thread (four approved comments, a reply chain of three).
THREAD_POST = "feeding-a-starter"
THREAD_URL = "blog/2026/03/02/feeding-a-starter/"
THREAD_IDS = ("20260303-aa000001", "20260303-aa000002", "20260303-aa000003", "20260304-bb000001")
# The post with a code block, an updated date and a redirect_from.
CODE_POST = "first-batard"
CODE_URL = "blog/2026/04/10/first-batard/"
# The newest post, by both authors.
NEWEST_URL = "blog/2026/05/01/oven-spring/"
# The post ``engine_comments_site`` adds commentfixtures.THREAD to (and the
# author and category of its XSS corpus post).
COMMENTS_POST = CODE_POST
COMMENTS_URL = CODE_URL
CORPUS_AUTHOR = "ada-baker"
CORPUS_CATEGORY = "Starters"
# The draft, never published.
DRAFT_POST = "rye-notes"
GUIDE_URL = "guides/starter/"
TREE_URL = "decisions/which-loaf/"
# Every published post, newest first.
POST_URLS = (NEWEST_URL, CODE_URL, THREAD_URL)
# Its authors and blog categories, for posts a test writes or generates.
AUTHORS = ("ada-baker", "ben-miller")
CATEGORIES = ("Starters", "Shaping")


# The site every speed-up has work to do on (tests/engine/test_compat.py).
SPEED_SITE = Path(__file__).resolve().parent / "engine" / "sites" / "speed"


def copy_speed_site(dest: Path, *, speed: bool = True) -> Path:
    """Copy the speed fixture site into ``dest``; returns its mkdocs.yml.

    ``speed=False``: the site with kb-speed's ``enabled: false``.
    """
    shutil.copytree(SPEED_SITE, dest)
    config_file = dest / "mkdocs.yml"
    if not speed:
        text = config_file.read_text(encoding="utf-8")
        assert text.count("  - kb-speed\n") == 1
        config_file.write_text(text.replace("  - kb-speed\n", "  - kb-speed:\n      enabled: false\n"),
                               encoding="utf-8")
    return config_file


def copy_engine_site(dest: Path) -> Path:
    """Copy the fixture site into ``dest``; returns its mkdocs.yml."""
    shutil.copytree(ENGINE_SITE, dest, ignore=shutil.ignore_patterns("__pycache__", ".cache", "site"))
    return dest / "mkdocs.yml"


# Markdown extensions the fixture site lacks and generated posts (their footnotes) and tests'
# posts use: the ones that keep state between conversions, which the speed-ups must handle.
MORE_EXTENSIONS = """\
  - abbr
  - def_list
  - footnotes
  - pymdownx.details
  - pymdownx.tabbed:
      alternate_style: true
"""


def copy_engine_site_with_posts(dest: Path, n_posts: int, **content: Any) -> Path:
    """The fixture site with :data:`MORE_EXTENSIONS` and ``n_posts`` generated posts by its
    authors in its categories, with their guides, comments and tree (benchmarks/synthetic.py
    ``write_content``, given ``content``); returns its mkdocs.yml."""
    benchmarks = str(Path(__file__).resolve().parents[1] / "benchmarks")
    if benchmarks not in sys.path:
        sys.path.insert(0, benchmarks)
    import synthetic

    config_file = copy_engine_site(dest)
    text = config_file.read_text(encoding="utf-8")
    assert text.count("\nmarkdown_extensions:\n") == 1
    config_file.write_text(text.replace("\nmarkdown_extensions:\n", "\nmarkdown_extensions:\n" + MORE_EXTENSIONS),
                           encoding="utf-8")
    synthetic.write_content(dest, n_posts, authors=AUTHORS, categories=CATEGORIES, **content)
    return config_file


def make_site(dest: Path) -> Path:
    """Write a new site into ``dest`` (new or empty); returns its mkdocs.yml."""
    write_site(dest, skeleton_files())
    return dest / "mkdocs.yml"


def kb_engine(*args: str, cwd: Path, prog: str | None = None) -> subprocess.CompletedProcess[str]:
    """``kb-engine ARGS`` in ``cwd``, as typed (``python -m kb_engine`` is the same entry point);
    with ``prog``, named as dev.py names it (kb_engine.cli.program)."""
    env = {k: v for k, v in os.environ.items() if k != "KB_ENGINE_PROG"}
    if prog is not None:
        env["KB_ENGINE_PROG"] = prog
    return subprocess.run([sys.executable, "-m", "kb_engine", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, check=False, timeout=300)
