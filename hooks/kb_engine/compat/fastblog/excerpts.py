"""Render a post's excerpt once per build, and place it in any view.

Material converts an excerpt's Markdown once for every view that lists the
post, because two of its tree processors write URLs relative to the view:

- MkDocs' ``_RelativePathTreeprocessor`` rewrites links to other files as
  ``get_relative_url(target.url, view.url)`` (plus query and fragment), and
- Material's ``ExcerptTreeprocessor`` points in-page anchors (``#...``) at the
  post: ``get_relative_url(post.url, view.url)`` (plus the anchor).

Nothing else in the conversion depends on the view. So the excerpt is
converted once with both processors replaced by subclasses that run the very
same code but leave a numbered placeholder in the attribute and record what
the URL is made of; placing the excerpt in a view replaces every placeholder
by the URL computed with the same functions for that view, escaped as the
Markdown serialiser escapes attributes. The result is byte for byte what
Material writes (tests/engine/test_fastblog.py builds a site both ways and compares).

Which links were rewritten is found exactly: the relative-path processor runs
twice per link with two different base URLs; it left a link alone if and only
if both results equal the link as written.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable
from copy import copy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from markdown import Markdown
from markdown.serializers import _escape_attrib_html
from material.plugins.blog.structure import Excerpt, _patch
from material.plugins.blog.structure.markdown import ExcerptTreeprocessor
from mkdocs.structure.pages import _RelativePathTreeprocessor
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

from kb_engine.compat.fastblog.sharedtree import TreeCapture, finish
from kb_engine.compat.pagerender import RESETTABLE_EXTENSIONS, resettable

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files

# Private-use characters: never produced by Markdown, never escaped by its serialiser.
# A post whose source contains MARK is rendered the stock way (see use_placeholders).
MARK = "\ue000"
END = "\ue001"
_PLACEHOLDER = re.compile(f"{MARK}kb([0-9]+){END}")
# A base URL no file can have: only used to tell rewritten links from untouched ones.
_PROBE_BASE = f"{MARK}probe/{MARK}probe/"


# Material never resets an excerpt's Markdown instance between views, so state an
# extension keeps from one conversion to the next can change what the next view shows.
# The extensions whose per-document state is known (the ones the shared page converter
# resets, read in Python-Markdown 3.11.3 and pymdown-extensions 13.1.2) keep none that
# reaches the HTML, or only the state listed below:
VETTED_EXTENSIONS = RESETTABLE_EXTENSIONS
# ... and what that state leaves in the HTML: footnotes number repeated references across
# conversions ("fnref2:1", extra back links in the footnote list); pymdownx.highlight
# counts code blocks for line anchor ids ("__codelineno-3-1"; any <pre> is counted here);
# pymdownx.tabbed counts tab groups ("__tabbed_2_1", data-tabs="2:0").
STATEFUL_MARKS = ("fnref", 'class="footnote', "<pre", "__tabbed", "tabbed-set", "data-tabs")


def vetted(markdown_extensions: list[Any]) -> bool:
    """Whether every configured extension is one whose carried-over state is known."""
    return resettable(markdown_extensions)


RelativeUrl = Callable[[str, str], str]  # MkDocs' get_relative_url(url, other), or a build's relative_urls()


def relative_urls() -> RelativeUrl:
    """MkDocs' ``get_relative_url(url, other)`` for one build, each answer worked out once.

    It reads nothing but its two strings. A view fills the same link targets as the
    views beside it (300 posts: 24,003 links placed, 8,243 different target and view).
    """
    return functools.cache(get_relative_url)


@dataclass(frozen=True)
class LinkToFile:
    """A link the relative-path processor rewrote: to ``root_path``, then query and fragment."""

    root_path: str
    query: str
    fragment: str

    def url_from(self, page_url: str, relative: RelativeUrl = get_relative_url) -> str:
        return urlunsplit(("", "", relative(self.root_path, page_url), self.query, self.fragment))


@dataclass(frozen=True)
class AnchorInPost:
    """An in-page anchor that Material points at the post (the headline: no anchor)."""

    post_url: str
    anchor: str

    def url_from(self, page_url: str, relative: RelativeUrl = get_relative_url) -> str:
        return relative(self.post_url, page_url) + self.anchor


Placeholder = LinkToFile | AnchorInPost


def _placeholder(placeholders: list[Placeholder], item: Placeholder) -> str:
    placeholders.append(item)
    return f"{MARK}kb{len(placeholders) - 1}{END}"


class PlaceholderRelativePaths(_RelativePathTreeprocessor):
    """MkDocs' link rewriting, leaving a placeholder where the URL depends on the page."""

    def __init__(self, original: Any, placeholders: list[Placeholder]) -> None:
        super().__init__(original.file, original.files, original.config)
        self.placeholders = placeholders

    def path_to_url(self, url: str) -> str:
        saved = self.file.url
        try:
            self.file.url = ""
            from_root: str = super().path_to_url(url)
            self.file.url = _PROBE_BASE
            from_probe: str = super().path_to_url(url)
        finally:
            self.file.url = saved
        if from_root == url and from_probe == url:
            return url
        _, _, _, query, fragment = urlsplit(url)
        suffix = urlunsplit(("", "", "", query, fragment))
        if not from_root.endswith(suffix):
            raise AssertionError(f"unexpected link rewriting: {url!r} -> {from_root!r}")
        root_path = from_root[: len(from_root) - len(suffix)]
        return _placeholder(self.placeholders, LinkToFile(root_path, query, fragment))


