"""The comment loop of the preview, in Chromium: ``dev.py serve`` as shipped, nothing configured.

The preview process runs on a copy of the project. A reader fills the form
on the source post and lands back on the same post, on the same origin,
with "Your comment is awaiting moderation"; the moderation command approves
the comment; the open page reloads by itself after the rebuild and shows it,
and so do the post's comment feed and the site-wide feed (feedparser). The
comment's Reply link then chooses it as the one answered: with JavaScript
on the same page, without it through ``?replytocom=<id>#respond``; a refused
reply comes back on the post with the form as typed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import feedparser
import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from browser_support import DESKTOP, PHONE, Reader, blocking_violations, watch
from kb_engine.feeds.paths import SITE_COMMENTS_PATH, post_comments_feed_path
from preview_process import PreviewProcess, running_preview
from served import ServedSite

pytestmark = pytest.mark.browser

POST = "good-customers-good-vendors"
POST_PATH = "blog/2009/04/06/good-customers-good-vendors/"
KEY = "preview-browser-test-key-0123456789"


@pytest.fixture
def preview(project_copy: Path) -> Iterator[PreviewProcess]:
    with running_preview(project_copy) as running:
        yield running


def open_tab(browser: Browser, preview: PreviewProcess, contexts: list[BrowserContext],
             **options: object) -> Reader:
    context = browser.new_context(**options)  # type: ignore[arg-type]
    context.set_default_timeout(15_000)
    contexts.append(context)
    page = context.new_page()
    reader = Reader(page, ServedSite(Path(), preview.origin + "/"))
    watch(page, reader)
    return reader


def moderate(project: Path, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "kb_engine.moderation.cli", "--queue", str(project / "var" / "moderation-queue"),
         "--repo", str(project), *args],
        capture_output=True, text=True, check=False, env={**os.environ, "KB_COMMENT_KEY": KEY},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_a_comment_from_the_form_to_the_page_and_feeds(preview: PreviewProcess, project_copy: Path,
                                                       browser: Browser) -> None:
    project = project_copy.parent
    post_url = f"{preview.origin}/{POST_PATH}"
    body = f"Tried in the preview {uuid.uuid4().hex[:8]}: good vendors first."
    contexts: list[BrowserContext] = []
    try:
        reader = open_tab(browser, preview, contexts, viewport=DESKTOP)
        page = reader.page
        page.goto(post_url)
        expect(page.locator("#reply-pending")).to_be_hidden()
        page.locator("#reply-author").fill("Petra Preview")
        page.locator("#reply-email").fill("petra@example.com")
        page.locator("#reply-comment").fill(body)
        page.get_by_role("button", name="Post Comment").click()
        page.wait_for_url(re.compile(r"\?comment=pending#reply-pending$"))
        assert page.url == post_url + "?comment=pending#reply-pending"  # the same post, the same origin
        expect(page.locator("#reply-pending")).to_be_visible()
        expect(page.locator("#reply-pending")).to_contain_text("Your comment is awaiting moderation")
        reader.screenshot("preview-comment-pending-desktop")

        [queued] = [json.loads(p.read_bytes())
                    for p in (project / "var" / "moderation-queue" / "pending").glob("*.json")]
        comment_id = queued["id"]
        assert queued["body"] == body and queued["post"] == POST
        assert comment_id in moderate(project, "list")
        assert moderate(project, "approve", comment_id).startswith("wrote ")
        assert (project / "comments" / POST / f"{comment_id}.yml").is_file()

        # The open page reloads by itself once the preview has rebuilt.
        article = page.locator(f"#comment-{comment_id}")
        expect(article).to_be_visible(timeout=60_000)
        expect(article).to_contain_text(body)
        expect(article).to_contain_text("Petra Preview")
        for feed_path in (post_comments_feed_path(POST_PATH), SITE_COMMENTS_PATH):
            status, _, data = preview.get("/" + feed_path)
            feed = feedparser.parse(data)
            assert status == 200 and not feed.bozo, feed_path
            [entry] = [e for e in feed.entries if comment_id in e.get("id", "") + e.get("link", "")]
            assert entry.link.startswith(preview.origin + "/")
            assert body in entry.get("summary", "") + "".join(c.value for c in entry.get("content", []))

        # Reply, with JavaScript: the comment is chosen, the page stays.
        page.goto(post_url)
        typed = "Half a reply, kept."
        page.locator("#reply-comment").fill(typed)
        article.get_by_role("link", name="Reply to Petra Preview").click()
        expect(page.locator("#reply-to")).to_have_value(comment_id)
        expect(page.locator("#reply-comment")).to_be_focused()
        expect(page.locator("#reply-comment")).to_have_value(typed)
        assert page.url == post_url
        assert blocking_violations(reader) == [], "the preview's post with a comment, desktop"
        page.set_viewport_size(PHONE)
        assert blocking_violations(reader) == [], "the preview's post with a comment, phone"
        reader.screenshot("preview-comment-reply-phone")

        # Reply, without JavaScript: the link lands on the form, where the comment can be chosen.
        plain = open_tab(browser, preview, contexts, viewport=PHONE, java_script_enabled=False)
        plain.page.goto(post_url)
        plain.page.locator(f"#comment-{comment_id} a[data-reply-to]").click()
        plain.page.wait_for_url(re.compile(r"\?replytocom="))
        assert plain.page.url == f"{post_url}?replytocom={comment_id}#respond"
        expect(plain.page.locator("#respond")).to_be_in_viewport()
        plain.page.locator("#reply-to").select_option(comment_id)
        expect(plain.page.locator("#reply-to")).to_have_value(comment_id)
        # Refused (an address in the text): the preview's post comes back, the form as typed,
        # with the status 422 (which Chromium reports on the console).
        plain.expected_missing.add(f"{preview.origin}/comment")
        plain.page.locator("#reply-author").fill("Noor Noscript")
        plain.page.locator("#reply-email").fill("noor@example.com")
        plain.page.locator("#reply-comment").fill("Reach me at noor@example.com")
        plain.page.get_by_role("button", name="Post Comment").click()
        expect(plain.page.locator("#reply-comment-error")).to_contain_text("Comment holds an e-mail address")
        expect(plain.page.locator("#reply-comment")).to_have_value("Reach me at noor@example.com")
        expect(plain.page.locator("#reply-to")).to_have_value(comment_id)
        expect(plain.page.locator(".md-header")).to_be_visible()
        # With JavaScript, the same address arrives with the comment chosen.
        page.goto(f"{post_url}?replytocom={comment_id}#respond")
        expect(page.locator("#reply-to")).to_have_value(comment_id)
    finally:
        for context in contexts:
            context.close()
    for opened in (reader, *([plain] if "plain" in locals() else [])):
        assert opened.foreign_requests() == [], "requests to a host other than the preview"
        assert opened.console_errors() == [], "console errors"
