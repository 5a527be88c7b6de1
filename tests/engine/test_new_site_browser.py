"""A site made by `kb-engine new-site`, as its readers see it in Chromium at phone and desktop sizes:
the engine's styles and scripts load from the site itself, nothing is asked of another host, no
console error, no serious or critical axe-core violation, and its decision tree walks to an outcome."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from browser_support import DESKTOP, PHONE, Reader, blocking_violations, watch
from enginesite import make_site
from served import ServedSite, serve
from sitebuild import build_site

pytestmark = pytest.mark.browser

SIZES = {"phone": PHONE, "desktop": DESKTOP}
PAGES = ("", "blog/2026/01/05/welcome/", "guides/writing-a-guide/", "decisions/post-or-guide/")


@pytest.fixture(scope="module")
def served_new_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    work = tmp_path_factory.mktemp("new-site-browser")
    site = build_site(make_site(work / "mysite"), work / "built", strict=True)
    with serve(site.site_dir) as served:
        yield served


@pytest.fixture(params=list(SIZES))
def new_site_reader(request: pytest.FixtureRequest, browser: Browser,
                    served_new_site: ServedSite) -> Iterator[tuple[str, Reader]]:
    context = browser.new_context(viewport=SIZES[request.param])  # type: ignore[arg-type]
    context.set_default_timeout(10_000)
    page = context.new_page()
    reader = Reader(page, served_new_site)
    watch(page, reader)
    yield request.param, reader
    context.close()
    assert reader.foreign_requests() == [], "requests to a host other than the site"
    assert reader.console_errors() == [], "console errors"


def test_every_kind_of_page_loads_the_engines_assets_and_passes_axe(
        new_site_reader: tuple[str, Reader]) -> None:
    size, reader = new_site_reader
    for path in PAGES:
        reader.open(path)
        assert blocking_violations(reader) == [], (size, path)
        reader.screenshot(f"new-site-{size}-{path.strip('/').replace('/', '-') or 'home'}")
    asked = {Path(url.split("?")[0]).name for url in reader.requests}
    assert {"site.css", "decision-trees.css", "print.css", "search-latest.js"} <= asked


def test_the_decision_tree_walks_to_its_outcome(new_site_reader: tuple[str, Reader]) -> None:
    _size, reader = new_site_reader
    reader.open("decisions/post-or-guide/")
    page = reader.page
    outcome = page.locator("#step-write-a-guide")
    expect(outcome).to_be_hidden()  # the engine's style sheet shows one step at a time
    page.locator("#step-still-true").get_by_role("link", name="Yes: it is an answer we will keep").click()
    page.locator("#step-one-question").get_by_role("link", name="Yes", exact=True).click()
    expect(outcome).to_be_visible()
    expect(outcome.locator(".kb-tree-step__title")).to_contain_text("Write a guide")
    expect(outcome.locator(".kb-tree-links a").first).to_have_attribute(
        "href", "../../guides/writing-a-guide/#start-from-the-question")
