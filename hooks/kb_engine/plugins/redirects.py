"""``kb-redirects``: old addresses kept working (pages' ``redirect_from``, the redirects table)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError

from kb_engine import buildstate
from kb_engine.plugins.base import FeaturePlugin, start
from kb_engine.plugins.order import ordered
from kb_engine.problems import format_problems
from kb_engine.redirects.settings import RedirectSettings
from kb_engine.redirects.site import RedirectsBuild, collect_page, load_table, write_redirects
from kb_engine.rendering import make_environment

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

STATE = "redirects"


class RedirectsPlugin(FeaturePlugin[RedirectSettings]):  # type: ignore[no-untyped-call]  # MkDocs leaves BasePlugin untyped
    name = "kb-redirects"

    @ordered("config", "kb-redirects")
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        start(config)
        table, problems = load_table(self.config, config.config_file_path)
        if problems:
            raise PluginError(format_problems(problems))
        buildstate.start(config, STATE, RedirectsBuild(self.config, make_environment(config), table=table))
        return config

    @ordered("files", "kb-redirects")
    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        buildstate.get(config, STATE, RedirectsBuild).files = files
        return files

    @ordered("page_markdown", "kb-redirects")
    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        problems = collect_page(buildstate.get(config, STATE, RedirectsBuild), page, config)
        if problems:
            raise PluginError(format_problems(problems))
        return markdown

    @ordered("post_build", "kb-redirects")
    def on_post_build(self, config: MkDocsConfig) -> None:
        problems = write_redirects(buildstate.get(config, STATE, RedirectsBuild), config)
        if problems:
            raise PluginError(format_problems(problems))
