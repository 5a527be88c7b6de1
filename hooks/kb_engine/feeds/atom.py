"""Atom 1.0 (RFC 4287), with comment links from the threading extension (RFC 4685)."""

from __future__ import annotations

from lxml import etree

from kb_engine.feeds.model import Feed, FeedItem
from kb_engine.feeds.xmltext import rfc3339, set_text, xml_text

ATOM = "http://www.w3.org/2005/Atom"
THREAD = "http://purl.org/syndication/thread/1.0"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NSMAP = {None: ATOM, "thr": THREAD}

MEDIA_TYPE = "application/atom+xml"
# The comment feeds of this site are RSS 2.0.
COMMENT_FEED_TYPE = "application/rss+xml"


def _add(parent: etree._Element, name: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ATOM}}}{name}", {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        set_text(element, text)
    return element


def _person(parent: etree._Element, name: str) -> None:
    _add(_add(parent, "author"), "name", name)


def _entry(feed_element: etree._Element, item: FeedItem) -> None:
    entry = _add(feed_element, "entry")
    _add(entry, "id", item.id)
    _add(entry, "title", item.title, type="text")
    _add(entry, "link", rel="alternate", type="text/html", href=item.link)
    if item.comment_feed_url is not None:
        replies = _add(entry, "link", rel="replies", type=COMMENT_FEED_TYPE, href=item.comment_feed_url)
        if item.comment_count is not None:
            replies.set(f"{{{THREAD}}}count", str(item.comment_count))
    if item.comments_url is not None:
        replies = _add(entry, "link", rel="replies", type="text/html", href=item.comments_url)
        if item.comment_count is not None:
            replies.set(f"{{{THREAD}}}count", str(item.comment_count))
    _add(entry, "published", rfc3339(item.published))
    _add(entry, "updated", rfc3339(item.last_changed))
    for author in item.authors:
        _person(entry, author)
    for category in item.categories:
        _add(entry, "category", term=category)
    if item.summary_html is not None and item.summary_html != item.content_html:
        _add(entry, "summary", item.summary_html, type="html")
    _add(entry, "content", item.content_html, type="html")


def to_atom(feed: Feed) -> bytes:
    """The feed as an Atom 1.0 document (UTF-8)."""
    root = etree.Element(f"{{{ATOM}}}feed", {XML_LANG: feed.language}, nsmap=NSMAP)
    _add(root, "id", feed.self_url)
    _add(root, "title", feed.title, type="text")
    if feed.description:
        _add(root, "subtitle", feed.description, type="text")
    _add(root, "link", rel="alternate", type="text/html", href=feed.link)
    _add(root, "link", rel="self", type=MEDIA_TYPE, href=feed.self_url)
    _add(root, "updated", rfc3339(feed.updated))
    if feed.generator:
        _add(root, "generator", feed.generator)
    # RFC 4287 4.1.1: a feed names an author unless every entry does.
    if not feed.items or any(not item.authors for item in feed.items):
        for author in feed.authors or (feed.title,):
            _person(root, author)
    for item in feed.items:
        _entry(root, item)
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    return data
