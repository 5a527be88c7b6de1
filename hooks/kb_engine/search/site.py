"""Search that answers sellers' questions, in a MkDocs build: the one module of kb_engine.search that knows MkDocs.

The hook (kb-search) calls, in build order:

- :func:`start` (``on_config``, after Material's search plugin has made
  this build's index): read ``plugins.kb-search`` and the vocabulary, give the
  index its separator (:mod:`kb_engine.search.stopwords`) and the ``questions``
  and ``related`` fields, unless mkdocs.yml sets their boosts itself;
- :func:`check_pages` (``on_env``): every page's ``questions:``;
- :func:`add_steps` (``on_env``): every decision tree's steps;
- :func:`page_context` (``on_page_context``): the page's facts for the
  index, and its "This guide answers" box (partials/kb/page-answers.html);
- :func:`finish_index` (``on_post_build``, before the search plugin writes
  the index): :func:`kb_engine.search.entries.rework`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import material
from markupsafe import Markup
from material.plugins.blog.structure import Post
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

from kb_engine import buildstate
from kb_engine.blogsource import display_path
from kb_engine.compat.searchfeed import search_index
from kb_engine.core.paths import trees_folder
from kb_engine.core.settings import feature_settings
from kb_engine.frontmatter import parse_document
from kb_engine.problems import Problem, format_problems
from kb_engine.rendering import make_environment, render
from kb_engine.search.entries import PageFacts, Ranking, Step, rework
from kb_engine.search.questions import KEY, page_questions
from kb_engine.search.settings import SearchSettings, knowledge_folders
from kb_engine.search.stopwords import STOP_WORDS, separator_dropping_stop_words, worker_stop_words
from kb_engine.search.synonyms import Vocabulary, read_vocabulary
from kb_engine.textfile import read
from kb_engine.trees.model import Question, step_anchor
from kb_engine.trees.site import STATE as TREES_STATE
from kb_engine.trees.site import TreeBuild, page_uri

if TYPE_CHECKING:
    import jinja2
    from material.plugins.search.plugin import SearchIndex
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = get_plugin_logger("search_answers")

STATE = "search_answers"

# The fields this feature adds to the index (Material's SearchIndex takes any
# field named in its config; mkdocs.yml may set their boosts): a question a
# page answers weighs like a word of its title (as mkdocs.yml weighs titles);
# a related word from the vocabulary, like a word the entry says.
FIELDS = {"questions": {"boost": 100.0}, "related": {"boost": 1.0}}


@dataclass
class SearchAnswers:
    """Per-build state (kept with kb_engine.buildstate)."""

    settings: SearchSettings
    vocabulary: Vocabulary
    env: jinja2.Environment
    knowledge: tuple[str, ...] = ()  # the folders of knowledge pages (search.settings.knowledge_folders)
    pages: dict[str, PageFacts] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)


def load_vocabulary(config: MkDocsConfig, settings: SearchSettings) -> tuple[Vocabulary, list[Problem]]:
    """The vocabulary file ``plugins.kb-search.vocabulary`` names (relative to mkdocs.yml)."""
    root = os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml"))
    path = os.path.join(root, settings.vocabulary)
    return read_vocabulary(path, display_path(config, path))


def start(config: MkDocsConfig) -> SearchAnswers | None:
    """Read the settings and the vocabulary; set the index's separator and fields. None without search."""
    index = search_index(config)
    if index is None:
        return None
    settings = feature_settings(config, "search", SearchSettings)
    vocabulary, problems = load_vocabulary(config, settings)
    if problems:
        raise PluginError(format_problems(problems))
    configure_index(index)
    knowledge = knowledge_folders(settings, trees_folder(config))
    state = SearchAnswers(settings=settings, vocabulary=vocabulary, env=make_environment(config),
                          knowledge=knowledge)
    return buildstate.start(config, STATE, state)


def configure_index(index: SearchIndex) -> None:
    """The separator that drops lunr's stop words from queries, and this feature's fields."""
    if worker_stop_words(Path(material.__file__).parent) == STOP_WORDS:
        index.config["separator"] = separator_dropping_stop_words(index.config["separator"])
    else:
        log.warning("kb_engine.search.stopwords was copied from Material 9.8's search worker, whose stop words "
                    f"differ in Material {material.__version__}: queries keep their stop words. Copy the "
                    "new list into hooks/kb_engine/search/stopwords.py.")
    fields = index.config["fields"]
    for name, spec in FIELDS.items():
        fields.setdefault(name, dict(spec))


def check_pages(config: MkDocsConfig, files: Files) -> None:
    """Stop the build on bad ``questions:`` fields, one line per problem naming file, line and item.

    Run once every page is read (``on_env``), so that all problems show at once.
    """
    problems: list[Problem] = []
    for file in files.documentation_pages():
        page = file.page
        if page is None or KEY not in page.meta:
            continue
        shown = display_path(config, file.abs_src_path or file.src_uri)
        found = page_questions(page.meta, shown)[1]
        if found and file.abs_src_path:  # again from the file, for the lines
            text = read(file.abs_src_path, shown)
            document = parse_document(text, shown) if isinstance(text, str) else text
            if not isinstance(document, Problem):
                found = page_questions(document.meta, shown)[1] or found
        problems.extend(found)
    if problems:
        raise PluginError(format_problems(problems))


def _is_knowledge(page: Page, folders: tuple[str, ...]) -> bool:
    return "/" in page.file.src_uri and any(page.file.src_uri.startswith(f"{folder}/") for folder in folders)


def page_context(state: SearchAnswers, page: Page) -> Markup:
    """Record the page's facts for the index; its "This guide answers" box (empty without questions)."""
    questions, _ = page_questions(page.meta, page.file.src_uri)  # checked by check_page
    if _is_knowledge(page, state.knowledge):
        boost: float | None = float(state.settings.knowledge_boost)
    elif isinstance(page, Post):
        boost = None
    else:
        boost = float(state.settings.other_boost)
    state.pages[page.url] = PageFacts(boost=boost, questions=tuple(questions))
    if not questions:
        return Markup("")
    kind = "guide" if page.file.src_uri.startswith("guides/") else "page"
    return render(state.env, "partials/kb/page-answers.html", questions=questions, kind=kind)


def add_steps(state: SearchAnswers, config: MkDocsConfig, files: Files) -> None:
    """Every decision tree's questions and outcomes, as entries that open their step."""
    trees = buildstate.get_optional(config, TREES_STATE, TreeBuild)
    if trees is None:
        return
    state.steps = []
    for tree in trees.trees:
        file = files.get_file_from_path(page_uri(trees.folder, tree.id))
        if file is None or file.page is None:
            continue
        for node in tree.nodes.values():
            if isinstance(node, Question):
                text = " ".join([node.help or "", *(f"{a.label}." for a in node.answers)])
                title = node.text
            else:
                text = node.summary
                title = f"Outcome: {node.text}"
            state.steps.append(Step(file.page.url, step_anchor(node.id), title, text.strip()))


def finish_index(state: SearchAnswers, config: MkDocsConfig) -> None:
    """Rework the index's entries (kb_engine.search.entries) before the search plugin writes them."""
    index = search_index(config)
    if index is None:
        return
    settings = state.settings
    ranking = Ranking(step_boost=float(settings.step_boost), common_share=float(settings.common_share))
    index.entries = rework(index.entries, state.pages, state.steps, state.vocabulary, ranking)
