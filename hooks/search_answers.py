"""Hook: search that answers a seller's question (the logic is in kb_engine.search).

Guides' front-matter questions (shown under the title and indexed), the
site's search vocabulary, knowledge pages ranked first and every
decision-tree step as a search entry, on Material's own search. Runs after
Material's search plugin has made this build's index (its on_config).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mkdocs.plugins import event_priority

from kb_engine import buildstate
from kb_engine.search import site
from kb_engine.search.site import STATE, SearchAnswers

if TYPE_CHECKING:
    import jinja2
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page


def _state(config: MkDocsConfig) -> SearchAnswers | None:
    return buildstate.get_optional(config, STATE, SearchAnswers)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    site.start(config)
    return config


def on_env(env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    state = _state(config)
    if state is not None:
        site.check_pages(config, files)
        site.add_steps(state, config, files)
    return env


def on_page_context(
    context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Navigation
) -> dict[str, Any]:
    state = _state(config)
    if state is not None:
        context["kb_answers"] = site.page_context(state, page)
    return context


# Before the search plugin (priority 0) writes search_index.json.
@event_priority(50)
def on_post_build(config: MkDocsConfig) -> None:
    state = _state(config)
    if state is not None:
        site.finish_index(state, config)
