"""A post with readers' comments, in Chromium: the thread shows, is accessible, and loads nothing off-site."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from browser_support import PHONE, Reader, blocking_violations

pytestmark = pytest.mark.browser

POST_URL = "blog/2009/04/06/good-customers-good-vendors/"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_post_with_comments_shows_the_thread_accessibly(comments_reader: Reader, scheme: str) -> None:
    reader = comments_reader
    reader.page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    reader.open(POST_URL)
    section = reader.page.locator("section#comments")
    expect(section).to_be_visible()
    comments = section.locator("article.kb-comment")
    assert comments.count() >= 2
    reply_link = section.locator(".kb-comment__reply-to a").first
    if reply_link.count():
        reply_link.click()  # in-page link to the comment replied to
        assert reader.page.url.split("#")[1]
    assert blocking_violations(reader) == [], f"post with comments, {scheme}, desktop"
    reader.screenshot(f"post-with-comments-{scheme}-desktop")
    reader.page.set_viewport_size(PHONE)
    assert blocking_violations(reader) == [], f"post with comments, {scheme}, phone"
    reader.screenshot(f"post-with-comments-{scheme}-phone")
