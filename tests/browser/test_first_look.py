"""What a new reader sees first, in Chromium at phone and desktop widths: the home
page, a post's byline, the About page, feed links, checklists and the footer."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from browser_support import DESKTOP, PHONE, OpenReader, Reader

pytestmark = pytest.mark.browser

POST_URL = "blog/2009/04/06/good-customers-good-vendors/"
WIDTHS = {"phone": PHONE, "desktop": DESKTOP}


def _rows(reader: Reader, selector: str) -> list[list[dict[str, float]]]:
    """The boxes of ``selector``'s elements, grouped into rows by their top edge."""
    boxes: list[dict[str, float]] = reader.page.eval_on_selector_all(
        selector, "els => els.map(e => { const r = e.getBoundingClientRect(); "
        "return {left: r.left, right: r.right, top: Math.round(r.top)}; })",
    )
    rows: dict[int, list[dict[str, float]]] = {}
    for box in boxes:
        rows.setdefault(int(box["top"]), []).append(box)
    return [sorted(row, key=lambda b: b["left"]) for _, row in sorted(rows.items())]


@pytest.mark.parametrize("width", WIDTHS)
def test_the_home_page_leads_with_the_decision_tree_and_lists_the_latest_posts(
    open_reader: OpenReader, width: str
) -> None:
    reader = open_reader(viewport=WIDTHS[width])
    reader.open("")
    cards = reader.page.locator("article .kb-home > ul > li")
    expect(cards).to_have_count(3)
    expect(cards.first).to_contain_text("Decision tree")
    start = cards.first.locator("a.md-button")
    expect(start).to_be_in_viewport()  # the first thing to do, without scrolling
    # No empty slot: every row of cards spans the grid's whole width.
    grid = reader.page.locator("article .kb-home").bounding_box()
    assert grid is not None
    rows = _rows(reader, "article .kb-home > ul > li")
    assert len(rows) == (3 if width == "phone" else 2), rows
    right = grid["x"] + grid["width"]
    for row in rows:
        assert abs(row[0]["left"] - grid["x"]) < 2 and abs(row[-1]["right"] - right) < 2, row
    latest = reader.page.locator("article .kb-latest__post")
    expect(latest.first.locator("a")).to_have_text(
        "Sometimes All We Want Is Good Customers. Sometimes All Customers Want Is Good Vendors."
    )
    expect(latest.first.locator("time")).to_have_text("6 April 2009")
    expect(latest.first.locator(".kb-latest__summary")).to_contain_text("David Brock")
    reader.screenshot(f"first-look-home-{width}")
    start.click()
    expect(reader.page).to_have_url(reader.site.url("decisions/partner-vs-vendor/"))


@pytest.mark.parametrize("width", WIDTHS)
def test_a_post_names_its_author_date_and_reading_time_before_its_text(
    open_reader: OpenReader, width: str
) -> None:
    reader = open_reader(viewport=WIDTHS[width])
    reader.open(POST_URL)
    first_paragraph = reader.page.locator("article > p:not(.kb-byline)").first
    text_top = first_paragraph.bounding_box()
    assert text_top is not None
    if width == "phone":
        byline = reader.page.locator("article .kb-byline")
        expect(byline).to_be_visible()
        expect(byline).to_contain_text("David Brock")
        expect(byline).to_contain_text("6 April 2009")
        expect(byline).to_contain_text("min read")
        box = byline.bounding_box()
        assert box is not None and box["y"] + box["height"] <= text_top["y"]
        assert box["y"] < PHONE["height"], "the byline is on the first screen"
    else:  # the post's sidebar, beside the text, says the same
        expect(reader.page.locator("article .kb-byline")).to_be_hidden()
        sidebar = reader.page.locator(".md-sidebar--post")
        expect(sidebar.locator(".md-post__authors")).to_contain_text("David Brock")
        expect(sidebar).to_contain_text("6 April 2009")
        expect(sidebar).to_contain_text("min read")
        author = sidebar.locator(".md-post__authors").bounding_box()
        assert author is not None and author["y"] <= text_top["y"] + text_top["height"]
    reader.screenshot(f"first-look-post-{width}")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_about_page_is_for_readers(open_reader: OpenReader, width: str) -> None:
    reader = open_reader(viewport=WIDTHS[width])
    reader.open("about/")
    expect(reader.page.locator("article h1")).to_contain_text("About this site")
    article = reader.page.locator("article")
    for words in ("Who writes it", "David Brock", "How to follow it", "Knowledge Base Team"):
        expect(article).to_contain_text(words)
    expect(article.locator(f'a[href="{reader.site.url(POST_URL)}"]')).to_be_visible()
    expect(article.locator(f'a[href="{reader.site.url("feeds/")}"]').first).to_be_visible()
    # The footer names the pages it leads to.
    expect(reader.page.locator(".md-footer__link--next")).to_contain_text("For authors and moderators")
    expect(reader.page.locator(".md-footer__link--prev")).to_contain_text("Feeds")
    reader.screenshot(f"first-look-about-{width}")