class PlaceholderExcerptAnchors(ExcerptTreeprocessor):  # type: ignore[misc]
    """Material's ExcerptTreeprocessor, leaving a placeholder instead of a view-relative URL."""

    def __init__(self, original: Any, placeholders: list[Placeholder]) -> None:
        super().__init__(original.page, original.base)
        self.placeholders = placeholders

    def run(self, root: Element) -> None:
        main = True
        for el in root.iter("a"):
            anchor = el.get("href")
            if not anchor.startswith("#"):  # type: ignore[union-attr]  # as Material does
                continue
            item = AnchorInPost(self.page.url, "" if main else anchor)  # type: ignore[arg-type]
            el.set("href", _placeholder(self.placeholders, item))
            main = False


def use_placeholders(excerpt: Any) -> None:
    """Have the excerpt's converter leave placeholders for its two view-dependent kinds of link.

    The converter is made on first use (:class:`LazyExcerpt`), which swaps in the
    placeholder-writing tree processors when ``kb_placeholders`` is set.
    """
    source = excerpt.post.markdown + str(excerpt.post.meta.get("title", ""))
    if MARK in source or END in source:
        return  # the stock way: rendered again in every view
    excerpt.kb_placeholders = []


def _swap_processors(md: Markdown, placeholders: list[Placeholder]) -> None:
    processors = md.treeprocessors
    relpath = processors[processors.get_index_for_name("relpath")]
    anchors = processors[processors.get_index_for_name("excerpt")]
    processors.register(PlaceholderExcerptAnchors(anchors, placeholders), "excerpt", 0)
    processors.register(PlaceholderRelativePaths(relpath, placeholders), "relpath", 1)


