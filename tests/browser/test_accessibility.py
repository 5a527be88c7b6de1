"""axe-core on every page type, light and dark, phone and desktop, with screenshots; then on every page.

axe-core comes bundled in axe-playwright-python and is injected into the page
(no network). Zero violations of serious or critical impact are allowed under
the WCAG 2.2 AA rule set.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from browser_support import DESKTOP, PHONE, OpenReader, Reader, blocking_violations
from sitebuild import Site

pytestmark = pytest.mark.browser

MISSING = "no/such/page/"

# One page of every type the site has: name -> address.
PAGE_TYPES = {
    "home": "",
    "blog-index": "blog/",
    "post": "blog/2009/04/06/good-customers-good-vendors/",
    "archive": "blog/archive/2009/",
    "category": "blog/category/partnerships/",
    "author": "blog/author/david-brock/",
    "guides-index": "guides/",
    "guide": "guides/partner-or-vendor/",
    "guide-checklist": "guides/great-vendor/",
    "decision-trees": "decisions/",
    "decision-tree": "decisions/partner-vs-vendor/",
    "decision-tree-step": "decisions/partner-vs-vendor/#step-be-a-great-vendor",
    "tags": "tags/",
    "feeds": "feeds/",
    "feed-page": "feeds/rss/",
    "about": "about/",
    "404": MISSING,
}
SCHEMES = {"light": "default", "dark": "slate"}


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_page_type_has_no_serious_accessibility_violations(
    open_reader: OpenReader, page_type: str, scheme: str
) -> None:
    reader = open_reader(color_scheme=scheme)
    path = PAGE_TYPES[page_type]
    if path == MISSING:
        reader.expected_missing.add(reader.site.url(path))
    reader.open(path)
    expect(reader.page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[scheme])
    for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        reader.page.set_viewport_size(viewport)
        assert blocking_violations(reader) == [], f"{page_type}, {scheme}, {width}"
        reader.screenshot(f"{page_type}-{scheme}-{width}")


def test_axe_reports_a_serious_violation_when_there_is_one(reader: Reader) -> None:
    reader.open("")
    reader.page.evaluate("""() => {
        const link = document.createElement("a");
        link.href = "#";
        document.querySelector("article").append(link);  // a link with no text: no accessible name
    }""")
    assert any(v.startswith("link-name (serious)") for v in blocking_violations(reader))


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_page_of_the_site_has_no_serious_accessibility_violations(
    open_reader: OpenReader, real_site: Site, scheme: str
) -> None:
    """Not a sample: every HTML page the build wrote, at both widths (code highlighting included)."""
    pages = sorted(p.relative_to(real_site.site_dir).as_posix() for p in real_site.site_dir.rglob("*.html"))
    assert len(pages) >= len(PAGE_TYPES) and "moving-from-wordpress/index.html" in pages
    reader = open_reader(color_scheme=scheme)
    found = []
    for page in pages:
        reader.open(page.removesuffix("index.html"))
        for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            reader.page.set_viewport_size(viewport)
            found += [f"{page} ({scheme}, {width}): {v}" for v in blocking_violations(reader)]
    assert found == []
