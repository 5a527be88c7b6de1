"""Leave a Reply on the built site: the form, the manifest, and a comment's whole journey.

A copy of the engine's fixture site is built with ``plugins.kb-reply.intake_url`` pointing at a
real intake service on 127.0.0.1, and served from a thread; a comment goes
in through the form (by HTTP, and by Chromium with JavaScript off), is
approved with the moderation command, and the next build shows it on the
post and in both comment feeds, sanitised, with its email address nowhere.
A refused comment, with JavaScript and without, comes back on the post with
every field as typed and the message beside the field, at phone and desktop
widths.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import feedparser
import lxml.html
import pytest
import yaml
from playwright.sync_api import Browser, Page

from browser_support import DESKTOP, PHONE
from enginesite import COMMENTS_URL, NEWEST_URL, POST_URLS, copy_engine_site
from golden import assert_golden
from intake_server import Intake, free_port, running_intake
from kb_engine.feeds.paths import post_comments_feed_path
from kb_engine.reply.form import ReplyForm, ReplyTarget, allowed_tags
from kb_engine.theme import TEMPLATES
from sitebuild import BuildFailed, Site, build_site, set_plugin_options

# A post of the fixture site with no comments of its own.
POST = "oven-spring"
POST_PATH = NEWEST_URL
POST_TITLE = "What oven spring tells you about the proof"
KEY = "reply-site-test-key-0123456789"
GIT_ENV = {"GIT_AUTHOR_NAME": "Moderator", "GIT_AUTHOR_EMAIL": "moderator@kb.example.org",
           "GIT_COMMITTER_NAME": "Moderator", "GIT_COMMITTER_EMAIL": "moderator@kb.example.org"}
DRAFT = ("---\ndate: 2026-01-01\nauthors: [ada-baker]\ndraft: true\n---\n\n"
         "# Draft\n\nNot yet.\n\n<!-- more -->\n")


def set_extra(config_file: Path, text: str, replacement: str) -> None:
    source = config_file.read_text(encoding="utf-8")
    assert text in source, f"mkdocs.yml has no {text!r}"
    config_file.write_text(source.replace(text, replacement, 1), encoding="utf-8")


# -- the template ---------------------------------------------------------

def render_form(form: ReplyForm) -> str:
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return env.get_template("partials/kb/reply-form.html").render(kb_reply=form)


TARGET = ReplyTarget("20261126-0a0a0001", "Ann <Reader>", "2026-11-26T09:00:00+00:00")


def test_the_form_template_golden(update_goldens: bool) -> None:
    form = ReplyForm("a-post", "https://kb.example.org/comment", allowed_tags(), (TARGET,))
    assert_golden("reply/form.html", render_form(form), update_goldens)
    closed = ReplyForm("a-post", "https://kb.example.org/comment", allowed_tags(), (TARGET,), closed=True)
    assert_golden("reply/closed.html", render_form(closed), update_goldens)
    assert render_form(ReplyForm("a-post", None, allowed_tags(), (TARGET,))).strip() == ""


def test_without_an_intake_url_posts_have_no_form_and_ask_for_nothing(engine_comments_site: Site) -> None:
    page = engine_comments_site.html(COMMENTS_URL)
    assert page.xpath("//*[@id='respond'] | //form[contains(@class, 'kb-reply__form')]") == []
    assert page.xpath("//a[@data-reply-to]") == []
    text = " ".join(page.text_content().split()).lower()
    assert "pull request" not in text and "comments are closed" not in text
    assert page.xpath("//section[@id='comments']")  # the comments themselves are still shown


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ({"intake_url": "comments.example.org"}, "mkdocs.yml: plugins.kb-reply.intake_url: "),
        ({"intake_url": "ftp://bread.example.org/comment"}, "mkdocs.yml: plugins.kb-reply.intake_url: "),
        ({"colour": "blue"}, "mkdocs.yml: plugins.kb-reply.colour: "),
    ],
)
def test_bad_reply_settings_stop_the_build(engine_project: Path, tmp_path: Path, setting: dict[str, str],
                                           message: str) -> None:
    set_plugin_options(engine_project, "kb-reply", **setting)
    with pytest.raises(BuildFailed) as failed:
        build_site(engine_project, tmp_path / "site")
    assert [e for e in failed.value.errors if message in e], failed.value.errors


# -- a comment's journey ----------------------------------------------------

@dataclass
class World:
    project: Path
    site: Site
    intake: Intake
    site_url: str
    tmp: Path

    def post_url(self) -> str:
        return self.site_url + POST_PATH


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("reply-world")
    site_port, intake_port = free_port(), free_port()
    site_url = f"http://127.0.0.1:{site_port}/"
    config = copy_engine_site(tmp / "project")
    project = config.parent
    set_extra(config, "site_url: https://bread.example.org/", f"site_url: {site_url}")
    set_plugin_options(config, "kb-reply", intake_url=f"http://127.0.0.1:{intake_port}/comment")
    # Render drafts, as `mkdocs serve` does: the manifest must still leave them out.
    set_plugin_options(config, "kb-blog", draft=True)
    (project / "docs/blog/posts/unfinished.md").write_text(DRAFT, encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    subprocess.run(["git", "-C", str(project), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(project), "commit", "-qm", "copy"], check=True,
                   env={**os.environ, **GIT_ENV})
    site = build_site(config, tmp / "site")

    handler = functools.partial(QuietHandler, directory=str(tmp / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", site_port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with running_intake(tmp / "queue", tmp / "site" / "comments" / "posts.json", proxies=0,
                            port=intake_port) as intake:
            yield World(project, site, intake, site_url, tmp)
    finally:
        server.shutdown()
        server.server_close()


def test_each_post_ends_with_the_form(world: World) -> None:
    page = world.site.html(POST_PATH)
    [form] = page.xpath("//section[@id='respond']//form")
    assert form.get("method") == "post" and form.get("action") == world.intake.url("/comment")
    assert page.xpath("//section[@id='respond']/h2/text()") == ["Leave a Reply"]
    inputs = {i.get("name"): i for i in form.xpath(".//input | .//textarea")}
    assert set(inputs) == {"post", "author", "email", "website", "comment", "fax"}
    assert inputs["post"].get("type") == "hidden" and inputs["post"].get("value") == POST
    for required in ("author", "email", "comment"):
        assert inputs[required].get("required") is not None
    assert inputs["email"].get("type") == "email"
    email_note = page.get_element_by_id(inputs["email"].get("aria-describedby")).text_content()
    assert email_note == "Your email address will never be published."
    honeypot = inputs["fax"]
    assert honeypot.get("tabindex") == "-1"
    assert any(a.get("aria-hidden") == "true" for a in honeypot.iterancestors())
    tags = " ".join(form.xpath("string(.//p[@id='reply-tags'])").split())
    assert tags.startswith('XHTML: You can use these tags: <a href="" title=""> <abbr title="">')
    # Its labels belong to its fields.
    for label in form.xpath(".//label"):
        assert page.get_element_by_id(label.get("for")) is not None


def test_the_manifest_lists_published_posts_only(world: World) -> None:
    manifest = json.loads((world.site.site_dir / "comments" / "posts.json").read_text(encoding="utf-8"))
    assert manifest["site_url"] == world.site_url
    # The drafts (the fixture's own and this test's) are rendered but not listed.
    posts = {p["id"]: p["url"] for p in manifest["posts"]}
    assert sorted(posts.values()) == sorted(world.site_url + url for url in POST_URLS)
    assert posts[POST] == world.post_url()
    assert world.site.path("blog/2026/01/01/draft/").exists()


@pytest.mark.browser
def test_a_reader_comments_without_javascript(world: World, browser: Browser) -> None:
    from playwright.sync_api import expect

    body = f"Posted from a browser without JavaScript {uuid.uuid4().hex}."
    # The session's shared Chromium (tests/conftest.py): one process cannot run two Playwright sessions.
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(world.post_url())
        expect(page.locator("#reply-pending")).to_be_hidden()
        page.locator("#reply-author").fill("Nora Noscript")
        page.locator("#reply-email").fill("nora@example.com")
        page.locator("#reply-website").fill("https://nora.example/")
        page.locator("#reply-comment").fill(body)
        expect(page.locator("#reply-hp")).not_to_be_in_viewport()
        page.get_by_role("button", name="Post Comment").click()
        page.wait_for_url(re.compile(r"\?comment=pending#reply-pending$"))
        assert page.url == world.post_url() + "?comment=pending#reply-pending"
        expect(page.locator("#reply-pending")).to_be_visible()
        expect(page.locator("#reply-pending")).to_contain_text("Your comment is awaiting moderation")
    finally:
        context.close()
    stored = [json.loads(p.read_bytes()) for p in (world.tmp / "queue" / "pending").glob("*.json")]
    [item] = [s for s in stored if s["body"] == body]
    assert item["author"] == "Nora Noscript" and item["email"] == "nora@example.com"


def moderate(world: World, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **GIT_ENV, "KB_COMMENT_KEY": KEY}
    return subprocess.run([sys.executable, "-m", "kb_engine.moderation.cli", "--queue", str(world.tmp / "queue"),
                           "--repo", str(world.project), *args],
                          capture_output=True, text=True, env=env, check=False)


def test_an_approved_comment_is_on_the_post_and_in_both_feeds_and_its_email_nowhere(world: World) -> None:
    email = f"secret-{uuid.uuid4().hex[:8]}@example.com"
    raw = ("I <strong>agree</strong><script>alert('x')</script> "
           '<img src=x onerror="alert(1)"><a href="javascript:alert(1)" onclick="x()">click</a>.\n\n'
           "Second paragraph.")
    reply = world.intake.post_form({"post": POST, "author": "Eve <b>Evil</b>", "email": email,
                                    "website": "", "comment": raw}, Origin=world.site_url.rstrip("/"))
    assert reply.status == 303, reply.text
    [item] = [json.loads(p.read_bytes()) for p in (world.tmp / "queue" / "pending").glob("*.json")
              if json.loads(p.read_bytes())["email"] == email]
    comment_id = item["id"]

    approved = moderate(world, "approve", comment_id, "--commit")
    assert approved.returncode == 0, approved.stderr
    again = moderate(world, "approve", comment_id, "--commit")
    assert again.returncode == 0 and again.stdout.startswith("already approved:")
    comment_file = world.project / "comments" / POST / f"{comment_id}.yml"
    assert list(comment_file.parent.glob("*.yml")) == [comment_file]
    log = subprocess.run(["git", "-C", str(world.project), "log", "--format=%s"], capture_output=True,
                         text=True, check=True).stdout.splitlines()
    assert log.count(f"Approve comment {comment_id} on {POST}") == 1
    data = yaml.safe_load(comment_file.read_text(encoding="utf-8"))
    assert email not in comment_file.read_text(encoding="utf-8")
    assert data["email_hash"].startswith("hmac-sha256:")

    site = build_site(world.project / "mkdocs.yml", world.tmp / "site-after")
    anchor_id = f"comment-{comment_id}"
    page = site.html(POST_PATH)
    [article] = page.xpath(f"//*[@id='{anchor_id}' or @id='{comment_id}']")
    text = " ".join(article.text_content().split())
    assert "Eve <b>Evil</b>" in text  # the name is text, escaped
    [body] = article.xpath(".//div[@class='kb-comment__body']")
    assert [e.tag for e in body.iter() if e.tag not in ("div", "p")] == ["strong", "a"]
    assert "alert" not in lxml.html.tostring(body, encoding="unicode")
    assert body.xpath(".//a")[0].get("href") is None
    assert [p.text_content().strip() for p in body.xpath("./p")][1] == "Second paragraph."
    # The reply form now offers the approved comment as something to answer.
    options = page.xpath("//select[@name='reply_to']/option/@value")
    assert comment_id in options
    # ... dated the way the site writes dates (plugins.kb-dates: "d MMMM yyyy"), not "2026-12-05".
    [label] = page.xpath(f"//select[@name='reply_to']/option[@value='{comment_id}']/text()")
    assert re.fullmatch(r"Eve <b>Evil</b>, \d{1,2} [A-Z][a-z]+ \d{4}", label.strip()), label

    for feed_path in (post_comments_feed_path(POST_PATH), "comments.xml"):
        feed = feedparser.parse(site.path(feed_path).read_bytes())
        assert not feed.bozo, (feed_path, feed.bozo_exception)
        [entry] = [e for e in feed.entries if comment_id in e.get("id", "") + e.get("link", "")]
        html = entry.get("summary", "") + "".join(c.value for c in entry.get("content", []))
        assert "<strong>agree</strong>" in html and "Second paragraph." in html
        assert "<script" not in html and "onerror" not in html and "javascript:" not in html

    # The address is nowhere in the built site, in any form.
    needles = [email.encode(), email.upper().encode(), email.replace("@", "&#64;").encode(),
               email.replace("@", "%40").encode()]
    for path in site.files():
        content = path.read_bytes()
        assert not any(n in content for n in needles), path
    manifest = json.loads((site.site_dir / "comments" / "posts.json").read_text(encoding="utf-8"))
    [entry] = [p for p in manifest["posts"] if p["id"] == POST]
    assert comment_id in entry["comments"]


def typed_comment(page: Page, body: str, *, email: str = "nora@example.com") -> None:
    page.locator("#reply-author").fill("Nora Noscript")
    page.locator("#reply-email").fill(email)
    page.locator("#reply-website").fill("https://nora.example/")
    page.locator("#reply-comment").fill(body)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_refusal_without_javascript_comes_back_as_the_post_with_every_word(
        world: World, browser: Browser, viewport: dict[str, int]) -> None:
    """The service refuses an address in the text: the answer is the post, styled, the form refilled."""
    from playwright.sync_api import expect

    body = f"Write to me at someone@example.net about this {uuid.uuid4().hex}.\n\nSecond paragraph, kept."
    context = browser.new_context(java_script_enabled=False, viewport=viewport)  # type: ignore[arg-type]
    try:
        page = context.new_page()
        page.goto(world.post_url())
        typed_comment(page, body)
        with page.expect_response(lambda r: r.request.method == "POST") as answer:
            page.get_by_role("button", name="Post Comment").click()
        assert answer.value.status == 422
        page.wait_for_load_state("load")
        # The site's look: Material's stylesheet applies (not the browser's default serif page) ...
        font = page.evaluate("getComputedStyle(document.body).fontFamily")
        assert "serif" != font.split(",")[0].strip().strip('"').lower() and "Times" not in font.split(",")[0]
        expect(page.get_by_role("heading", level=1, name=POST_TITLE)).to_be_visible()
        assert page.locator(".md-header").is_visible()
        # ... every field as typed, the message beside the field, the field focused.
        assert page.locator("#reply-author").input_value() == "Nora Noscript"
        assert page.locator("#reply-email").input_value() == "nora@example.com"
        assert page.locator("#reply-website").input_value() == "https://nora.example/"
        assert page.locator("#reply-comment").input_value() == body
        error = page.locator("#reply-comment-error")
        expect(error).to_be_visible()
        expect(error).to_contain_text("Comment holds an e-mail address")
        assert page.locator("#reply-comment").get_attribute("aria-invalid") == "true"
        described = page.locator("#reply-comment").get_attribute("aria-describedby") or ""
        assert "reply-comment-error" in described
        assert page.evaluate("document.activeElement.id") == "reply-comment"
        assert page.locator("#reply-comment").is_visible() and page.locator("#reply-comment").bounding_box()
        assert "Your comment was not sent" in page.title()
        # Fixed and sent again from this page: accepted, back on the post.
        page.locator("#reply-comment").fill("Write to me through my website instead.")
        page.get_by_role("button", name="Post Comment").click()
        page.wait_for_url(re.compile(r"\?comment=pending#reply-pending$"))
        expect(page.locator("#reply-pending")).to_be_visible()
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_with_javascript_the_form_checks_before_sending_with_the_rules_module(
        world: World, browser: Browser, viewport: dict[str, int]) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport=viewport)  # type: ignore[arg-type]
    try:
        page = context.new_page()
        posts: list[str] = []
        page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
        page.goto(world.post_url())
        typed_comment(page, "Mail me: someone@example.net", email="not-an-address")
        page.locator("#reply-author").fill("")
        page.get_by_role("button", name="Post Comment").click()
        expect(page.locator("#reply-author-error")).to_have_text("Your name is required.")
        expect(page.locator("#reply-email-error")).to_have_text(
            "This is not an e-mail address (like name@example.com).")
        expect(page.locator("#reply-comment-error")).to_contain_text(
            "Comment holds an e-mail address (someone@example.net)")
        assert page.evaluate("document.activeElement.id") == "reply-author"
        assert posts == []  # nothing was sent
        # The draft survives leaving the page and coming back (Back, a reload).
        page.reload()
        assert page.locator("#reply-comment").input_value() == "Mail me: someone@example.net"
        # A refusal only the service finds (an address spelt with an entity) comes back beside the field.
        page.locator("#reply-author").fill("Jo Script")
        page.locator("#reply-email").fill("jo@example.com")
        page.locator("#reply-comment").fill("Mail me: someone&#64;example.net")
        page.get_by_role("button", name="Post Comment").click()
        page.wait_for_load_state("load")
        expect(page.locator("#reply-comment-error")).to_contain_text("Comment holds an e-mail address")
        assert page.locator("#reply-comment").input_value() == "Mail me: someone&#64;example.net"
        assert page.locator("#reply-author").input_value() == "Jo Script"
    finally:
        context.close()
