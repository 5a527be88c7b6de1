"""Crawl a served site from its home page and report broken internal links and anchors.

A plain HTTP client (urllib) and lxml, no browser. Every internal URL found in
``href``/``src`` is fetched once; an ``#anchor`` must name an ``id`` (or an
``<a name>``) in the page it points to. URLs on the site's public address
(``site_url``, e.g. canonical links) are checked against the served copy.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import lxml.html

_REFERENCES = "//a/@href | //link/@href | //script/@src | //img/@src | //source/@src | //iframe/@src"


@dataclass
class Fetched:
    status: int
    html: bool
    ids: frozenset[str] = frozenset()
    references: list[str] = field(default_factory=list)


@dataclass
class Report:
    pages: set[str] = field(default_factory=set)
    broken: list[str] = field(default_factory=list)


def fetch(url: str) -> Fetched:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - our own test server
            status, body, kind = response.status, response.read(), response.headers.get_content_type()
    except urllib.error.HTTPError as error:
        status, body, kind = error.code, error.read(), error.headers.get_content_type()
    if kind != "text/html" or not body.strip():
        return Fetched(status, html=False)
    doc = lxml.html.fromstring(body)
    ids = frozenset(doc.xpath("//@id") + doc.xpath("//a/@name"))
    return Fetched(status, html=True, ids=ids, references=[str(r) for r in doc.xpath(_REFERENCES)])


def crawl(base_url: str, public_url: str | None = None, extra_starts: tuple[str, ...] = ()) -> Report:
    """Follow every internal link from ``base_url``; ``public_url`` is mapped onto ``base_url``.

    ``extra_starts`` are fetched too and may answer 404 (e.g. a missing
    address, to check the 404 page's own links).
    """
    base = urlsplit(base_url)
    public = urlsplit(public_url) if public_url else None
    report = Report()
    fetched: dict[str, Fetched] = {}
    anchors: list[tuple[str, str, str]] = []  # (page linking, target, fragment)
    queue: list[tuple[str, str]] = [(base_url, "the start")]
    queue += [(url, "the start") for url in extra_starts]
    expected_missing = set(extra_starts)

    def internal(url: str) -> str | None:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.netloc == base.netloc:
            return url
        if public and parts.scheme == public.scheme and parts.netloc == public.netloc:
            if parts.path.startswith(public.path):
                rest = parts.path[len(public.path):]
                return urljoin(base_url, rest) + (f"?{parts.query}" if parts.query else "")
        return None

    while queue:
        url, source = queue.pop()
        if url in fetched:
            continue
        result = fetched[url] = fetch(url)
        if result.status != 200 and url not in expected_missing:
            report.broken.append(f"{source}: {url} answers {result.status}")
        if not result.html or (result.status != 200 and url not in expected_missing):
            continue
        report.pages.add(url)
        for reference in result.references:
            target, fragment = urldefrag(urljoin(url, reference.strip()))
            mapped = internal(target)
            if mapped is None:
                continue
            if fragment:
                anchors.append((url, mapped, unquote(fragment)))
            if mapped not in fetched:
                queue.append((mapped, url))
    for source, target, fragment in anchors:
        page = fetched.get(target)
        if page is not None and page.html and fragment not in page.ids:
            report.broken.append(f"{source}: {target}#{fragment}: no element has id {fragment!r}")
    return report
