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

import logging
from dataclasses import dataclass
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

if TYPE_CHECKING:
    from collections.abc import Callable

    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files

PAGES_LOG = logging.getLogger("mkdocs.structure.pages")
_SAME = "kb_same_as_mkdocs_render"


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
