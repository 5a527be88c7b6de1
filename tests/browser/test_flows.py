"""What readers do, in Chromium, over the served site."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from browser_support import OpenReader, Reader

pytestmark = pytest.mark.browser

POST_URL = "blog/2009/04/06/good-customers-good-vendors/"
POST_TITLE = "Sometimes All We Want Is Good Customers. Sometimes All Customers Want Is Good Vendors."


def test_the_home_page_leads_to_the_blog_guides_and_decision_tree(reader: Reader) -> None:
    reader.open("")
    expect(reader.page).to_have_title("Partner or Vendor")
    expect(reader.page.locator("article h1")).to_contain_text("Partner or vendor?")
    tabs = reader.page.locator("nav.md-tabs a.md-tabs__link")
    names = [t.strip() for t in tabs.all_inner_texts()]
    assert names[:4] == ["Home", "Blog", "Guides", "Decision tree"], names
    for target in ("blog/", "guides/", "decisions/partner-vs-vendor/"):
        expect(reader.page.locator(f'article a[href="{reader.site.url(target)}"]').first).to_be_visible()
    assert any(url.endswith("/stylesheets/site.css") for url in reader.requests)


def test_a_reader_goes_from_the_blog_index_to_the_source_post(reader: Reader) -> None:
    reader.open("blog/")
    reader.page.locator("article h2 a", has_text="Sometimes All We Want").click()
    expect(reader.page).to_have_url(reader.site.url(POST_URL))
    expect(reader.page.locator("article h1")).to_contain_text(POST_TITLE)
    expect(reader.page.locator(".md-post__authors")).to_contain_text("David Brock")
    expect(reader.page.locator("article")).to_contain_text("Partnerships are tough")


def _search(reader: Reader, word: str) -> None:
    query = reader.page.locator("input.md-search__input")
    query.click()
    expect(query).to_be_focused()
    query.press_sequentially(word)  # Material searches on key events


@pytest.mark.parametrize(
    ("word", "target"),
    [("schizoid", POST_URL), ("scorecard", "guides/partner-or-vendor/")],
    ids=["source-post", "guide"],
)
def test_search_finds_a_page_by_a_word_from_its_body(reader: Reader, word: str, target: str) -> None:
    reader.open("")
    _search(reader, word)
    result = reader.page.locator(f'.md-search-result__item a[href^="{reader.site.url(target)}"]').first
    expect(result).to_be_visible()
    expect(reader.page.locator(".md-search-result__meta")).to_contain_text("1 matching document")
    result.click()
    expect(reader.page).to_have_url(re.compile(re.escape(reader.site.url(target))))
    expect(reader.page.locator("article")).to_contain_text(re.compile(word, re.IGNORECASE))


@pytest.mark.parametrize("path", ["", "blog/category/partnerships/"], ids=["home", "category"])
def test_feed_links_are_discoverable_in_the_page_head(reader: Reader, path: str) -> None:
    reader.open(path)
    feeds = reader.page.eval_on_selector_all(
        'head link[rel="alternate"]', "links => links.map(l => [l.type, l.href])"
    )
    types = {kind for kind, _ in feeds}
    assert {"application/rss+xml", "application/atom+xml"} <= types, feeds
    if path:
        assert any(href.endswith("/category-partnerships.xml") for _, href in feeds), feeds
    for kind, href in feeds:  # each one is served, and is what it says it is
        response = reader.page.request.get(href)
        assert response.ok, href
        if kind != "application/feed+json":
            assert b"<rss" in response.body() or b"<feed" in response.body(), href


def test_the_palette_toggle_switches_scheme_and_the_choice_persists(reader: Reader) -> None:
    reader.open("")
    assert reader.scheme() == "default"
    reader.page.locator('label[for="__palette_1"]').click()
    expect(reader.page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    reader.page.locator("nav.md-tabs a", has_text="Guides").click()
    expect(reader.page).to_have_url(reader.site.url("guides/"))
    expect(reader.page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    reader.open("blog/")  # a full page load, not instant navigation
    assert reader.scheme() == "slate"
    reader.page.locator('label[for="__palette_0"]').click()
    expect(reader.page.locator("body")).to_have_attribute("data-md-color-scheme", "default")


def test_a_reader_who_prefers_dark_gets_the_dark_scheme(open_reader: OpenReader) -> None:
    reader = open_reader(color_scheme="dark")
    reader.open("")
    assert reader.scheme() == "slate"


def test_a_missing_address_shows_the_404_page_with_working_links(reader: Reader) -> None:
    missing = reader.site.url("no/such/page/")
    reader.expected_missing.add(missing)
    response = reader.page.goto(missing)
    assert response is not None and response.status == 404
    expect(reader.page.locator("article h1")).to_have_text("Page not found")
    reader.page.locator("article a", has_text="The blog").click()
    expect(reader.page).to_have_url(reader.site.url("blog/"))


def test_the_watchers_catch_off_site_requests_and_console_errors(reader: Reader) -> None:
    # The suite's guarantees rest on these hooks; prove they fire. The off-site
    # request is answered inside the browser, so nothing leaves the machine.
    reader.page.route("http://third-party.test/**", lambda route: route.fulfill(body=b""))
    reader.open("")
    reader.page.evaluate("""() => {
        const img = document.createElement("img");
        img.src = "http://third-party.test/pixel.png";
        document.body.append(img);
        console.error("something broke");
    }""")
    expect(reader.page.locator('img[src="http://third-party.test/pixel.png"]')).to_be_attached()
    reader.page.wait_for_function("() => performance.getEntriesByType('resource').some("
                                  "e => e.name.startsWith('http://third-party.test/'))")
    assert reader.foreign_requests() == ["http://third-party.test/pixel.png"]
    assert any("something broke" in e for e in reader.console_errors())
    reader.requests.clear()  # handled: the fixture's own check must now pass
    reader.errors.clear()


def test_a_reader_walks_the_decision_tree_with_javascript_on(reader: Reader) -> None:
    """The same walk as the no-JavaScript test, with Material's instant navigation running."""
    reader.open("decisions/partner-vs-vendor/")
    step = reader.page.locator(".kb-tree-step--start")
    expect(step).to_be_visible()
    step.locator(".kb-tree-answers a", has_text="A product or service").first.click()
    answers_taken = 1
    while True:
        current = reader.page.locator(".kb-tree-step:target")
        expect(current).to_have_count(1)
        expect(current).to_be_visible()
        expect(current.locator(".kb-tree-given__list li")).to_have_count(answers_taken)
        if "kb-tree-step--outcome" in (current.get_attribute("class") or ""):
            break
        current.locator(".kb-tree-answers a").first.click()
        answers_taken += 1
    expect(current.locator(".kb-tree-step__kicker")).to_have_text("Recommendation")
    expect(current.locator(".kb-tree-links a").first).to_be_visible()
    current.locator(".kb-tree-restart a").click()
    expect(reader.page.locator(".kb-tree-step:target")).to_have_class(re.compile("kb-tree-step--start"))
