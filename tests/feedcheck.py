"""A strict checker for the site's feeds: RSS 2.0, Atom 1.0 (RFC 4287) and JSON Feed 1.1.

The W3C Feed Validation Service is not installable from a package registry
(`pip index versions feedvalidator` finds nothing), so the tests enforce the
rules it checks, as errors, including those it only warns about:
required elements, no unknown or repeated elements, known namespaces only,
RFC 822 / RFC 3339 dates with a timezone and not in the future, exactly one
self link equal to the feed's URL, unique item ids, absolute URLs
everywhere, and no relative link or unsafe markup inside item content.

Each ``check_*`` returns a list of problems; an empty list means valid.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"
SLASH = "http://purl.org/rss/1.0/modules/slash/"
WFW = "http://wellformedweb.org/CommentAPI/"
THREAD = "http://purl.org/syndication/thread/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"

RSS_NAMESPACES = {ATOM, CONTENT, DC, SLASH, WFW}
ATOM_NAMESPACES = {ATOM, THREAD}

# RSS 2.0: element -> (required, may repeat)
RSS_CHANNEL = {
    "title": (True, False), "link": (True, False), "description": (True, False),
    "language": (False, False), "copyright": (False, False), "managingEditor": (False, False),
    "webMaster": (False, False), "pubDate": (False, False), "lastBuildDate": (False, False),
    "category": (False, True), "generator": (False, False), "docs": (False, False),
    "cloud": (False, False), "ttl": (False, False), "image": (False, False),
    "rating": (False, False), "textInput": (False, False), "skipHours": (False, False),
    "skipDays": (False, False), "item": (False, True),
    f"{{{ATOM}}}link": (True, True),
}
RSS_ITEM = {
    "title": (False, False), "link": (False, False), "description": (False, False),
    "author": (False, False), "category": (False, True), "comments": (False, False),
    "enclosure": (False, False), "guid": (False, False), "pubDate": (False, False),
    "source": (False, False),
    f"{{{CONTENT}}}encoded": (False, False), f"{{{DC}}}creator": (False, True),
    f"{{{WFW}}}commentRss": (False, False), f"{{{SLASH}}}comments": (False, False),
}
ATOM_FEED = {
    "author": (False, True), "category": (False, True), "contributor": (False, True),
    "generator": (False, False), "icon": (False, False), "id": (True, False),
    "link": (False, True), "logo": (False, False), "rights": (False, False),
    "subtitle": (False, False), "title": (True, False), "updated": (True, False),
    "entry": (False, True),
}
ATOM_ENTRY = {
    "author": (False, True), "category": (False, True), "content": (False, False),
    "contributor": (False, True), "id": (True, False), "link": (False, True),
    "published": (False, False), "rights": (False, False), "source": (False, False),
    "summary": (False, False), "title": (True, False), "updated": (True, False),
}

RFC822 = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"\d{4} \d{2}:\d{2}:\d{2} ([+-]\d{4}|GMT|UT)$"
)
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
LANGUAGE = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$")
UNSAFE_ELEMENTS = {
    "script", "iframe", "object", "embed", "style", "form", "frame", "frameset", "meta", "link",
}
URL_ATTRIBUTES = ("href", "src", "poster", "cite", "action", "data", "longdesc")


def is_absolute(url: str | None) -> bool:
    if not url:
        return False
    parts = urlsplit(url.strip())
    if parts.scheme in ("http", "https"):
        return bool(parts.netloc)
    return parts.scheme in ("mailto", "urn", "tag", "data")


def _check_date(text: str | None, where: str, pattern: re.Pattern[str], now: datetime) -> list[str]:
    if text is None or not pattern.match(text):
        return [f"{where}: {text!r} is not a date in the required format"]
    try:
        value = parsedate_to_datetime(text) if pattern is RFC822 else datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return [f"{where}: {text!r} is not a real date"]
    if value.tzinfo is None:
        return [f"{where}: {text!r} has no timezone"]
    if value > now:
        return [f"{where}: {text!r} is in the future"]
    return []


# Text a feed reader may take for markup in a text element: a tag's start or
# a character reference, once the XML is decoded (what the W3C validator
# reports as "contains HTML"). Markup meant as markup belongs in an HTML
# construct (description, content:encoded, Atom type="html").
MARKUP_LIKE = re.compile(r"<[A-Za-z/!?]|&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")


def check_plain_text(text: str | None, where: str) -> list[str]:
    """A title or a name: plain text, nothing a reader could render as markup."""
    found = MARKUP_LIKE.search(text or "")
    return [f"{where}: markup-like text {found.group()!r} in plain text"] if found else []


def check_html(html: str, where: str) -> list[str]:
    """Content HTML: every URL absolute, nothing a reader would strip or refuse."""
    if not html.strip():
        return []
    problems: list[str] = []
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in UNSAFE_ELEMENTS:
            problems.append(f"{where}: unsafe <{element.tag}> in content")
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                problems.append(f"{where}: event handler {name} in content")
            if name in URL_ATTRIBUTES and not is_absolute(value):
                problems.append(f"{where}: relative URL {name}={value!r} in content")
            if name == "srcset":
                for candidate in value.split(","):
                    url = candidate.strip().split(" ")[0]
                    if url and not is_absolute(url):
                        problems.append(f"{where}: relative URL in srcset {value!r}")
    return problems


def _check_children(
    element: Any, rules: dict[str, tuple[bool, bool]], where: str, ns: str | None
) -> list[str]:
    problems: list[str] = []
    counts = Counter(child.tag for child in element if isinstance(child.tag, str))
    for tag, count in counts.items():
        if tag not in rules:
            namespace = tag[1:].split("}")[0] if tag.startswith("{") else None
            if namespace == ns or namespace is None:
                problems.append(f"{where}: unknown element <{tag}>")
            continue
        if count > 1 and not rules[tag][1]:
            problems.append(f"{where}: <{tag}> appears {count} times")
    for tag, (required, _) in rules.items():
        if required and counts[tag] == 0:
            problems.append(f"{where}: required <{tag}> is missing")
    return problems


def _namespaces(root: Any, allowed: set[str]) -> list[str]:
    elements = [el for el in root.iter() if isinstance(el.tag, str)]
    used = {el.tag[1:].split("}")[0] for el in elements if el.tag.startswith("{")}
    used |= {name[1:].split("}")[0] for el in elements for name in el.attrib if name.startswith("{")}
    return [f"unknown namespace {ns}" for ns in sorted(used - allowed - {XML_NS})]


def check_rss(data: bytes, self_url: str, now: datetime | None = None) -> list[str]:
    now = now or datetime.now(UTC)
    root = etree.fromstring(data)
    if root.tag != "rss" or root.get("version") != "2.0":
        return ["root element must be <rss version=\"2.0\">"]
    problems = _namespaces(root, RSS_NAMESPACES)
    channels = root.findall("channel")
    if len(channels) != 1 or len(root) != 1:
        return [*problems, "<rss> must hold exactly one <channel>"]
    channel = channels[0]
    problems += _check_children(channel, RSS_CHANNEL, "channel", None)
    for tag in ("title", "description"):
        if not (channel.findtext(tag) or "").strip():
            problems.append(f"channel: <{tag}> is empty")
    problems += check_plain_text(channel.findtext("title"), "channel/title")
    if not is_absolute(channel.findtext("link")):
        problems.append("channel: <link> must be an absolute URL")
    selfs = [link for link in channel.findall(f"{{{ATOM}}}link") if link.get("rel") == "self"]
    if len(selfs) != 1:
        problems.append(f"channel: expected one atom:link rel=self, found {len(selfs)}")
    elif selfs[0].get("href") != self_url or selfs[0].get("type") != "application/rss+xml":
        problems.append(f"channel: self link {dict(selfs[0].attrib)} does not match {self_url}")
    language = channel.findtext("language")
    if language is not None and not LANGUAGE.match(language):
        problems.append(f"channel: bad <language> {language!r}")
    for tag in ("lastBuildDate", "pubDate"):
        if channel.find(tag) is not None:
            problems += _check_date(channel.findtext(tag), f"channel/{tag}", RFC822, now)
    guids: list[str] = []
    for index, item in enumerate(channel.findall("item"), 1):
        where = f"item {index}"
        problems += _check_children(item, RSS_ITEM, where, None)
        if item.find("title") is None and item.find("description") is None:
            problems.append(f"{where}: needs a <title> or a <description>")
        for tag in ("link", "comments", f"{{{WFW}}}commentRss"):
            if item.find(tag) is not None and not is_absolute(item.findtext(tag)):
                problems.append(f"{where}: <{tag}> must be an absolute URL")
        guid = item.find("guid")
        if guid is None or not (guid.text or "").strip():
            problems.append(f"{where}: <guid> is missing")
        else:
            guids.append(guid.text or "")
            permalink = guid.get("isPermaLink", "true")
            if permalink not in ("true", "false"):
                problems.append(f"{where}: isPermaLink must be true or false")
            if permalink == "true" and not is_absolute(guid.text):
                problems.append(f"{where}: a permalink guid must be an absolute URL")
        problems += _check_date(item.findtext("pubDate"), f"{where}/pubDate", RFC822, now)
        author = item.findtext("author")
        if author is not None and "@" not in author:
            problems.append(f"{where}: <author> must be an e-mail address (use dc:creator for names)")
        problems += check_plain_text(item.findtext("title"), f"{where}/title")
        for tag in ("category", f"{{{DC}}}creator"):
            for element in item.findall(tag):
                if not (element.text or "").strip():
                    problems.append(f"{where}: empty <{tag}>")
                problems += check_plain_text(element.text, f"{where}/{tag}")
        count = item.findtext(f"{{{SLASH}}}comments")
        if count is not None and not count.isdigit():
            problems.append(f"{where}: slash:comments must be a whole number, not {count!r}")
        for tag in ("description", f"{{{CONTENT}}}encoded"):
            problems += check_html(item.findtext(tag) or "", f"{where}/{tag}")
    problems += [f"guid {g!r} is used {n} times" for g, n in Counter(guids).items() if n > 1]
    return problems


def _atom_text(element: Any, where: str) -> list[str]:
    kind = element.get("type", "text")
    if kind not in ("text", "html", "xhtml"):
        return [f"{where}: type must be text, html or xhtml"]
    if kind == "html":
        return check_html(element.text or "", where)
    if kind == "text":
        return check_plain_text(element.text, where)
    return []


def _atom_links(element: Any, where: str) -> tuple[list[str], list[Any]]:
    problems: list[str] = []
    links = element.findall(f"{{{ATOM}}}link")
    seen: Counter[tuple[str, str | None]] = Counter()
    for link in links:
        rel = link.get("rel", "alternate")
        if not is_absolute(link.get("href")):
            problems.append(f"{where}: link {dict(link.attrib)} needs an absolute href")
        count = link.get(f"{{{THREAD}}}count")
        if count is not None and (rel != "replies" or not count.isdigit()):
            problems.append(f"{where}: thr:count must be a whole number on a replies link")
        if rel == "alternate":
            seen[(rel, link.get("type"))] += 1
    problems += [f"{where}: more than one alternate link of type {t}" for (_, t), n in seen.items() if n > 1]
    return problems, links


def _atom_persons(element: Any, where: str) -> list[str]:
    problems = []
    for person in element.findall(f"{{{ATOM}}}author"):
        if not (person.findtext(f"{{{ATOM}}}name") or "").strip():
            problems.append(f"{where}: <author> needs a <name>")
        problems += check_plain_text(person.findtext(f"{{{ATOM}}}name"), f"{where}/author")
    return problems


def check_atom(data: bytes, self_url: str, now: datetime | None = None) -> list[str]:
    now = now or datetime.now(UTC)
    root = etree.fromstring(data)
    if root.tag != f"{{{ATOM}}}feed":
        return ["root element must be an Atom <feed>"]
    problems = _namespaces(root, ATOM_NAMESPACES)
    rules = {f"{{{ATOM}}}{k}": v for k, v in ATOM_FEED.items()}
    problems += _check_children(root, rules, "feed", ATOM)
    if not is_absolute(root.findtext(f"{{{ATOM}}}id")):
        problems.append("feed: <id> must be an absolute IRI")
    problems += _check_date(root.findtext(f"{{{ATOM}}}updated"), "feed/updated", RFC3339, now)
    language = root.get(f"{{{XML_NS}}}lang")
    if language is not None and not LANGUAGE.match(language):
        problems.append(f"feed: bad xml:lang {language!r}")
    for tag in ("title", "subtitle"):
        element = root.find(f"{{{ATOM}}}{tag}")
        if element is not None:
            problems += _atom_text(element, f"feed/{tag}")
    link_problems, links = _atom_links(root, "feed")
    problems += link_problems
    selfs = [link for link in links if link.get("rel") == "self"]
    if len(selfs) != 1:
        problems.append(f"feed: expected one link rel=self, found {len(selfs)}")
    elif selfs[0].get("href") != self_url or selfs[0].get("type") != "application/atom+xml":
        problems.append(f"feed: self link {dict(selfs[0].attrib)} does not match {self_url}")
    problems += _atom_persons(root, "feed")
    feed_has_author = root.find(f"{{{ATOM}}}author") is not None
    ids: list[str] = []
    entry_rules = {f"{{{ATOM}}}{k}": v for k, v in ATOM_ENTRY.items()}
    for index, entry in enumerate(root.findall(f"{{{ATOM}}}entry"), 1):
        where = f"entry {index}"
        problems += _check_children(entry, entry_rules, where, ATOM)
        entry_id = entry.findtext(f"{{{ATOM}}}id")
        if not is_absolute(entry_id):
            problems.append(f"{where}: <id> must be an absolute IRI")
        ids.append(entry_id or "")
        problems += _check_date(entry.findtext(f"{{{ATOM}}}updated"), f"{where}/updated", RFC3339, now)
        published = entry.findtext(f"{{{ATOM}}}published")
        if published is not None:
            problems += _check_date(published, f"{where}/published", RFC3339, now)
            updated = entry.findtext(f"{{{ATOM}}}updated") or ""
            if RFC3339.match(published) and RFC3339.match(updated):
                if datetime.fromisoformat(updated) < datetime.fromisoformat(published):
                    problems.append(f"{where}: <updated> is before <published>")
        link_problems, entry_links = _atom_links(entry, where)
        problems += link_problems
        content = entry.find(f"{{{ATOM}}}content")
        if content is None and not any(link.get("rel", "alternate") == "alternate" for link in entry_links):
            problems.append(f"{where}: needs <content> or an alternate link")
        if entry.find(f"{{{ATOM}}}author") is None and not feed_has_author:
            problems.append(f"{where}: no <author> here or in the feed")
        problems += _atom_persons(entry, where)
        for category in entry.findall(f"{{{ATOM}}}category"):
            if not (category.get("term") or "").strip():
                problems.append(f"{where}: <category> needs a term")
        for tag in ("title", "summary", "content"):
            element = entry.find(f"{{{ATOM}}}{tag}")
            if element is not None:
                problems += _atom_text(element, f"{where}/{tag}")
    problems += [f"entry id {i!r} is used {n} times" for i, n in Counter(ids).items() if n > 1]
    return problems


JSON_TOP = {"version", "title", "home_page_url", "feed_url", "description", "user_comment", "next_url",
            "icon", "favicon", "authors", "language", "expired", "hubs", "items"}
JSON_ITEM = {"id", "url", "external_url", "title", "content_html", "content_text", "summary", "image",
             "banner_image", "date_published", "date_modified", "authors", "tags", "language", "attachments"}


def _json_keys(obj: dict[str, Any], allowed: set[str], where: str) -> list[str]:
    return [f"{where}: unknown key {k!r} (extensions start with _)" for k in obj
            if k not in allowed and not k.startswith("_")]


def _json_authors(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not value:
        return [f"{where}: authors must be a non-empty list"]
    problems = []
    for author in value:
        if not isinstance(author, dict) or not ({"name", "url", "avatar"} & author.keys()):
            problems.append(f"{where}: an author needs a name, url or avatar")
    return problems


def check_json_feed(data: bytes, self_url: str, now: datetime | None = None) -> list[str]:
    now = now or datetime.now(UTC)
    feed = json.loads(data.decode("utf-8"))
    if not isinstance(feed, dict):
        return ["a JSON Feed is an object"]
    problems = _json_keys(feed, JSON_TOP, "feed")
    if feed.get("version") != "https://jsonfeed.org/version/1.1":
        problems.append("feed: version must be https://jsonfeed.org/version/1.1")
    if not isinstance(feed.get("title"), str) or not feed["title"].strip():
        problems.append("feed: title is required")
    if feed.get("feed_url") != self_url:
        problems.append(f"feed: feed_url {feed.get('feed_url')!r} does not match {self_url}")
    if not is_absolute(feed.get("home_page_url")):
        problems.append("feed: home_page_url must be an absolute URL")
    if "language" in feed and not LANGUAGE.match(str(feed["language"])):
        problems.append("feed: bad language")
    if "authors" in feed:
        problems += _json_authors(feed["authors"], "feed")
    items = feed.get("items")
    if not isinstance(items, list):
        return [*problems, "feed: items must be a list"]
    ids: list[str] = []
    for index, item in enumerate(items, 1):
        where = f"item {index}"
        problems += _json_keys(item, JSON_ITEM, where)
        if not isinstance(item.get("id"), str) or not item["id"]:
            problems.append(f"{where}: id must be a non-empty string")
        ids.append(str(item.get("id")))
        if "content_html" not in item and "content_text" not in item:
            problems.append(f"{where}: needs content_html or content_text")
        if "url" in item and not is_absolute(item["url"]):
            problems.append(f"{where}: url must be absolute")
        for key in ("date_published", "date_modified"):
            if key in item:
                problems += _check_date(item[key], f"{where}/{key}", RFC3339, now)
        if "authors" in item:
            problems += _json_authors(item["authors"], where)
        if "tags" in item and not all(isinstance(t, str) for t in item["tags"]):
            problems.append(f"{where}: tags must be strings")
        problems += check_html(item.get("content_html", ""), f"{where}/content_html")
        for extension in (v for k, v in item.items() if k.startswith("_")):
            if isinstance(extension, dict):
                for key, value in extension.items():
                    if key.endswith("url") and not is_absolute(value):
                        problems.append(f"{where}: extension URL {key} must be absolute")
    problems += [f"item id {i!r} is used {n} times" for i, n in Counter(ids).items() if n > 1]
    return problems


def check_feed(path_name: str, data: bytes, self_url: str) -> list[str]:
    """Check a feed file by its name: ``.json`` is JSON Feed, Atom by its root, else RSS."""
    if path_name.endswith(".json"):
        return check_json_feed(data, self_url)
    if etree.fromstring(data).tag == f"{{{ATOM}}}feed":
        return check_atom(data, self_url)
    return check_rss(data, self_url)


def all_problems(feeds: Iterable[tuple[str, bytes, str]]) -> list[str]:
    return [f"{name}: {p}" for name, data, url in feeds for p in check_feed(name, data, url)]
