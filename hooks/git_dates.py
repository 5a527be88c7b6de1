"""Hook: fill a post's ``date.updated`` from git history when its front matter has none.

Off unless ``extra.git_dates.enabled`` is true in mkdocs.yml. Runs after the
blog plugin has read the posts (its ``on_files`` runs at -50), with two git
processes per build in all; outside a git work tree it does nothing. In a
shallow clone the history is cut short, so the dates would be wrong: that is
a warning (and stops a ``--strict`` build).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from mkdocs.plugins import event_priority, get_plugin_logger

from kb_engine import buildstate
from kb_engine.blogsource import blog_posts, display_path, posts_dir
from kb_engine.gitdates import GitDatesSettings, PostDates, find_repository, read_history, updated_dates
from kb_engine.settings import load_extra_section

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files

log = get_plugin_logger("git_dates")


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    buildstate.start(config, "git_dates", load_extra_section(config, "git_dates", GitDatesSettings))
    return config


@event_priority(-100)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    if not buildstate.get(config, "git_dates", GitDatesSettings).enabled:
        return files
    folder = os.path.join(config.docs_dir, posts_dir(config))
    repository = find_repository(config.docs_dir)
    if repository is None:
        log.info("%s is not in a git work tree: no updated dates from git", display_path(config, folder))
        return files
    if repository.shallow:
        log.warning(
            "this git clone is shallow, so updated dates from git would be wrong and are left out; "
            "fetch the whole history (actions/checkout: fetch-depth: 0) or set extra.git_dates.enabled: false"
        )
        return files
    posts = {post.file.abs_src_path: post for post in blog_posts(config) if post.file.abs_src_path}
    known = [PostDates(path, p.config.date.created, "updated" in p.config.date) for path, p in posts.items()]
    dates = updated_dates(known, read_history(repository, folder))
    for path, updated in dates.items():
        posts[path].config.date["updated"] = updated
    return files
