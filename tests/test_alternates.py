"""kb.alternates: an empty sitemap.xml beside every rel="alternate" target."""

from __future__ import annotations

import lxml.etree

from kb.alternates import SITEMAP_NS, alternate_folders, empty_sitemap
from kb.headlinks import HeadLink
from sitebuild import Site


def link(href: str, rel: str = "alternate") -> HeadLink:
    return HeadLink(rel, "application/rss+xml", "t", href)


def test_folders_resolve_relative_to_the_page() -> None:
    assert alternate_folders("", [link("feeds/rss.xml")]) == {"feeds/"}
    category = [link("../../../feeds/category/x.xml")]
    assert alternate_folders("blog/category/x/", category) == {"feeds/category/"}
    assert alternate_folders("blog/", [link("../rss.xml"), link("../feeds/atom.xml")]) == {"", "feeds/"}
    assert alternate_folders("page.html", [link("feeds/rss.xml")]) == {"feeds/"}


def test_other_rels_and_other_hosts_are_ignored() -> None:
    links = [link("feeds/rss.xml", rel="stylesheet"), link("https://elsewhere.example/feed.xml"),
             link("//elsewhere.example/feed.xml")]
    assert alternate_folders("", links) == set()


def test_the_empty_sitemap_is_a_urlset_with_no_url() -> None:
    root = lxml.etree.fromstring(empty_sitemap())
    assert root.tag == f"{{{SITEMAP_NS}}}urlset" and len(root) == 0


def test_the_built_site_has_a_sitemap_beside_every_linked_alternate(real_site: Site) -> None:
    for page in ("", "blog/category/uncategorized/"):
        html = real_site.html(page)
        for href in html.xpath("//head/link[@rel='alternate']/@href"):
            folder = real_site.path(page + href).parent
            assert (folder / "sitemap.xml").is_file(), href
    assert len(lxml.etree.fromstring(real_site.path("sitemap.xml").read_bytes())) >= 19  # the real one kept
