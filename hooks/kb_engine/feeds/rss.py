"""RSS 2.0, with the extensions WordPress feeds carry for comments.

Items get ``comments`` (the anchor of the comments on the page),
``wfw:commentRss`` (the item's comment feed) and ``slash:comments`` (how many
comments it has) whenever the item's comment fields are set.
"""

from __future__ import annotations

from lxml import etree

from kb_engine.feeds.model import Feed, FeedItem
from kb_engine.feeds.xmltext import rfc822, set_text, xml_text

ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"
SLASH = "http://purl.org/rss/1.0/modules/slash/"
WFW = "http://wellformedweb.org/CommentAPI/"
NSMAP = {"atom": ATOM, "content": CONTENT, "dc": DC, "slash": SLASH, "wfw": WFW}

MEDIA_TYPE = "application/rss+xml"


def _add(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    if attrs:
        element = etree.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})
    else:
        element = etree.SubElement(parent, tag)
    if text is not None:
        set_text(element, text)
    return element


def _item(channel: etree._Element, item: FeedItem) -> None:
    element = _add(channel, "item")
    _add(element, "title", item.title)
    _add(element, "link", item.link)
    permalink = item.id == item.link and item.id.startswith(("http://", "https://"))
    _add(element, "guid", item.id, isPermaLink="true" if permalink else "false")
    _add(element, "pubDate", rfc822(item.published))
    for author in item.authors:
        _add(element, f"{{{DC}}}creator", author)
    for category in item.categories:
        _add(element, "category", category)
    if item.summary_html is not None and item.summary_html != item.content_html:
        _add(element, "description", item.summary_html)
        _add(element, f"{{{CONTENT}}}encoded", item.content_html)
    else:
        _add(element, "description", item.content_html)
    if item.comments_url is not None:
        _add(element, "comments", item.comments_url)
    if item.comment_feed_url is not None:
        _add(element, f"{{{WFW}}}commentRss", item.comment_feed_url)
    if item.comment_count is not None:
        _add(element, f"{{{SLASH}}}comments", str(item.comment_count))


def to_rss(feed: Feed) -> bytes:
    """The feed as an RSS 2.0 document (UTF-8)."""
    rss = etree.Element("rss", {"version": "2.0"}, nsmap=NSMAP)
    channel = _add(rss, "channel")
    _add(channel, "title", feed.title)
    _add(channel, "link", feed.link)
    _add(channel, "description", feed.description)
    _add(channel, f"{{{ATOM}}}link", href=feed.self_url, rel="self", type=MEDIA_TYPE)
    _add(channel, "language", feed.language)
    _add(channel, "lastBuildDate", rfc822(feed.updated))
    if feed.generator:
        _add(channel, "generator", feed.generator)
    _add(channel, "docs", "https://www.rssboard.org/rss-specification")
    for item in feed.items:
        _item(channel, item)
    data: bytes = etree.tostring(rss, xml_declaration=True, encoding="utf-8", pretty_print=True)
    return data
