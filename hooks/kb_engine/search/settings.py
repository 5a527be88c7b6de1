"""``plugins.kb-search`` in mkdocs.yml: where the vocabulary is, and how pages rank by kind."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class SearchSettings(Config):  # type: ignore[no-untyped-call]  # mkdocs leaves this untyped
    # The site's search vocabulary (kb_engine.search.synonyms), relative to mkdocs.yml.
    vocabulary = c.Type(str, default="search-vocabulary.yml")
    # Folders of docs/ whose pages answer questions: their entries, and every
    # decision-tree step, rank above other pages for the same match by this
    # factor (lunr's document boost). Unset: guides and the decision trees'
    # folder (plugins.kb-trees.folder), as knowledge_folders() reads it.
    knowledge = c.Optional(c.ListOfItems(c.Type(str)))
    knowledge_boost = c.Type((int, float), default=2.0)
    # Each decision-tree question and outcome is an entry of the tree's page
    # that opens its step. Material's search scores a page's sections about
    # 2.5 times lower than the page itself (its worker's post-query boost),
    # and a step describes a situation exactly: this boost makes up for both.
    step_boost = c.Type((int, float), default=5.0)
    # Pages that are neither knowledge nor blog posts (about, feeds, tags,
    # the blog's lists): ranked below both for the same match.
    other_boost = c.Type((int, float), default=0.5)
    # A vocabulary group that more than this share of the index's entries
    # already says (customer, vendor on this site) adds nothing to tell them
    # apart, so its words are not added anywhere.
    common_share = c.Type((int, float), default=0.3)


def knowledge_folders(settings: SearchSettings, trees_folder: str) -> tuple[str, ...]:
    """``knowledge``, or by default guides and the decision trees' folder."""
    return tuple(settings.knowledge) if settings.knowledge is not None else ("guides", trees_folder)
