"""A post's excerpt from the post's own conversion, without converting its Markdown again.

Material converts a post's whole Markdown twice: once for the post's page
(MkDocs' ``Page.render``) and once more for its excerpt, with a Markdown
instance that differs from the page's only after the document has been
parsed. Both instances are made from the same extensions and settings,
except for the table of contents (the excerpt's is patched: headings one
level down, linked, no permalinks) and the tree processors each adds at the
end (the page: MkDocs' anchors, title and links; the excerpt: links relative
to the view and anchors pointed at the post). Everything before the table of
contents - preprocessors, the block parser, and the tree processors that run
before it (footnotes, highlighting, task lists, inline patterns, attribute
lists, abbreviations) - is the same code with the same input on a fresh
instance, so it makes the same tree.

So the page's conversion keeps a copy of its tree as it stands just before
the table of contents (:class:`TreeCapture`, run between the last shared tree
processor and the first that differs), and :func:`finish` finishes that copy
with an excerpt converter: its remaining tree processors, its serialiser and
its postprocessors, with the page's stash of raw HTML (which the copy's
placeholders index). One such converter serves every excerpt of a build
(:class:`kb_engine.compat.fastblog.excerpts.ExcerptTail`: those last steps keep nothing from
one run to the next), with each excerpt's own link processors bound in. The
result is the excerpt's first conversion, byte for byte.

It is used only when that holds by construction, and otherwise returns None
so the excerpt is converted the stock way:

- the two instances must have the same preprocessors (the page's MkDocs
  anchor collector only reads), block processors, inline patterns and tree
  processors before the capture, by name, priority and class;
- the excerpt must convert the page's very Markdown (Material prepends the
  title as a heading when the post has no first heading of its own: then the
  documents differ);
- the capture must have run (a conversion kept from the last build made no tree).

Only the excerpt's first conversion comes from here: the state an extension
carries into a later conversion of the same excerpt instance (footnote
numbers, code block and tab counters) is made by the page's instance, not the
excerpt's, so an excerpt that will be converted again (see
``FastBlogPlugin._placement``) is converted the stock way from the start.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from markdown.treeprocessors import Treeprocessor
from material.plugins.blog.structure import Post

from kb_engine.compat.pagerender import render, same_as_mkdocs

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from markdown import Markdown
    from markdown.util import Registry
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files

# Between 'abbr' (7) and 'toc' (5): after every tree processor the two instances
# share, before the first one they do not (Python-Markdown 3.11.3, pymdown-extensions
# 13.1.2, MkDocs 1.6.1; checked for every conversion by _same_until_capture).
CAPTURE_PRIORITY = 6.0


class TreeCapture(Treeprocessor):  # type: ignore[misc]
    """Keeps a copy of a page's tree as it is before the table of contents is made."""

    def __init__(self, source: str) -> None:
        super().__init__()
        self.source = source
        self.tree: Element | None = None
        self.page_md: Markdown | None = None

    def register(self, md: Markdown) -> None:
        self.md = md
        md.treeprocessors.register(self, "kb_excerpt_capture", CAPTURE_PRIORITY)

    def run(self, root: Element) -> None:
        self.tree = copy.deepcopy(root)
        self.page_md = self.md


def _items(registry: Registry[Any]) -> list[tuple[str, float, Any]]:
    registry._sort()
    return [(item.name, item.priority, registry[item.name]) for item in registry._priority]


def _shape(items: list[tuple[str, float, Any]]) -> list[tuple[str, float, type]]:
    return [(name, priority, type(obj)) for name, priority, obj in items]


_PAGE_ONLY_PREPROCESSORS = frozenset({"mkdocs_raw_html"})  # collects anchor ids, returns the lines


def _same_until_capture(page_md: Markdown, excerpt_md: Markdown) -> bool:
    """Whether both instances run the same code up to the capture."""
    page_pre = [item for item in _items(page_md.preprocessors) if item[0] not in _PAGE_ONLY_PREPROCESSORS]
    if _shape(page_pre) != _shape(_items(excerpt_md.preprocessors)):
        return False
    if _shape(_items(page_md.parser.blockprocessors)) != _shape(_items(excerpt_md.parser.blockprocessors)):
        return False
    if _shape(_items(page_md.inlinePatterns)) != _shape(_items(excerpt_md.inlinePatterns)):
        return False
    page_front = [item for item in _items(page_md.treeprocessors) if item[1] > CAPTURE_PRIORITY]
    excerpt_tree = _items(excerpt_md.treeprocessors)
    if any(priority == CAPTURE_PRIORITY for _, priority, _ in excerpt_tree):
        return False
    return _shape(page_front) == _shape([item for item in excerpt_tree if item[1] > CAPTURE_PRIORITY])


def finish(excerpt_md: Markdown, capture: TreeCapture) -> str | None:
    """The excerpt instance's output for the captured tree (``Markdown.convert``'s last steps)."""
    page_md, root = capture.page_md, capture.tree
    if page_md is None or root is None or not _same_until_capture(page_md, excerpt_md):
        return None
    capture.tree = None  # used once: the processors below change it
    own_stash = excerpt_md.htmlStash
    excerpt_md.htmlStash = page_md.htmlStash
    try:
        for _name, priority, processor in _items(excerpt_md.treeprocessors):
            if priority < CAPTURE_PRIORITY:
                new_root = processor.run(root)
                if new_root is not None:
                    root = new_root
        output: str = excerpt_md.serializer(root)
        if excerpt_md.stripTopLevelTags:
            tag = excerpt_md.doc_tag
            try:
                start = output.index(f"<{tag}>") + len(tag) + 2
                end = output.rindex(f"</{tag}>")
                output = output[start:end].strip()
            except ValueError:
                if not output.strip().endswith(f"<{tag} />"):
                    return None  # Markdown itself would raise; let the stock path do so
                output = ""
        for postprocessor in excerpt_md.postprocessors:
            output = postprocessor.run(output)
        return output.strip()
    finally:
        excerpt_md.htmlStash = own_stash


class CapturingPost(Post):  # type: ignore[misc]
    """Material's ``Post``, whose conversion keeps its tree for the excerpt (``kb_tree``).

    ``render`` is MkDocs' ``Page.render`` (:func:`kb_engine.compat.pagerender.render`, the same
    code the preview's conversion cache runs), which calls ``kb_extend_markdown``.
    The blog plugin gives its posts this class right after Material makes them;
    it adds these two methods and nothing else.
    """

    kb_tree: TreeCapture | None = None

    def kb_extend_markdown(self, md: Markdown) -> None:
        self.kb_tree = TreeCapture(self.markdown or "")
        self.kb_tree.register(md)

    @same_as_mkdocs
    def render(self, config: MkDocsConfig, files: Files) -> None:
        render(self, config, files).apply(self)
