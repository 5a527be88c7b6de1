"""The founding essay's history in the project's own git repository (kb_engine.gitdates)."""

from __future__ import annotations

import datetime as dt
import os

import pytest

import kb_engine.gitdates
from kb_engine.gitdates import PostDates, updated_dates
from sitebuild import PROJECT

SEED = "docs/blog/posts/good-customers-good-vendors.md"


def test_the_founding_essay_has_no_update_in_the_projects_own_history() -> None:
    """Its later commits only touched its front matter (a tag, its category): no "Updated" for readers."""
    repository = kb_engine.gitdates.find_repository(str(PROJECT))
    if repository is None or repository.shallow:
        pytest.skip("the project is not a git work tree with its whole history")
    essay = os.path.join(repository.toplevel, *SEED.split("/"))
    if not os.path.realpath(essay).startswith(repository.toplevel):
        pytest.skip("the project is not at the top of its repository")
    histories = kb_engine.gitdates.read_history(repository, os.path.join(repository.toplevel, "docs/blog/posts"))
    created = dt.datetime(2009, 4, 6, tzinfo=dt.UTC)
    assert histories[essay].commits == 1
    assert updated_dates([PostDates(essay, created, False)], histories) == {}
