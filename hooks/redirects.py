"""Hook: static redirect pages from pages' old addresses (``redirect_from`` in front matter).

Each page that lists old addresses (as the WordPress import records them)
gets a small page at each of them that sends readers and search engines on
to its new address; with ``extra.redirects.netlify`` also a ``_redirects``
file of real 301s. Drafts and posts not yet published get none (they are
not built). The logic is in kb_engine.redirects.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError

from kb_engine import buildstate
from kb_engine.problems import format_problems
from kb_engine.redirects.settings import RedirectSettings
from kb_engine.redirects.site import RedirectsBuild, collect_page, load_table, write_redirects
from kb_engine.rendering import make_environment
from kb_engine.settings import load_extra_section

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

STATE = "redirects"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    settings = load_extra_section(config, "redirects", RedirectSettings)
    table, problems = load_table(settings, config.config_file_path)
    if problems:
        raise PluginError(format_problems(problems))
    buildstate.start(config, STATE, RedirectsBuild(settings, make_environment(config), table=table))
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    buildstate.get(config, STATE, RedirectsBuild).files = files
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    problems = collect_page(buildstate.get(config, STATE, RedirectsBuild), page, config)
    if problems:
        raise PluginError(format_problems(problems))
    return markdown


def on_post_build(config: MkDocsConfig) -> None:
    problems = write_redirects(buildstate.get(config, STATE, RedirectsBuild), config)
    if problems:
        raise PluginError(format_problems(problems))
