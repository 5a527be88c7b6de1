"""Description, canonical URL and OpenGraph tags on every page; the 404 page; the sitemap.

Engine feature tested on this site's content.
"""

from __future__ import annotations

from pathlib import Path

import lxml.etree
import pytest

from sitebuild import Site, build_site

SITE_URL = "https://kb.example.org/"
POST_URL = "blog/2009/04/06/good-customers-good-vendors/"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _pages(site: Site) -> list[str]:
    """URLs (relative to the root) of every built page but 404.html."""
    urls = []
    for path in site.files():
        if path.name == "index.html":
            urls.append(path.parent.relative_to(site.site_dir).as_posix().removeprefix(".") + "/")
    return [u.removeprefix("/") for u in urls]


def _head(site: Site, url: str) -> dict[str, list[str]]:
    page = site.html(url)
    found: dict[str, list[str]] = {}
    for meta in page.xpath("//head/meta[@name or @property]"):
        found.setdefault(meta.get("name") or meta.get("property"), []).append(meta.get("content"))
    found["canonical"] = page.xpath("//head/link[@rel='canonical']/@href")
    return found


def test_every_page_has_one_description_canonical_url_and_opengraph_tags(real_site: Site) -> None:
    pages = _pages(real_site)
    assert len(pages) >= 19
    for url in pages:
        head = _head(real_site, url)
        assert len(head.get("description", [])) == 1 and head["description"][0].strip(), url
        assert head["canonical"] == [SITE_URL + url], url
        assert head["og:url"] == head["canonical"], url
        assert head["og:description"] == head["description"], url
        assert len(head.get("og:title", [])) == 1 and head["og:title"][0].strip(), url
        assert head["og:site_name"] == ["Partner or Vendor"], url


def test_a_description_with_quotes_is_escaped_not_broken(real_site: Site) -> None:
    head = _head(real_site, POST_URL)
    assert head["description"] == [
        'David Brock on why "partnering" is overused in sales, why most partnerships fail, '
        "and why most customers simply want a great vendor."
    ]
    assert head["og:title"] == [
        "Sometimes All We Want Is Good Customers. Sometimes All Customers Want Is Good Vendors."
    ]
    assert head["og:type"] == ["article"]


def test_pages_without_a_description_fall_back_to_the_site_description(real_site: Site) -> None:
    head = _head(real_site, "blog/archive/2009/")
    assert head["description"][0].startswith("A knowledge base and blog for sales-enablement teams")
    assert _head(real_site, "")["og:title"] == ["Partner or Vendor"]
    assert _head(real_site, "")["og:type"] == ["website"]


def test_markup_in_a_description_stays_text(project_copy: Path, tmp_path: Path) -> None:
    guide = project_copy.parent / "docs" / "guides" / "glossary.md"
    text = guide.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("description: "))
    guide.write_text(text.replace(old, 'description: \'Say "no" <script>x()</script> & mean it\''),
                     encoding="utf-8")
    site = build_site(project_copy, tmp_path / "site")
    assert _head(site, "guides/glossary/")["description"] == ['Say "no" <script>x()</script> & mean it']
    assert "<script>x()" not in site.text("guides/glossary/index.html")


def test_the_404_page_helps_the_reader_on(real_site: Site) -> None:
    page = real_site.html("404.html")
    assert page.findtext(".//title").strip() == "Page not found - Partner or Vendor"
    assert page.xpath("string(//article//h1)").strip() == "Page not found"
    links = page.xpath("//article//a/@href")
    # Absolute paths: the page is served for missing addresses at any depth.
    assert links == ["/.", "/blog/", "/guides/", "/decisions/"]
    assert page.xpath("//article//label[@for='__search']")
    assert page.xpath("//input[@id='__search']")
    head = _head(real_site, "404.html")
    assert head["description"][0].startswith("A knowledge base")
    assert head["og:title"] == ["Page not found"]
    assert head["canonical"] == []  # a 404 page stands for no one address


def test_the_sitemap_lists_every_page_with_its_absolute_url(real_site: Site) -> None:
    sitemap = lxml.etree.fromstring(real_site.path("sitemap.xml").read_bytes())
    locs = sitemap.xpath("//s:loc/text()", namespaces=SITEMAP_NS)
    assert len(locs) == len(set(locs))
    assert all(loc.startswith(SITE_URL) for loc in locs), locs
    assert sorted(locs) == sorted(SITE_URL + url for url in _pages(real_site))
    assert SITE_URL + POST_URL in locs


@pytest.mark.parametrize("url", ["", "blog/", POST_URL, "guides/partner-or-vendor/"])
def test_the_page_head_starts_with_the_charset(real_site: Site, url: str) -> None:
    head = real_site.text(url if url.endswith(".html") else url + "index.html")[:1024]
    assert '<meta charset="utf-8">' in head
