"""``kb-git-dates``: a post's "Updated" date, when its front matter sets none, from git (kb_engine.gitdates)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from mkdocs.plugins import get_plugin_logger

from kb_engine.blogsource import blog_posts, display_path, posts_dir
from kb_engine.gitdates import GitDatesSettings, PostDates, find_repository, read_history, updated_dates
from kb_engine.plugins.base import FeaturePlugin, start
from kb_engine.plugins.order import ordered

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files

log = get_plugin_logger("kb-git-dates")


class GitDatesPlugin(FeaturePlugin[GitDatesSettings]):  # type: ignore[no-untyped-call]  # MkDocs leaves BasePlugin untyped
    name = "kb-git-dates"

    @ordered("config", "kb-git-dates")
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        start(config)
        return config

    @ordered("files", "kb-git-dates")
    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        if not self.config.enabled:
            return files
        folder = os.path.join(config.docs_dir, posts_dir(config))
        repository = find_repository(config.docs_dir)
        if repository is None:
            log.info("%s is not in a git work tree: no updated dates from git", display_path(config, folder))
            return files
        if repository.shallow:
            log.warning(
                "this git clone is shallow, so updated dates from git would be wrong and are left out; "
                "fetch the whole history (actions/checkout: fetch-depth: 0) or set "
                "plugins.kb-git-dates.enabled: false"
            )
            return files
        posts = {post.file.abs_src_path: post for post in blog_posts(config) if post.file.abs_src_path}
        known = [PostDates(path, p.config.date.created, "updated" in p.config.date) for path, p in posts.items()]
        dates = updated_dates(known, read_history(repository, folder))
        for path, updated in dates.items():
            posts[path].config.date["updated"] = updated
        return files
