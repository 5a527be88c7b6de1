"""Description, canonical URL and OpenGraph tags on every page; the sitemap (the site's 404 page: tests/site)."""

from __future__ import annotations

from pathlib import Path

import lxml.etree
import pytest

from enginesite import GUIDE_URL, NEWEST_URL, SITE_URL, THREAD_URL
from sitebuild import Site, build_site, head_tags

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _pages(site: Site) -> list[str]:
    """URLs (relative to the root) of every built page but 404.html and the redirects from old addresses."""
    urls = []
    for path in site.files():
        if path.name == "index.html" and 'http-equiv="refresh"' not in path.read_text(encoding="utf-8"):
            urls.append(path.parent.relative_to(site.site_dir).as_posix().removeprefix(".") + "/")
    return [u.removeprefix("/") for u in urls]


def test_every_page_has_one_description_canonical_url_and_opengraph_tags(engine_site: Site) -> None:
    pages = _pages(engine_site)
    assert len(pages) >= 20
    for url in pages:
        head = head_tags(engine_site, url)
        assert len(head.get("description", [])) == 1 and head["description"][0].strip(), url
        assert head["canonical"] == [SITE_URL + url], url
        assert head["og:url"] == head["canonical"], url
        assert head["og:description"] == head["description"], url
        assert len(head.get("og:title", [])) == 1 and head["og:title"][0].strip(), url
        assert head["og:site_name"] == ["Crumb & Crust"], url


def test_a_description_with_quotes_is_escaped_not_broken(engine_site: Site) -> None:
    head = head_tags(engine_site, NEWEST_URL)
    assert head["description"] == [
        'Reading the "spring" of a loaf in the oven to tell an under-proofed loaf from an over-proofed one.'
    ]
    assert head["og:title"] == ["What oven spring tells you about the proof"]
    assert head["og:type"] == ["article"]


def test_pages_without_a_description_fall_back_to_the_site_description(engine_site: Site) -> None:
    head = head_tags(engine_site, "blog/archive/2026/")
    assert head["description"] == ["Notes and guides on baking bread at home, for a test of the engine."]
    assert head_tags(engine_site, "")["og:title"] == ["Crumb & Crust"]
    assert head_tags(engine_site, "")["og:type"] == ["website"]


def test_markup_in_a_description_stays_text(engine_project: Path, tmp_path: Path) -> None:
    guide = engine_project.parent / "docs" / "guides" / "starter.md"
    text = guide.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("description: "))
    guide.write_text(text.replace(old, 'description: \'Say "no" <script>x()</script> & mean it\''),
                     encoding="utf-8")
    site = build_site(engine_project, tmp_path / "site")
    assert head_tags(site, GUIDE_URL)["description"] == ['Say "no" <script>x()</script> & mean it']
    assert "<script>x()" not in site.text(GUIDE_URL + "index.html")


def test_the_sitemap_lists_every_page_with_its_absolute_url(engine_site: Site) -> None:
    sitemap = lxml.etree.fromstring(engine_site.path("sitemap.xml").read_bytes())
    locs = sitemap.xpath("//s:loc/text()", namespaces=SITEMAP_NS)
    assert len(locs) == len(set(locs))
    assert all(loc.startswith(SITE_URL) for loc in locs), locs
    assert sorted(locs) == sorted(SITE_URL + url for url in _pages(engine_site))
    assert SITE_URL + THREAD_URL in locs
    assert all("first-batard/" not in loc or loc.endswith("blog/2026/04/10/first-batard/") for loc in locs)


@pytest.mark.parametrize("url", ["", "blog/", THREAD_URL, GUIDE_URL])
def test_the_page_head_starts_with_the_charset(engine_site: Site, url: str) -> None:
    head = engine_site.text(url if url.endswith(".html") else url + "index.html")[:1024]
    assert '<meta charset="utf-8">' in head
