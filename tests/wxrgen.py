"""Small WordPress exports (WXR 1.2) written from plain data, for the import's tests.

The shape follows WordPress's own exporter (wp-admin/includes/export.php):
an ``<rss>`` with the ``wp:``, ``content:``, ``excerpt:`` and ``dc:``
namespaces, the blog's address in ``<link>`` and ``<wp:base_blog_url>``,
``<wp:category>`` and ``<wp:tag>`` lists, then one ``<item>`` per post,
page or attachment with its terms and ``<wp:comment>`` elements. lxml
writes it, so any text (Unicode, markup, "]]>") stays text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

WP = "http://wordpress.org/export/1.2/"
NSMAP = {
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wp": WP,
}


@dataclass
class C:
    """A comment."""

    id: int
    author: str = "Reader"
    email: str = ""
    content: str = "A comment."
    approved: str = "1"
    parent: int = 0
    date: str = "2021-03-01 10:00:00"
    type: str = ""


@dataclass
class I:  # noqa: E742 - short on purpose: fixtures list many of them
    """An item: a post, a page or another type."""

    id: int
    slug: str
    title: str = ""
    type: str = "post"
    status: str = "publish"
    content: str = "<p>Some text.</p>"
    date: str = "2021-02-01 09:00:00"
    link: str = ""  # default: <site>/<slug>/
    password: str = ""
    categories: list[tuple[str, str]] = field(default_factory=list)  # (nicename, name)
    tags: list[tuple[str, str]] = field(default_factory=list)
    comments: list[C] = field(default_factory=list)
    creator: str = "writer"
    parent: int = 0


def _sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    prefix, _, local = tag.rpartition(":")
    element = etree.SubElement(parent, f"{{{NSMAP[prefix]}}}{local}" if prefix else local)
    if text is not None:
        element.text = text
    return element


def wxr(
    site: str,
    items: list[I],
    *,
    categories: list[tuple[str, str, str]] = (),  # type: ignore[assignment]  # (nicename, name, parent)
    title: str = "A blog",
) -> bytes:
    rss = etree.Element("rss", nsmap=NSMAP, version="2.0")
    channel = etree.SubElement(rss, "channel")
    _sub(channel, "title", title)
    _sub(channel, "link", site)
    _sub(channel, "wp:wxr_version", "1.2")
    _sub(channel, "wp:base_site_url", site)
    _sub(channel, "wp:base_blog_url", site)
    author = _sub(channel, "wp:author")
    _sub(author, "wp:author_login", "writer")
    _sub(author, "wp:author_email", "writer@old.example.com")
    _sub(author, "wp:author_display_name", "The Writer")
    for nicename, name, parent in categories:
        category = _sub(channel, "wp:category")
        _sub(category, "wp:category_nicename", nicename)
        _sub(category, "wp:category_parent", parent)
        _sub(category, "wp:cat_name", name)
    for spec in items:
        item = _sub(channel, "item")
        _sub(item, "title", spec.title or spec.slug.replace("-", " ").capitalize() or f"Item {spec.id}")
        _sub(item, "link", spec.link or f"{site.rstrip('/')}/{spec.slug}/")
        _sub(item, "dc:creator", spec.creator)
        _sub(item, "guid", f"{site}/?p={spec.id}").set("isPermaLink", "false")
        _sub(item, "content:encoded", spec.content)
        _sub(item, "excerpt:encoded", "")
        _sub(item, "wp:post_id", str(spec.id))
        _sub(item, "wp:post_date", spec.date)
        _sub(item, "wp:post_date_gmt", spec.date)
        _sub(item, "wp:post_name", spec.slug)
        _sub(item, "wp:status", spec.status)
        _sub(item, "wp:post_parent", str(spec.parent))
        _sub(item, "wp:post_type", spec.type)
        _sub(item, "wp:post_password", spec.password)
        _sub(item, "wp:is_sticky", "0")
        for domain, terms in (("category", spec.categories), ("post_tag", spec.tags)):
            for nicename, name in terms:
                term = _sub(item, "category", name)
                term.set("domain", domain)
                term.set("nicename", nicename)
        for comment in spec.comments:
            node = _sub(item, "wp:comment")
            _sub(node, "wp:comment_id", str(comment.id))
            _sub(node, "wp:comment_author", comment.author)
            _sub(node, "wp:comment_author_email", comment.email)
            _sub(node, "wp:comment_author_url", "")
            _sub(node, "wp:comment_date", comment.date)
            _sub(node, "wp:comment_date_gmt", comment.date)
            _sub(node, "wp:comment_content", comment.content)
            _sub(node, "wp:comment_approved", comment.approved)
            _sub(node, "wp:comment_type", comment.type)
            _sub(node, "wp:comment_parent", str(comment.parent))
    data: bytes = etree.tostring(rss, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data