class LazyExcerpt(Excerpt):  # type: ignore[misc]
    """Material's ``Excerpt``, whose Markdown converter is made when first used.

    ``__init__`` is Material 9.8.2's, except that the converter (``md``, with its
    two tree processors) is made by the first read of ``md`` from the same inputs,
    the config, the files and the post. An excerpt whose rendering is kept from the
    last build (a preview rebuild) is never converted, so it never makes one.
    """

    def __init__(self, post: Any, config: MkDocsConfig, files: Files) -> None:
        self.file = copy(post.file)
        self.post = post
        self._set_canonical_url(config.site_url)
        self.config = post.config
        self.meta = post.meta
        self.authors: list[Any] = []
        self.categories: list[Any] = []
        self.more = None
        self._kb_md: Markdown | None = None
        self._kb_md_inputs: tuple[MkDocsConfig, Files] | None = (config, files)

    @property
    def md(self) -> Markdown | None:
        if self._kb_md is None and self._kb_md_inputs is not None:
            config, files = self._kb_md_inputs
            self._kb_md_inputs = None
            config = _patch(config)
            md = Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
            md.treeprocessors.register(ExcerptTreeprocessor(self.post), "excerpt", 0)
            md.treeprocessors.register(_RelativePathTreeprocessor(self.file, files, config), "relpath", 1)
            placeholders = getattr(self, "kb_placeholders", None)
            if placeholders is not None:
                _swap_processors(md, placeholders)
            self._kb_md = md
        return self._kb_md

    @md.setter
    def md(self, value: Markdown | None) -> None:
        self._kb_md = value
        self._kb_md_inputs = None


@dataclass
class RenderedExcerpt:
    """An excerpt converted once; ``apply`` places it in a view."""

    content: str
    more: str | None
    toc_tokens: list[Any]
    placeholders: list[Placeholder] = field(default_factory=list)

    def shows_like(self, other: RenderedExcerpt) -> bool:
        """Whether placing this or ``other`` in a view writes the same page.

        Templates show ``content`` and the table of contents, and only test ``more``
        (Material's partials/post.html: ``{% if post.more %}``).
        """
        return (
            self.content == other.content
            and self._shown_placeholders() == other._shown_placeholders()
            and self.toc_tokens == other.toc_tokens
            and bool(self.more) == bool(other.more)
        )

    def free_of_carried_state(self) -> bool:
        """Whether the shown HTML has nothing the vetted extensions' carried-over state changes."""
        return not any(mark in self.content for mark in STATEFUL_MARKS)

    def _shown_placeholders(self) -> list[Placeholder]:
        return [self.placeholders[int(n)] for n in _PLACEHOLDER.findall(self.content)]

    def _fill(self, html: str, page_url: str, relative: RelativeUrl) -> str:
        def url(match: re.Match[str]) -> str:
            return str(_escape_attrib_html(self.placeholders[int(match.group(1))].url_from(page_url, relative)))

        return _PLACEHOLDER.sub(url, html)

    def apply(self, excerpt: Any, view: Any, relative: RelativeUrl = get_relative_url) -> None:
        """Set what Material's ``Excerpt.render(view, ...)`` sets, without converting again.

        ``relative``: how links are made relative to the view (a build's :class:`RelativeUrls`).
        """
        excerpt.content = self._fill(self.content, view.url, relative)
        if self.more is not None:
            excerpt.more = self._fill(self.more, view.url, relative)
        excerpt.toc = get_toc(self.toc_tokens)
        excerpt.file.url = excerpt.post.url


def render_once(excerpt: Any, separator: str) -> RenderedExcerpt:
    """Material's ``Excerpt.render`` minus the view: Markdown to HTML with placeholders."""
    placeholders: list[Placeholder] = excerpt.kb_placeholders
    placeholders.clear()
    excerpt.markdown = excerpt.post.markdown
    if not excerpt.post._title_from_render:
        excerpt.markdown = "\n\n".join([f"# {excerpt.post.title}", excerpt.markdown])
    return _split(excerpt.md, excerpt.md.convert(excerpt.markdown), separator, placeholders)


