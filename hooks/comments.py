"""Hook: readers' comments kept in git (comments/<post>/<id>.yml).

Loads and checks every comment file before the blog plugin runs, hands each
post page its thread through the page context (rendered by
overrides/partials/comments.html), puts the comments in the search index
and writes the comment feeds. The logic lives in kb_engine.comments.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority

from kb_engine import buildstate
from kb_engine.blogsource import posts_dir, project_dir
from kb_engine.comments import pages
from kb_engine.comments.build import COUNTS_STATE, STATE, CommentsBuild
from kb_engine.comments.model import load_comments
from kb_engine.comments.paths import comments_directory
from kb_engine.comments.settings import CommentSettings
from kb_engine.dates import style_of
from kb_engine.problems import format_problems
from kb_engine.rendering import make_environment
from kb_engine.settings import load_extra_section, site_url_problem

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    problem = site_url_problem(config)
    if problem:
        raise PluginError(problem)
    settings = load_extra_section(config, "comments", CommentSettings)
    buildstate.start(config, STATE, CommentsBuild(settings, make_environment(config), dates=style_of(config)))
    return config


@event_priority(40)  # after the post checks (50), before the blog plugin (-50)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    state = buildstate.get(config, STATE, CommentsBuild)
    sources = pages.post_sources((f.src_uri for f in files.documentation_pages()), posts_dir(config))
    root = Path(project_dir(config))
    comments, problems = load_comments(comments_directory(config), set(sources), root)
    if problems:
        raise PluginError(format_problems(problems))
    state.load(sources, comments)
    buildstate.start(config, COUNTS_STATE, state.counts())
    return files


def _show_comments(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Navigation) -> None:
    state = buildstate.get(config, STATE, CommentsBuild)
    pages.add_to_context(context, page, state)


@event_priority(-10)  # after the search plugin has indexed the page (0)
def _index_comments(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Navigation) -> None:
    pages.add_to_search(page, buildstate.get(config, STATE, CommentsBuild), config.plugins)


on_page_context = CombinedEvent(_show_comments, _index_comments)


def on_post_build(config: MkDocsConfig) -> None:
    pages.write_feeds(buildstate.get(config, STATE, CommentsBuild), config)


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
    folder = comments_directory(config)
    if folder.is_dir():
        server.watch(str(folder))
    return server
