"""A page's Markdown conversion (MkDocs' ``Page.render``), kept from one build to the next.

``Page.render`` is a pure function of: the page's Markdown (after every
plugin's ``on_page_markdown``), its source path and URL, the source path,
URL and inclusion of every file of the site (what links resolve to, and
which targets it warns about), the Markdown extensions with their settings,
and the link validation settings. :func:`site_key` and :func:`page_key` hash
exactly these. What the conversion sets on the page (HTML, table of
contents, the title from its first heading, its anchors, the links to other
pages' anchors) and what it logged are kept under that key, and a later
build with the same key sets and logs the very same things instead of
converting again.
"""

from __future__ import annotations

import copy
import hashlib
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mkdocs.structure.toc import get_toc

from kb_engine.compat.pagerender import render

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

@dataclass(frozen=True)
class Conversion:
    """What ``Page.render`` set on a page, and the log records it emitted."""

    content: str
    toc_tokens: list[Any]
    title: str | None
    anchors: frozenset[str]
    links_to_anchors: dict[str, dict[str, str]] | None  # by target source path
    records: tuple[logging.LogRecord, ...]

    def apply(self, page: Page, files: Files) -> None:
        page.content = self.content
        page.toc = get_toc(self.toc_tokens)  # get_toc only reads the tokens
        page._title_from_render = self.title
        page.present_anchor_ids = set(self.anchors)
        if self.links_to_anchors is not None:
            links = {}
            for src_uri, anchors in self.links_to_anchors.items():
                target = files.get_file_from_path(src_uri)
                if target is None:  # cannot happen under the same site key
                    raise LookupError(src_uri)
                links[target] = dict(anchors)
            page.links_to_anchors = links
        for record in self.records:
            logging.getLogger(record.name).handle(record)


class _Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def site_key(config: MkDocsConfig, files: Files) -> bytes:
    """What every page's conversion depends on besides the page itself, hashed."""
    digest = hashlib.sha256()
    digest.update(repr((config.markdown_extensions, config.mdx_configs, config.validation,
                        config.use_directory_urls, config.docs_dir)).encode())
    for file in files:
        digest.update(f"\0{file.src_uri}\0{file.dest_uri}\0{file.url}\0{file.inclusion}".encode())
    return digest.digest()


def page_key(site: bytes, page: Page) -> bytes:
    """The key of one page's conversion."""
    digest = hashlib.sha256(site)
    for part in (type(page).__qualname__, page.file.src_uri, page.file.url, page.markdown or ""):
        digest.update(b"\0" + part.encode("utf-8", "surrogatepass"))
    return digest.digest()


def convert(page: Page, config: MkDocsConfig, files: Files) -> Conversion:
    """MkDocs 1.6's ``Page.render`` (:func:`kb_engine.compat.pagerender.render`), keeping what it makes."""
    recorder = _Recorder()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(recorder)
    try:
        rendered = render(page, config, files)
    finally:
        logger.removeHandler(recorder)
    links = None
    if rendered.links_to_anchors is not None:
        links = {target.src_uri: dict(anchors) for target, anchors in rendered.links_to_anchors.items()}
    return Conversion(
        content=rendered.content,
        toc_tokens=copy.deepcopy(list(rendered.toc_tokens)),
        title=rendered.title,
        anchors=frozenset(rendered.anchors),
        links_to_anchors=links,
        records=tuple(recorder.records),
    )
