"""Read a WordPress eXtended RSS (WXR) export, safely, into plain values.

WXR is RSS 2.0 with WordPress's own namespace (``wp:``), versions 1.0, 1.1
and 1.2, declared as ``http://wordpress.org/export/1.x/`` or, in some
exporters, ``https://...``. The file is parsed with lxml with every risky
feature off: no DTD is loaded, no entity is resolved (a document that
declares a DOCTYPE is refused outright, which stops entity-expansion
"billion laughs" files and external entities alike), no network access and
no unbounded text nodes (``huge_tree`` off).

Every problem is a :class:`WXRError` carrying ``file:line:column``. A problem
with the file stops the reading; one inside an ``<item>`` (no id, a date
that is not one) leaves that item out, in ``Export.unreadable``, and the
rest is read: one broken post must not cost the owner the others.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
_WP_NS = re.compile(r"\Ahttps?://wordpress\.org/export/(1\.[012])/\Z")
_EXCERPT_NS = re.compile(r"\Ahttps?://wordpress\.org/export/1\.[012]/excerpt/\Z")
ZERO_DATE = "0000-00-00 00:00:00"
_WP_DATE = re.compile(r"\A\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\Z")


class WXRError(Exception):
    """The export cannot be read; ``str()`` is one ``file:line:column: message`` line."""

    def __init__(self, file: str, line: int, column: int, message: str) -> None:
        self.file, self.line, self.column, self.message = file, line, column, message
        super().__init__(f"{file}:{line}:{column}: {message}")


@dataclass(frozen=True, slots=True)
class Author:
    login: str
    display_name: str
    email: str  # used only to hash; never written anywhere


@dataclass(frozen=True, slots=True)
class Category:
    nicename: str
    name: str
    parent: str  # the parent's nicename, or ""


@dataclass(frozen=True, slots=True)
class Term:
    """A category or tag an item is filed under."""

    domain: str  # "category", "post_tag", ...
    nicename: str
    name: str


@dataclass(frozen=True, slots=True)
class WPComment:
    id: int
    author: str
    email: str
    url: str
    date_local: str
    date_gmt: str
    content: str
    approved: str  # "1", "0", "spam", "trash", ...
    type: str  # "", "comment", "pingback", "trackback"
    parent: int
    line: int


@dataclass(slots=True)  # slots: an export holds hundreds of thousands of these
class Item:
    id: int
    title: str
    link: str
    guid: str
    post_name: str
    post_type: str
    status: str
    date_local: str
    date_gmt: str
    modified_gmt: str
    content: str
    excerpt: str
    creator: str
    password: str
    sticky: bool
    parent: int
    attachment_url: str
    terms: list[Term] = field(default_factory=list)
    comments: list[WPComment] = field(default_factory=list)
    line: int = 0


@dataclass
class Export:
    file: str
    version: str
    title: str
    link: str  # the site's address
    base_site_url: str
    base_blog_url: str
    authors: list[Author] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    # items that cannot be read (no id, a date that is not one...): the rest of the export still is
    unreadable: list[WXRError] = field(default_factory=list)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def read_export(path: Path, shown: str | None = None) -> Export:
    """Parse the WXR file at ``path``; raise :class:`WXRError` on any problem."""
    file = shown or str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise WXRError(file, 0, 0, f"cannot be read ({error.strerror or error})") from None
    return parse_export(data, file)


def parse_export(data: bytes, file: str) -> Export:
    """Parse WXR ``data`` (the file's bytes); ``file`` names it in messages."""
    if not data.strip():
        raise WXRError(file, 1, 1, "the file is empty, not a WordPress export")
    doctype = re.search(rb"<!DOCTYPE", data[:65536], re.IGNORECASE)
    if doctype is not None:
        line, column = _position(data, doctype.start())
        raise WXRError(
            file, line, column, "a DOCTYPE (entity declarations) is not allowed in a WordPress export"
        )
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        line, column = error.position if error.position else (error.lineno or 1, error.offset or 1)
        message = ((error.msg or str(error)).strip().splitlines() or ["unreadable"])[0]
        message = re.sub(r",? line \d+(?:, column \d+)?\Z", "", message).strip()
        if "encoding" in message.lower() or "utf-8" in message.lower():
            declared = re.match(rb"<\?xml[^>]*encoding=[\"']([\w.:-]+)", data.lstrip(b"\xef\xbb\xbf"))
            name = declared.group(1).decode("ascii") if declared else "UTF-8"
            message += f" (the file is not valid {name}, the encoding it declares; export it again as UTF-8)"
        raise WXRError(file, line or 1, column or 1, f"not well-formed XML: {message}") from None
    if root.getroottree().docinfo.doctype:
        raise WXRError(file, 1, 1, "a DOCTYPE (entity declarations) is not allowed in a WordPress export")
    return _read(root, data, file)


def _position(data: bytes, offset: int) -> tuple[int, int]:
    before = data[:offset]
    line = before.count(b"\n") + 1
    column = offset - (before.rfind(b"\n") + 1) + 1
    return line, column


class _Reader:
    def __init__(self, data: bytes, file: str, wp: str, excerpt: str) -> None:
        self.lines: list[bytes] | None = None
        self.data, self.file, self.wp, self.excerpt = data, file, wp, excerpt

    def error(self, element: etree._Element, message: str) -> WXRError:
        line = element.sourceline or 1
        return WXRError(self.file, line, self._column(element, line), message)

    def _column(self, element: etree._Element, line: int) -> int:
        if self.lines is None:
            self.lines = self.data.split(b"\n")
        if line > len(self.lines):
            return 1
        name = etree.QName(element).localname.encode()
        found = re.search(rb"<(?:[\w.-]+:)?" + re.escape(name) + rb"[\s/>]", self.lines[line - 1])
        return found.start() + 1 if found else 1

    def text(self, parent: etree._Element, ns: str, name: str, *, required: bool = False) -> str:
        child = parent.find(f"{{{ns}}}{name}")
        if child is None:
            if required:
                prefix = "wp:" if ns == self.wp else ""
                raise self.error(parent, f"<{etree.QName(parent).localname}> has no <{prefix}{name}>")
            return ""
        return child.text or ""

    def integer(self, parent: etree._Element, name: str, *, required: bool = False) -> int:
        value = self.text(parent, self.wp, name, required=required).strip()
        if not value:
            return 0
        if not value.isdigit():
            child = parent.find(f"{{{self.wp}}}{name}")
            raise self.error(
                child if child is not None else parent, f"<wp:{name}> must be a number, got '{value}'"
            )
        return int(value)

    def date(self, parent: etree._Element, name: str) -> str:
        value = self.text(parent, self.wp, name).strip()
        if value and value != ZERO_DATE and parse_wp_date(value) is None:
            child = parent.find(f"{{{self.wp}}}{name}")
            raise self.error(
                child if child is not None else parent,
                f"<wp:{name}> is not a date (YYYY-MM-DD HH:MM:SS): '{value}'",
            )
        return value


def _rss_date(value: str) -> str:
    """An RSS ``<pubDate>`` (RFC 822) as a WordPress GMT date; "" if it is not one."""
    try:
        moment = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%d %H:%M:%S") if 1000 <= moment.year <= 9999 else ""


def _version_of(namespace: str) -> str:
    found = _WP_NS.match(namespace)
    return found.group(1) if found else ""


def parse_wp_date(value: str) -> dt.datetime | None:
    """``YYYY-MM-DD HH:MM:SS`` as WordPress writes it (naive); None if it is not one."""
    value = value.strip()
    if not value or value == ZERO_DATE or not _WP_DATE.match(value):
        return None
    try:
        return dt.datetime.fromisoformat(value)  # the shape is checked above; much faster than strptime
    except ValueError:  # e.g. month 13
        return None


def _read(root: etree._Element, data: bytes, file: str) -> Export:
    if etree.QName(root).localname != "rss" or etree.QName(root).namespace:
        raise WXRError(
            file,
            root.sourceline or 1,
            1,
            f"not a WordPress export: the root element is <{etree.QName(root).localname}>, not <rss>",
        )
    wp = next((ns for ns in root.nsmap.values() if ns and _WP_NS.match(ns)), None)
    if wp is None:
        raise WXRError(
            file,
            root.sourceline or 1,
            1,
            "not a WordPress export: <rss> does not declare the "
            "namespace http://wordpress.org/export/1.0/, 1.1/ or 1.2/ (http or https)",
        )
    excerpt = next((ns for ns in root.nsmap.values() if ns and _EXCERPT_NS.match(ns)), "")
    reader = _Reader(data, file, wp, excerpt)
    channel = root.find("channel")
    if channel is None:
        raise reader.error(root, "not a WordPress export: <rss> has no <channel>")
    # Hand-made and trimmed exports (a comment system's migration data, say) often leave
    # <wp:wxr_version> out; the namespace already says which version it is.
    version = reader.text(channel, wp, "wxr_version").strip() or _version_of(wp)
    if version not in ("1.0", "1.1", "1.2"):
        node = channel.find(f"{{{wp}}}wxr_version")
        raise reader.error(
            node if node is not None else channel,
            f"WXR version {version} is not supported (1.0, 1.1 and 1.2 are)",
        )
    export = Export(
        file=file,
        version=version,
        title=reader.text(channel, "", "title") if channel.find("title") is not None else "",
        link=(channel.findtext("link") or "").strip(),
        base_site_url=reader.text(channel, wp, "base_site_url").strip(),
        base_blog_url=reader.text(channel, wp, "base_blog_url").strip(),
    )
    for element in channel.iterchildren(f"{{{wp}}}author"):
        login = reader.text(element, wp, "author_login", required=True).strip()
        export.authors.append(
            Author(
                login,
                reader.text(element, wp, "author_display_name").strip() or login,
                reader.text(element, wp, "author_email").strip(),
            )
        )
    for element in channel.iterchildren(f"{{{wp}}}category"):
        nicename = reader.text(element, wp, "category_nicename", required=True).strip()
        export.categories.append(
            Category(
                nicename,
                reader.text(element, wp, "cat_name").strip() or nicename,
                reader.text(element, wp, "category_parent").strip(),
            )
        )
    for element in channel.iterchildren("item"):
        try:
            export.items.append(_item(reader, element))
        except WXRError as error:
            export.unreadable.append(error)
        # Read: its text now lives in the Item; emptying the element lets lxml free its copy.
        element.clear()
    return export


def _item(reader: _Reader, element: etree._Element) -> Item:
    wp = reader.wp
    item = Item(
        id=reader.integer(element, "post_id", required=True),
        title=element.findtext("title") or "",
        link=(element.findtext("link") or "").strip(),
        guid=(element.findtext("guid") or "").strip(),
        post_name=reader.text(element, wp, "post_name").strip(),
        post_type=reader.text(element, wp, "post_type", required=True).strip(),
        status=reader.text(element, wp, "status", required=True).strip(),
        date_local=reader.date(element, "post_date"),
        date_gmt=reader.date(element, "post_date_gmt"),
        modified_gmt=reader.date(element, "post_modified_gmt"),
        content=reader.text(element, CONTENT_NS, "encoded"),
        excerpt=reader.text(element, reader.excerpt, "encoded") if reader.excerpt else "",
        creator=reader.text(element, DC_NS, "creator").strip(),
        password=reader.text(element, wp, "post_password"),
        sticky=reader.text(element, wp, "is_sticky").strip() == "1",
        parent=reader.integer(element, "post_parent"),
        attachment_url=reader.text(element, wp, "attachment_url").strip(),
        line=element.sourceline or 0,
    )
    if not item.date_local and not item.date_gmt:
        item.date_gmt = _rss_date(element.findtext("pubDate") or "")  # the RSS date, when it is all there is
    if not item.date_local and not item.date_gmt and item.post_type in ("post", "page"):
        raise reader.error(element, f"item {item.id}: no <wp:post_date>, <wp:post_date_gmt> or <pubDate>")
    for term in element.iterchildren("category"):
        item.terms.append(
            Term(term.get("domain", "category"), term.get("nicename", ""), (term.text or "").strip())
        )
    for node in element.iterchildren(f"{{{wp}}}comment"):
        item.comments.append(
            WPComment(
                id=reader.integer(node, "comment_id", required=True),
                author=reader.text(node, wp, "comment_author"),
                email=reader.text(node, wp, "comment_author_email").strip(),
                url=reader.text(node, wp, "comment_author_url").strip(),
                date_local=reader.date(node, "comment_date"),
                date_gmt=reader.date(node, "comment_date_gmt"),
                content=reader.text(node, wp, "comment_content"),
                approved=reader.text(node, wp, "comment_approved").strip(),
                type=reader.text(node, wp, "comment_type").strip(),
                parent=reader.integer(node, "comment_parent"),
                line=node.sourceline or 0,
            )
        )
    return item