class ExcerptTail:
    """One excerpt converter per build, whose last steps finish every excerpt's tree.

    It is made as :class:`LazyExcerpt` makes an excerpt's converter (the same patched
    config, extensions and two tree processors), and before each use its two
    post-dependent tree processors are replaced by the excerpt's own (:meth:`bind`).
    Only the steps after the tree capture run on it (:func:`kb_engine.compat.fastblog.sharedtree.finish`),
    and they keep nothing from one run to the next that reaches the HTML: the table of
    contents starts from the tree's ids each time, and the rest are the excerpt's own
    link processors, the unescaping, the serialiser and the postprocessors.
    """

    def __init__(self, config: MkDocsConfig, files: Files) -> None:
        self.config = _patch(config)
        self.files = files
        self.md = Markdown(extensions=self.config.markdown_extensions,
                           extension_configs=self.config.mdx_configs)

    def bind(self, excerpt: Any) -> Markdown:
        """The converter, with the excerpt's link processors (as LazyExcerpt registers them)."""
        placeholders: list[Placeholder] = excerpt.kb_placeholders
        anchors = ExcerptTreeprocessor(excerpt.post)
        relpath = _RelativePathTreeprocessor(excerpt.file, self.files, self.config)
        self.md.treeprocessors.register(PlaceholderExcerptAnchors(anchors, placeholders), "excerpt", 0)
        self.md.treeprocessors.register(PlaceholderRelativePaths(relpath, placeholders), "relpath", 1)
        return self.md


def render_from_tree(excerpt: Any, capture: TreeCapture, separator: str,
                     tail: ExcerptTail) -> RenderedExcerpt | None:
    """:func:`render_once`'s result, from the tree the post's own conversion kept.

    None where that is not the excerpt's first conversion by construction (see
    :mod:`kb_engine.compat.fastblog.sharedtree`), or where the rendering shows state that a later
    conversion of the same excerpt would carry on (:meth:`RenderedExcerpt.free_of_carried_state`):
    such an excerpt is converted the stock way.
    """
    post = excerpt.post
    if not post._title_from_render or capture.source != post.markdown:
        return None  # Material converts the title and the Markdown: another document
    placeholders: list[Placeholder] = excerpt.kb_placeholders
    placeholders.clear()
    md = tail.bind(excerpt)
    html = finish(md, capture)
    if html is None:
        return None
    excerpt.markdown = post.markdown
    rendered = _split(md, html, separator, placeholders)
    return rendered if rendered.free_of_carried_state() else None


def _split(md: Markdown, html: str, separator: str, placeholders: list[Placeholder]) -> RenderedExcerpt:
    content, *more = html.split(separator, 1)
    tokens = list(getattr(md, "toc_tokens", []))
    return RenderedExcerpt(content, more[0] if more else None, tokens, list(placeholders))


# Across `mkdocs serve` rebuilds ------------------------------------------------
#
# A conversion that needs no second one (see FastBlogPlugin._placement) is a pure
# function of: the post's Markdown as the blog plugin reads it, its title, source
# path and URL (the excerpt's headline and in-page anchors point at it; relative
# links are resolved from its source path), the source path and URL of every file
# of the site (what relative links resolve to), the Markdown extensions and their
# settings, and the excerpt separator. The key below hashes all of them, so a
# rendering kept from the previous build is reused only when a fresh conversion
# would give the same bytes.


def site_key(config: MkDocsConfig, files: Files) -> bytes:
    """What every excerpt's conversion depends on besides its own post, hashed."""
    digest = hashlib.sha256()
    digest.update(repr((config.markdown_extensions, config.mdx_configs)).encode())
    for file in sorted(files, key=lambda f: f.src_uri):
        digest.update(f"\0{file.src_uri}\0{file.url}".encode())
    return digest.digest()


def conversion_key(excerpt: Any, separator: str, site: bytes) -> bytes:
    """The key of one excerpt's conversion: the site key, the separator and the post."""
    post = excerpt.post
    title = post._title_from_render or post.title or ""
    digest = hashlib.sha256(site)
    for part in (separator, str(bool(post._title_from_render)), title, post.file.src_uri, post.url,
                 post.markdown):
        digest.update(b"\0" + part.encode())
    return digest.digest()


def reuse(excerpt: Any, rendered: RenderedExcerpt) -> None:
    """Set on the excerpt what ``render_once`` sets besides the returned rendering."""
    excerpt.markdown = excerpt.post.markdown
    if not excerpt.post._title_from_render:
        excerpt.markdown = "\n\n".join([f"# {excerpt.post.title}", excerpt.markdown])
