"""Turn a post's rendered HTML into feed content: full text and excerpt.

The page HTML carries things that belong to the page, not to a feed reader:
the ``<h1>`` title (the feed item has its own title) and the ``¶`` permalinks
beside headings. Links are made absolute against the post's URL.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from kb_engine.feeds.absolute import absolutize_tree, parse_fragment, serialize_fragment


@dataclass(frozen=True)
class PostContent:
    full_html: str
    excerpt_html: str | None  # None: the post has no excerpt separator


def _drop(element: etree._Element) -> None:
    """Remove ``element`` but keep the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


def clean_fragment(html: str, base_url: str, *, drop_title: bool, cache: dict[str, str] | None = None) -> str:
    """``html`` without title and permalinks, with absolute links."""
    if not html.strip():
        return ""
    root = parse_fragment(html)
    if drop_title:
        first = next((child for child in root if isinstance(child.tag, str)), None)
        if first is not None and first.tag == "h1":
            _drop(first)
    for permalink in root.xpath(".//a[contains(concat(' ', normalize-space(@class), ' '), ' headerlink ')]"):
        _drop(permalink)
    absolutize_tree(root, base_url, cache)
    return serialize_fragment(root).strip()


def post_content(html: str, base_url: str, separator: str) -> PostContent:
    """The full content and the excerpt (what comes before ``separator``) of a post."""
    head, found, _ = html.partition(separator) if separator else (html, "", "")
    cache: dict[str, str] = {}  # the excerpt repeats the full text's URLs
    whole = html.replace(separator, "") if found else html
    full = clean_fragment(whole, base_url, drop_title=True, cache=cache)
    excerpt = clean_fragment(head, base_url, drop_title=True, cache=cache) if found else None
    return PostContent(full, excerpt)
