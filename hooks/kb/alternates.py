"""Folders that need a ``sitemap.xml`` because a page links an alternate (e.g. a feed) there.

Material's instant navigation takes every ``<link rel="alternate">`` in a
page for a language version of the site and fetches ``sitemap.xml`` next to
it (``new URL("sitemap.xml", href)``). For a feed at ``feeds/rss.xml`` that
is ``feeds/sitemap.xml``: a 404 and a console error on every page load. An
empty sitemap in each such folder answers the fetch and maps no page.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urljoin, urlsplit

from lxml import etree

from kb.headlinks import HeadLink

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_BASE = "http://site.invalid/"


def alternate_folders(page_url: str, links: Iterable[HeadLink]) -> set[str]:
    """Site folders ('' is the root, else ending in '/') of the page-relative alternates in ``links``.

    Only ``rel`` exactly "alternate" counts (Material's selector is
    ``link[rel=alternate]``); links to other hosts are out of our hands.
    """
    folders = set()
    for link in links:
        parts = urlsplit(link.href)
        if link.rel != "alternate" or parts.scheme or parts.netloc:
            continue
        path = urlsplit(urljoin(_BASE + page_url, link.href)).path
        folders.add(path[1:path.rfind("/") + 1])
    return folders


def empty_sitemap() -> bytes:
    urlset = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS})
    return bytes(etree.tostring(urlset, xml_declaration=True, encoding="UTF-8"))
