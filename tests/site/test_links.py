"""No broken internal link or anchor anywhere in the served site."""

from __future__ import annotations

from pathlib import Path

import lxml.etree

from linkcheck import crawl
from served import ServedSite, serve
from sitebuild import Site

PUBLIC_URL = "https://kb.example.org/"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def test_every_internal_link_and_anchor_resolves(served_site: ServedSite) -> None:
    missing = served_site.url("no/such/page/")
    report = crawl(served_site.base_url, PUBLIC_URL, extra_starts=(missing,))
    assert report.broken == []
    assert missing in report.pages  # the 404 page was served there, and its links crawled


def test_the_crawl_reaches_every_page_in_the_sitemap(served_site: ServedSite, real_site: Site) -> None:
    sitemap = lxml.etree.fromstring(real_site.path("sitemap.xml").read_bytes())
    listed = {served_site.url(loc.removeprefix(PUBLIC_URL)) for loc in sitemap.xpath("//s:loc/text()",
                                                                                      namespaces=SITEMAP_NS)}
    report = crawl(served_site.base_url, PUBLIC_URL)
    assert listed - report.pages == set()
    assert len(listed) >= 19


def _page(body: str) -> str:
    return f"<!doctype html><html lang=en><head><title>t</title></head><body>{body}</body></html>"


def test_the_crawler_reports_broken_links_and_anchors(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(_page(
        '<h2 id="here">Here</h2><a href="#here">ok</a> <a href="a/">a</a> <a href="gone/">gone</a>'
        ' <a href="a/#nowhere">bad anchor</a> <a href="https://kb.example.org/missing/">public</a>'
        ' <a href="https://elsewhere.example/x">external, not followed</a>'
    ))
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(_page('<p id="top">A</p><img src="../pic.png" alt="">'))
    with serve(tmp_path) as served:
        report = crawl(served.base_url, PUBLIC_URL)
        base = served.base_url
    assert sorted(report.broken) == sorted([
        f"{base}: {base}gone/ answers 404",
        f"{base}: {base}missing/ answers 404",
        f"{base}a/: {base}pic.png answers 404",
        f"{base}: {base}a/#nowhere: no element has id 'nowhere'",
    ])
    assert report.pages == {base, f"{base}a/"}
