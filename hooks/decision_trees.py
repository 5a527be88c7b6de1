"""Hook: decision trees from docs/decisions/<id>.yml, generated into pages.

Each tree file becomes a page at decisions/<id>/ (Markdown made in memory,
filled from templates in overrides/partials/kb/) and a JSON copy at
decisions/<id>.json, linked from the page's text (not from its head: Material
takes every <link rel="alternate"> for a language version and fetches a
sitemap.xml beside it; see kb_engine.feeds.paths); the YAML itself is not published. A page may place a
tree's walk with a `<!-- kb:tree ID -->` line. Pages the trees cite
get an "In the decision tree" box linking back. The logic is in kb_engine.trees.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from kb_engine import buildstate
from kb_engine.problems import format_problems
from kb_engine.rendering import make_environment
from kb_engine.trees.site import TreeBuild, collect, fill_digest, fill_page, finish, redo_after_events

if TYPE_CHECKING:
    from typing import Any

    import jinja2
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

STATE = "decision_trees"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    buildstate.start(config, STATE, TreeBuild(env=make_environment(config), site_url=config.site_url or ""))
    return config


# After the blog plugin (-50) has settled which posts are published, and
# before the navigation is built from the files.
@event_priority(-60)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    state = buildstate.get(config, STATE, TreeBuild)
    state.trees, state.embeds, problems = collect(files, config)
    if problems:
        raise PluginError(format_problems(problems))
    return files


# on_env runs once every page's Markdown is rendered: cited anchors are known.
def on_env(env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    problems = finish(buildstate.get(config, STATE, TreeBuild), files)
    if problems:
        raise PluginError(format_problems(problems))
    return env


def on_page_context(
    context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Navigation
) -> dict[str, Any]:
    context["kb_tree_fill"] = fill_digest(buildstate.get(config, STATE, TreeBuild), page.file.src_uri)
    return context


# After the search plugin has read the page (on_page_context): see kb_engine.trees.site.finish.
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return fill_page(buildstate.get(config, STATE, TreeBuild), page.file.src_uri, output)


def kb_redo_after_events(page: Page, html: str, config: MkDocsConfig) -> str | None:
    """For a page shown on its own (kb_engine.incremental.quick): what on_env adds to it, added again."""
    return redo_after_events(buildstate.get(config, STATE, TreeBuild), page.file.src_uri, page, html)
