"""MkDocs' ``Page.render``, in one place, with a way for a page to add to its converter.

``render(page, config, files)`` is MkDocs 1.6.1's ``Page.render`` step for step
(the same Markdown instance, the same four MkDocs processors, the same
results), returning what it made instead of setting it on the page, so that
the preview's conversion cache (:mod:`kb_engine.compat.incremental.conversions`) can keep
it and ``apply`` can set it. A page may have a ``kb_extend_markdown(md)``
method, called after MkDocs' processors are registered: the blog's posts use
it to keep their tree for their excerpt (:mod:`kb_engine.compat.fastblog.sharedtree`). A page
class whose ``render`` is this function plus such an addition marks it with
:func:`same_as_mkdocs`, so that the preview may reuse a conversion for it.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

import markdown
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.structure.pages import (
    _ExtractAnchorsTreeprocessor,
    _ExtractTitleTreeprocessor,
    _RawHTMLPreprocessor,
    _RelativePathTreeprocessor,
)
from mkdocs.structure.toc import get_toc

from kb_engine import buildstate

if TYPE_CHECKING:
    from collections.abc import Callable

    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files

PAGES_LOG = logging.getLogger("mkdocs.structure.pages")
_SAME = "kb_same_as_mkdocs_render"
SHARED_CONVERTER = "shared_converter"  # kb_engine.buildstate: this build's SharedConverter, if any

# Extensions whose state from one document to the next reset() clears, or that keep none
# (Python-Markdown 3.11.3, pymdown-extensions 13.1.2): footnotes, abbreviations, the table of
# contents, highlight's code block count, superfences' stash, tabbed's group count and
# details reset; the others keep only their settings. Names as mkdocs.yml lists them.
RESETTABLE_EXTENSIONS = frozenset({
    "abbr", "admonition", "attr_list", "def_list", "fenced_code", "footnotes", "md_in_html",
    "tables", "toc", "pymdownx.details", "pymdownx.highlight", "pymdownx.inlinehilite",
    "pymdownx.superfences", "pymdownx.tabbed", "pymdownx.tasklist",
    "kb_engine.tasklist",  # this project's task lists (hooks/kb_engine/tasklist.py): tree processors only
})


def resettable(markdown_extensions: list[Any]) -> bool:
    """Whether every configured extension is one whose per-document state ``reset()`` clears."""
    return all(
        isinstance(name, str) and name.removeprefix("markdown.extensions.") in RESETTABLE_EXTENSIONS
        for name in markdown_extensions
    )


def _registries(md: markdown.Markdown) -> tuple[Any, ...]:
    return (md.preprocessors, md.parser.blockprocessors, md.inlinePatterns, md.treeprocessors, md.postprocessors)


@dataclass
class SharedConverter:
    """One Markdown instance for every page of a build (see the module)."""

    converted: int = 0
    _md: markdown.Markdown | None = None
    _inputs: tuple[list[Any], dict[str, Any]] | None = None
    _own: list[frozenset[str]] = field(default_factory=list)  # each registry's names as the extensions made them

    def converter(self, config: MkDocsConfig) -> markdown.Markdown | None:
        """The build's instance, reset and without the last page's processors; None where not usable."""
        extensions, configs = config["markdown_extensions"], config["mdx_configs"] or {}
        if not resettable(extensions):
            return None
        if self._md is None or self._inputs != (extensions, configs):
            self._md = markdown.Markdown(extensions=extensions, extension_configs=configs)
            self._inputs = (list(extensions), copy.deepcopy(configs))
            self._own = [frozenset(item.name for item in registry._priority) for registry in _registries(self._md)]
        md = self._md
        md.reset()
        for registry, own in zip(_registries(md), self._own, strict=True):
            for name in [item.name for item in registry._priority if item.name not in own]:
                registry.deregister(name)
        self.converted += 1
        return md


def render_page(page: MkDocsPage, config: MkDocsConfig, files: Files) -> None:
    """MkDocs' ``Page.render`` for ``page``, by :func:`render` (which may use the build's one converter)."""
    render(page, config, files).apply(page)


def share_converter(page: MkDocsPage) -> None:
    """Let a page that MkDocs itself would render be converted by :func:`render` (and so by the shared
    converter): its own ``render`` set to :func:`render_page`. Other page classes render their own way."""
    if type(page).render is MkDocsPage.render:
        page.render = partial(render_page, page)  # type: ignore[method-assign]


def same_as_mkdocs(method: Callable[..., None]) -> Callable[..., None]:
    """Mark a ``render`` method as MkDocs' own (this module's :func:`render`) for the page's results."""
    setattr(method, _SAME, True)
    return method


def renders_as_mkdocs(page: MkDocsPage) -> bool:
    """Whether the page's ``render`` sets what MkDocs' ``Page.render`` sets, from the same inputs."""
    method = type(page).render
    return method is MkDocsPage.render or getattr(method, _SAME, False)


@dataclass
class Rendered:
    """What ``Page.render`` sets on a page."""

    content: str
    toc_tokens: list[Any]
    title: str | None
    anchors: set[str]
    links_to_anchors: dict[File, dict[str, str]] | None

    def apply(self, page: MkDocsPage) -> None:
        page.content = self.content
        page.toc = get_toc(self.toc_tokens)
        page._title_from_render = self.title
        page.present_anchor_ids = self.anchors
        if self.links_to_anchors is not None:
            page.links_to_anchors = self.links_to_anchors


def render(page: MkDocsPage, config: MkDocsConfig, files: Files) -> Rendered:
    """Convert the page's Markdown as MkDocs 1.6.1's ``Page.render`` does."""
    if page.markdown is None:
        raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
    shared = buildstate.get_optional(config, SHARED_CONVERTER, SharedConverter)
    md = shared.converter(config) if shared is not None else None
    if md is None:
        md = markdown.Markdown(
            extensions=config["markdown_extensions"],
            extension_configs=config["mdx_configs"] or {},
        )
    raw_html_ext = _RawHTMLPreprocessor()
    raw_html_ext._register(md)
    extract_anchors_ext = _ExtractAnchorsTreeprocessor(page.file, files, config)
    extract_anchors_ext._register(md)
    relative_path_ext = _RelativePathTreeprocessor(page.file, files, config)
    relative_path_ext._register(md)
    extract_title_ext = _ExtractTitleTreeprocessor()
    extract_title_ext._register(md)
    extend = getattr(page, "kb_extend_markdown", None)
    if extend is not None:
        extend(md)
    content = md.convert(page.markdown)
    return Rendered(
        content=content,
        toc_tokens=getattr(md, "toc_tokens", []),
        title=extract_title_ext.title,
        anchors=extract_anchors_ext.present_anchor_ids | raw_html_ext.present_anchor_ids,
        links_to_anchors=(relative_path_ext.links_to_anchors
                          if PAGES_LOG.getEffectiveLevel() > logging.DEBUG else None),
    )
