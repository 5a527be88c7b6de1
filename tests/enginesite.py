"""Sites of the engine's own, for engine tests: never this site's content.

- The fixture site (tests/engine/sites/basic): a small site engine tests
  build, so a change to the project's posts, guides or tree cannot break
  them, and they show what a second site using the engine gets. Its pages,
  named here once, are what the tests' expectations refer to.
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


def copy_engine_site(dest: Path) -> Path:
    """Copy the fixture site into ``dest``; returns its mkdocs.yml."""
    shutil.copytree(ENGINE_SITE, dest, ignore=shutil.ignore_patterns("__pycache__", ".cache", "site"))
    return dest / "mkdocs.yml"


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