def test_the_about_tab_opens_the_about_page(reader: Reader) -> None:
    reader.open("")
    reader.page.locator("nav.md-tabs a.md-tabs__link", has_text="About").click()
    expect(reader.page).to_have_url(reader.site.url("about/"))


def test_the_footer_never_names_a_year_or_a_person(reader: Reader) -> None:
    for path in ("blog/", "blog/archive/2009/", "blog/author/david-brock/", "guides/glossary/"):
        reader.open(path)
        for label in reader.page.locator(".md-footer__link").all_inner_texts():
            assert "2009" not in label and "David Brock" not in label, (path, label)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_feed_link_explains_the_feed_and_readers_still_get_xml(open_reader: OpenReader, width: str) -> None:
    reader = open_reader(viewport=WIDTHS[width])
    reader.open("blog/")
    reader.page.locator("p.kb-subscribe a", has_text="RSS").first.click()
    expect(reader.page).to_have_url(reader.site.url("feeds/rss/"))
    article = reader.page.locator("article")
    expect(article.locator("h1")).to_contain_text("RSS feed of all posts")
    expect(article).to_contain_text("What is a feed?")
    expect(article).to_contain_text("NetNewsWire")
    address = article.locator("pre code").first
    expect(address).to_have_text("https://kb.example.org/rss.xml")
    # The advertised address (the page head's) is the XML feed readers need.
    advertised = reader.page.eval_on_selector_all(
        'head link[rel="alternate"][type="application/rss+xml"]', "links => links.map(l => l.href)"
    )
    response = reader.page.request.get(advertised[0])
    assert response.ok and b"<rss" in response.body()
    reader.screenshot(f"first-look-feed-page-{width}")


def test_feed_addresses_never_break_inside_a_word_on_a_phone(open_reader: OpenReader) -> None:
    reader = open_reader(viewport=PHONE)
    reader.open("feeds/")
    # Each address is pieces between <wbr> break points; a piece that takes
    # two line boxes was broken inside it.
    broken = reader.page.eval_on_selector_all(
        "code.kb-feed-address > span",
        "spans => spans.filter(s => new Set([...s.getClientRects()].map(r => Math.round(r.top))).size > 1)"
        ".map(s => s.textContent)",
    )
    assert broken == []
    texts = reader.page.eval_on_selector_all("code.kb-feed-address", "codes => codes.map(c => c.textContent)")
    assert "https://kb.example.org/rss.xml" in texts
    lines = reader.page.eval_on_selector_all(
        "code.kb-feed-address",
        "codes => codes.map(c => new Set([...c.getClientRects()].map(r => Math.round(r.top))).size)",
    )
    assert max(lines) > 1, "at least one address wraps on a phone (so the test above tests something)"


def test_a_post_s_comment_feed_link_leads_to_its_address(reader: Reader) -> None:
    reader.open(POST_URL)
    reader.page.locator("a", has_text="Subscribe to this comment feed").click()
    box = reader.page.locator("#comment-feed")
    expect(box).to_be_in_viewport()
    expect(box).to_contain_text("A feed is")
    address = box.locator("pre code").inner_text().strip()
    assert address.startswith("https://kb.example.org/comments-") and address.endswith(".xml")


def _tick_first_box(reader: Reader) -> None:
    """Click where the first checklist box is drawn (Material draws it as the indicator's ::before)."""
    middle = reader.page.eval_on_selector(
        "article .task-list-indicator",
        """span => { const item = span.closest("li").getBoundingClientRect();
                     const box = getComputedStyle(span, "::before");
                     return [item.left + parseFloat(box.left) + parseFloat(box.width) / 2,
                             item.top + parseFloat(box.top) + parseFloat(box.height) / 2,
                             parseFloat(box.width)]; }""",
    )
    assert middle[2] >= 24, "a 24px target at least"
    reader.page.mouse.click(middle[0], middle[1])


@pytest.mark.parametrize("width", WIDTHS)
def test_checklist_ticks_are_kept_in_the_browser_without_a_request(
    open_reader: OpenReader, width: str
) -> None:
    reader = open_reader(viewport=WIDTHS[width])
    reader.open("guides/great-vendor/")
    box = reader.page.locator("article input[type=checkbox]").first
    box.scroll_into_view_if_needed()
    expect(box).not_to_be_checked()
    before = len(reader.requests)
    _tick_first_box(reader)
    expect(box).to_be_checked()
    assert reader.requests[before:] == [], "ticking asks nothing of any server"
    reader.page.reload()
    box = reader.page.locator("article input[type=checkbox]").first
    expect(box).to_be_checked()
    box.scroll_into_view_if_needed()
    _tick_first_box(reader)
    expect(box).not_to_be_checked()
    reader.page.reload()
    expect(reader.page.locator("article input[type=checkbox]").first).not_to_be_checked()
