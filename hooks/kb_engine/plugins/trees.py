"""``kb-trees``: a page for every decision tree (``<folder>/<id>.yml``), and the pages it cites linked back.

See kb_engine.trees.site for what each event does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError

from kb_engine import buildstate
from kb_engine.core.paths import trees_folder
from kb_engine.plugins.base import FeaturePlugin, start
from kb_engine.plugins.order import ordered
from kb_engine.problems import format_problems
from kb_engine.rendering import make_environment
from kb_engine.trees.settings import TreesSettings
from kb_engine.trees.site import STATE, TreeBuild, collect, fill_digest, fill_page, finish, redo_after_events

if TYPE_CHECKING:
    from typing import Any

    import jinja2
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page


class TreesPlugin(FeaturePlugin[TreesSettings]):  # type: ignore[no-untyped-call]  # MkDocs leaves BasePlugin untyped
    name = "kb-trees"

    @ordered("config", "kb-trees")
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        start(config)
        env, folder = make_environment(config), trees_folder(config)
        buildstate.start(config, STATE, TreeBuild(env=env, site_url=config.site_url or "", folder=folder))
        return config

    @ordered("files", "kb-trees")
    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        state = buildstate.get(config, STATE, TreeBuild)
        state.trees, state.embeds, problems = collect(files, config, state.folder)
        if problems:
            raise PluginError(format_problems(problems))
        return files

    @ordered("env", "kb-trees")
    def on_env(self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        problems = finish(buildstate.get(config, STATE, TreeBuild), files)
        if problems:
            raise PluginError(format_problems(problems))
        return env

    @ordered("page_context", "kb-trees")
    def on_page_context(
        self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> Any:
        context["kb_tree_fill"] = fill_digest(buildstate.get(config, STATE, TreeBuild), page.file.src_uri)
        return context

    # After the search plugin has read the page (on_page_context): see kb_engine.trees.site.finish.
    @ordered("post_page", "kb-trees")
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        return fill_page(buildstate.get(config, STATE, TreeBuild), page.file.src_uri, output)

    def kb_redo_after_events(self, page: Page, html: str, config: MkDocsConfig) -> str | None:
        """For a page shown on its own (compat.incremental.quick): what on_env adds to it, added again."""
        return redo_after_events(buildstate.get(config, STATE, TreeBuild), page.file.src_uri, page, html)
