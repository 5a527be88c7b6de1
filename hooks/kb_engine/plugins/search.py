"""``kb-search``: search that answers a seller's question (kb_engine.search).

Each page's questions and related terms indexed, the vocabulary applied,
guides and tree steps ranked above posts; see kb_engine.search.site.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kb_engine import buildstate
from kb_engine.plugins.base import FeaturePlugin, start
from kb_engine.plugins.order import ordered
from kb_engine.search import site
from kb_engine.search.settings import SearchSettings
from kb_engine.search.site import STATE, SearchAnswers

if TYPE_CHECKING:
    import jinja2
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page


def _state(config: MkDocsConfig) -> SearchAnswers | None:
    return buildstate.get_optional(config, STATE, SearchAnswers)


class SearchPlugin(FeaturePlugin[SearchSettings]):  # type: ignore[no-untyped-call]  # MkDocs leaves BasePlugin untyped
    name = "kb-search"

    @ordered("config", "kb-search")
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        start(config)
        site.start(config)
        return config

    @ordered("env", "kb-search")
    def on_env(self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        state = _state(config)
        if state is not None:
            site.check_pages(config, files)
            site.add_steps(state, config, files)
        return env

    @ordered("page_context", "kb-search")
    def on_page_context(
        self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> Any:
        state = _state(config)
        if state is not None:
            context["kb_answers"] = site.page_context(state, page)
        return context

    @ordered("post_build", "kb-search")
    def on_post_build(self, config: MkDocsConfig) -> None:
        state = _state(config)
        if state is not None:
            site.finish_index(state, config)
