"""The site's own 404 page (overrides/404.html) helps the reader on."""

from __future__ import annotations

from sitebuild import Site, head_tags


def test_the_404_page_helps_the_reader_on(real_site: Site) -> None:
    page = real_site.html("404.html")
    assert page.findtext(".//title").strip() == "Page not found - Partner or Vendor"
    assert page.xpath("string(//article//h1)").strip() == "Page not found"
    links = page.xpath("//article//a/@href")
    # Absolute paths: the page is served for missing addresses at any depth.
    assert links == ["/.", "/blog/", "/guides/", "/decisions/"]
    assert page.xpath("//article//label[@for='__search']")
    assert page.xpath("//input[@id='__search']")
    head = head_tags(real_site, "404.html")
    assert head["description"][0].startswith("A knowledge base")
    assert head["og:title"] == ["Page not found"]
    assert head["canonical"] == []  # a 404 page stands for no one address
