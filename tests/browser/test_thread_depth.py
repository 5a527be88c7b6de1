"""Deep reply threads on a phone and a desktop, with JavaScript on and off.

The fixture thread (tests/commentfixtures.py) goes six replies deep. On a
390px phone every comment body must keep at least 200px, indentation stops
after one step, and a deeper reply says whom it answers with a link to that
comment; at 1280px the five levels stay visibly nested.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from browser_support import DESKTOP, PHONE
from served import ServedSite

pytestmark = pytest.mark.browser

POST_URL = "blog/2009/04/06/good-customers-good-vendors/"
DEEP_CHAIN = ["20261126-0a0a0001", "20261126-0a0a0002", "20261126-0a0a0003", "20261126-0a0a0004",
              "20261126-0a0a0005", "20261126-0a0a0006"]


@pytest.fixture(params=[True, False], ids=["js", "no-js"])
def thread_page(request: pytest.FixtureRequest, browser: Browser,
                served_comments_site: ServedSite) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, java_script_enabled=request.param)  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(served_comments_site.url(POST_URL))
    page.wait_for_load_state("load")
    yield page
    context.close()


def bodies(page: Page) -> list[dict[str, float | str]]:
    return page.eval_on_selector_all(
        "article.kb-comment",
        """articles => articles.map(a => {
             const body = a.querySelector('.kb-comment__body').getBoundingClientRect();
             return {id: a.id, left: body.left, width: body.width};
           })""",
    )


def test_every_body_is_readable_on_a_phone_and_deep_replies_name_their_parent(thread_page: Page) -> None:
    found = bodies(thread_page)
    assert len(found) >= len(DEEP_CHAIN)
    narrow = [(b["id"], round(float(b["width"]))) for b in found if float(b["width"]) < 200]
    assert narrow == [], "comment bodies narrower than 200px at 390px"
    by_id = {b["id"]: b for b in found}
    lefts = [float(by_id[f"comment-{i}"]["left"]) for i in DEEP_CHAIN]
    assert lefts[1] > lefts[0]  # a reply is still set off from what it answers ...
    assert len({round(x) for x in lefts[1:]}) == 1  # ... but the indentation stops after one step
    for parent, child in itertools.pairwise(DEEP_CHAIN[1:]):
        link = thread_page.locator(f"#comment-{child} .kb-comment__reply-to a")
        assert link.is_visible() and (link.get_attribute("href") or "").endswith(f"#comment-{parent}")


def test_the_desktop_keeps_the_visible_nesting(browser: Browser, served_comments_site: ServedSite) -> None:
    context = browser.new_context(viewport=DESKTOP)  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(served_comments_site.url(POST_URL))
    by_id = {b["id"]: b for b in bodies(page)}
    lefts = [float(by_id[f"comment-{i}"]["left"]) for i in DEEP_CHAIN]
    context.close()
    steps = list(itertools.pairwise(lefts[:5]))
    assert all(deeper > shallower + 20 for shallower, deeper in steps), lefts
    assert round(lefts[5]) == round(lefts[4])  # level six is shown at level five
