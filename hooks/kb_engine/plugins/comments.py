"""``kb-comments``: readers' comments kept in git (``<directory>/<post>/<id>.yml``).

Loads and checks every comment file before the blog plugin runs, hands each
post page its thread through the page context (rendered by
partials/comments.html), puts the comments in the search index and writes
the comment feeds. The logic lives in kb_engine.comments.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent

from kb_engine import buildstate
from kb_engine.blogsource import posts_dir, project_dir
from kb_engine.comments import pages
from kb_engine.comments.build import COUNTS_STATE, STATE, CommentsBuild
from kb_engine.comments.model import KeptParses, load_comments
from kb_engine.comments.settings import CommentSettings
from kb_engine.core.dates import style_of
from kb_engine.core.paths import comments_directory
from kb_engine.core.settings import site_url_problem
from kb_engine.kept import this_build
from kb_engine.plugins.base import FeaturePlugin, start
from kb_engine.plugins.order import ordered
from kb_engine.problems import format_problems
from kb_engine.rendering import make_environment

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page


class CommentsPlugin(FeaturePlugin[CommentSettings]):  # type: ignore[no-untyped-call]  # MkDocs leaves BasePlugin untyped
    name = "kb-comments"
    # Comment files' parses, kept from one build to the next: MkDocs keeps
    # plugin instances across `mkdocs serve` rebuilds, so a rebuild parses only
    # the files that are new or changed (kb_engine.comments.model.KeptParses).
    # None with kb-speed's `enabled: false`.
    kept: KeptParses | None = None

    @ordered("startup", "kb-comments")
    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Nothing to do; having this event makes MkDocs keep the plugin (and ``kept``) across rebuilds."""

    @ordered("config", "kb-comments")
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        start(config)
        problem = site_url_problem(config)
        if problem:
            raise PluginError(problem)
        build = CommentsBuild(self.config, make_environment(config), dates=style_of(config))
        buildstate.start(config, STATE, build)
        self.kept = this_build(self.kept, KeptParses, config)
        return config

    @ordered("files", "kb-comments")
    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        state = buildstate.get(config, STATE, CommentsBuild)
        sources = pages.post_sources((f.src_uri for f in files.documentation_pages()), posts_dir(config))
        root = Path(project_dir(config))
        comments, problems = load_comments(comments_directory(config), set(sources), root, self.kept)
        if problems:
            raise PluginError(format_problems(problems))
        state.load(sources, comments)
        buildstate.start(config, COUNTS_STATE, state.counts())
        return files

    @ordered("page_context", "kb-comments.show")
    def _show_comments(self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> None:
        pages.add_to_context(context, page, buildstate.get(config, STATE, CommentsBuild))

    @ordered("page_context", "kb-comments.index")
    def _index_comments(self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> None:
        pages.add_to_search(page, buildstate.get(config, STATE, CommentsBuild), config.plugins)

    on_page_context = CombinedEvent(_show_comments, _index_comments)

    @ordered("post_build", "kb-comments")
    def on_post_build(self, config: MkDocsConfig) -> None:
        pages.write_feeds(buildstate.get(config, STATE, CommentsBuild), config)

    @ordered("serve", "kb-comments")
    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        folder = comments_directory(config)
        if folder.is_dir():
            server.watch(str(folder))
        return server
