"""The XSS corpus through the real pipeline: comment files -> build -> page, feeds, search.

Every vector of tests/data/xss-vectors.txt is one comment of the corpus post
(see commentfixtures.add_corpus). Nothing outside the issue's allow-list may
reach any output, and no script may run when Chromium opens the page.
"""

from __future__ import annotations

import functools
import json
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import lxml.etree
import lxml.html
import pytest
from playwright.sync_api import Browser

from commentfixtures import CORPUS_URL, HOSTILE_AUTHORS, vectors
from enginesite import COMMENTS_URL
from kb_engine.feeds.paths import post_comments_feed_path
from sitebuild import Site
from xsscheck import outside_allow_list, url_problem

SEARCH_TAGS = {"p", "code", "pre", "li", "ol", "ul", "sub", "sup"}
# Markup of our own templates around the bodies (partials/kb/comment*.html).
TEMPLATE_MARKUP = {
    "section": {"class", "id", "aria-labelledby"}, "h2": {"class", "id"}, "ol": {"class"}, "li": {"class"},
    "article": {"class", "id"}, "header": {"class"}, "span": {"class"}, "time": {"datetime"},
    "a": {"class", "href", "title", "rel", "type"}, "div": {"class"}, "p": {"class"},
    "svg": {"class", "viewbox", "width", "height", "aria-hidden", "focusable", "shape-rendering"},
    "rect": {"width", "height", "fill"}, "path": {"fill", "d"},
}  # fmt: skip
# The "Leave a Reply" section inside it (partials/kb/reply-form.html).
TEMPLATE_MARKUP["p"] = TEMPLATE_MARKUP["p"] | {"id", "role", "tabindex"}
TEMPLATE_MARKUP["div"] = TEMPLATE_MARKUP["div"] | {"aria-hidden"}
TEMPLATE_MARKUP.update({
    "form": {"class", "method", "action", "accept-charset"}, "label": {"for"}, "small": {"id"},
    "input": {"id", "name", "type", "value", "required", "maxlength", "autocomplete", "aria-describedby",
              "placeholder", "tabindex"},
    "textarea": {"id", "name", "rows", "required", "maxlength", "aria-describedby"},
    "select": {"id", "name"}, "option": {"value"}, "button": {"type", "class"},
})  # fmt: skip


def test_the_corpus_is_large_enough() -> None:
    assert len(vectors()) >= 100
    assert len(set(vectors())) == len(vectors())


@pytest.fixture(scope="module")
def corpus_page(engine_comments_site: Site) -> Any:
    return engine_comments_site.html(CORPUS_URL)


def bodies(page: Any) -> list[Any]:
    return page.xpath("//section[@id='comments']//div[@class='kb-comment__body']")


def test_every_vector_became_a_comment(corpus_page: Any) -> None:
    assert len(bodies(corpus_page)) == len(vectors()) + len(HOSTILE_AUTHORS)


def test_page_bodies_hold_only_the_allow_list(corpus_page: Any) -> None:
    problems = {}
    for body in bodies(corpus_page):
        found = outside_allow_list(body)
        if found:
            problems[body.getparent().get("id")] = found
    assert problems == {}


def test_comment_section_holds_only_our_markup_and_the_allow_list(corpus_page: Any) -> None:
    from xsscheck import TAGS

    [section] = corpus_page.xpath("//section[@id='comments']")
    unexpected = set()
    for element in section.iter():
        if not isinstance(element.tag, str):
            unexpected.add(repr(element))
            continue
        allowed = TEMPLATE_MARKUP.get(element.tag, set()) | TAGS.get(element.tag, set())
        if element.tag not in TEMPLATE_MARKUP and element.tag not in TAGS:
            unexpected.add(f"<{element.tag}>")
        unexpected.update(f"{element.tag}@{name}" for name in element.attrib if name not in allowed)
    assert unexpected == set()


def test_nothing_on_the_page_can_run_script(engine_comments_site: Site, corpus_page: Any) -> None:
    """No handler, script URL or comment-made script anywhere on the page."""
    handlers = [(el.tag, name) for el in corpus_page.iter() if isinstance(el.tag, str)
                for name in el.attrib if name.lower().startswith("on")]  # fmt: skip
    assert handlers == []
    urls = corpus_page.xpath("//@href | //@src | //@action | //@formaction | //@cite | //@data | //@poster")
    assert [u for u in urls if url_problem(str(u), absolute=False)] == []
    assert corpus_page.xpath("//section[@id='comments']//script") == []

    # The page's scripts are exactly the theme's, as on a post at the same depth.
    def scripts(page: Any) -> list[tuple[str | None, str]]:
        return [(s.get("src"), s.text or "") for s in page.xpath("//script")]

    assert scripts(corpus_page) == scripts(engine_comments_site.html(COMMENTS_URL))


def test_hostile_author_fields_are_text(corpus_page: Any) -> None:
    for number, (author, website) in enumerate(HOSTILE_AUTHORS, start=1):
        [article] = corpus_page.xpath(f"//article[@id='comment-hostile-{number}']")
        shown = article.xpath(".//*[@class='kb-comment__author']")[0]
        assert shown.text_content().strip() == author
        assert [a.get("href") for a in shown.xpath("./a")] == ([website] if website else [])


def test_feed_items_hold_only_the_allow_list_with_absolute_urls(engine_comments_site: Site) -> None:
    for path in (post_comments_feed_path(CORPUS_URL), "comments.xml"):
        root = lxml.etree.fromstring(engine_comments_site.path(path).read_bytes())
        problems = {}
        for item in root.iter("item"):
            for field in ("description", "{http://purl.org/rss/1.0/modules/content/}encoded"):
                html = item.findtext(field)
                if html is None:
                    continue
                found = outside_allow_list(
                    lxml.html.fragment_fromstring(html, create_parent="div"), absolute=True
                )
                if found:
                    problems[item.findtext("link")] = found
        assert problems == {}, path


def test_feed_titles_and_authors_are_plain_text(engine_comments_site: Site) -> None:
    import feedparser

    from feedcheck import MARKUP_LIKE
    from kb_engine.comments.feed import plain_label

    feed = feedparser.parse(engine_comments_site.path(post_comments_feed_path(CORPUS_URL)).read_bytes())
    titles = {entry.title for entry in feed.entries}
    for author, _ in HOSTILE_AUTHORS:
        # The name, with only what would start a tag or a character reference replaced by a look-alike.
        assert f"By: {plain_label(author)}" in titles
    assert [title for title in titles if MARKUP_LIKE.search(title)] == []
    assert "By: \u2039script>alert(1)\u2039/script>" in titles


def test_search_index_holds_only_text_and_its_own_tags(engine_comments_site: Site) -> None:
    index = json.loads(engine_comments_site.text("search/search_index.json"))
    [entry] = [doc for doc in index["docs"] if doc["location"] == CORPUS_URL + "#comments"]
    root = lxml.html.fragment_fromstring(entry["text"], create_parent="div")
    bad = [(el.tag, dict(el.attrib)) for el in root.iterdescendants()
           if el.tag not in SEARCH_TAGS or el.attrib]  # fmt: skip
    assert bad == []


def test_search_text_is_the_page_text(engine_comments_site: Site, corpus_page: Any) -> None:
    index = json.loads(engine_comments_site.text("search/search_index.json"))
    [entry] = [doc for doc in index["docs"] if doc["location"] == CORPUS_URL + "#comments"]
    search_text = " ".join(
        lxml.html.fragment_fromstring(entry["text"], create_parent="div").text_content().split()
    )
    for body in bodies(corpus_page):
        text = " ".join(body.text_content().split())
        assert text in search_text


# --- in Chromium ------------------------------------------------------------

RECORDER = """
(() => {
  const ran = [];
  Object.defineProperty(window, "__kbRan", { value: ran });
  const record = (what) => function (...args) { ran.push(what + ":" + args.map(String).join(",")); };
  for (const name of ["alert", "confirm", "prompt", "print"]) { window[name] = record(name); }
  const realWrite = Document.prototype.write;
  Document.prototype.write = function (...args) {
    ran.push("document.write");
    return realWrite.apply(this, args);
  };
  window.__kbXss = record("canary");
  document.addEventListener("securitypolicyviolation", (e) => ran.push("csp:" + e.violatedDirective));
})();
"""

# Events that inline handlers in the corpus listen for.
EVENTS = ["mouseover", "mouseenter", "click", "focus", "focusin", "error", "load", "toggle", "begin",
          "pointerenter", "scroll", "start", "animationstart", "input"]  # fmt: skip


def _serve(folder: Path) -> tuple[ThreadingHTTPServer, str]:
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="module")
def served_corpus(engine_comments_site: Site) -> Iterator[str]:
    server, url = _serve(engine_comments_site.site_dir)
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class BrowserRun:
    dialogs: list[str]
    ran: list[str]
    requests: list[str]
    elements: int


def open_in_chromium(browser: Browser, url: str) -> BrowserRun:
    """Open ``url`` with dialogs trapped and script calls recorded; poke every comment element.

    In a fresh context of the session's shared Chromium (tests/conftest.py):
    one process cannot run two sync Playwright sessions at once.
    """
    run = BrowserRun([], [], [], 0)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.on("dialog", lambda dialog: (run.dialogs.append(dialog.message), dialog.dismiss()))
        page.on("request", lambda request: run.requests.append(request.url))
        page.add_init_script(RECORDER)
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        run.elements = page.evaluate(
            """(events) => {
              const targets = document.querySelectorAll("#comments *");
              for (const el of targets) {
                for (const type of events) { el.dispatchEvent(new Event(type, { bubbles: true })); }
                if (typeof el.focus === "function") { el.focus(); }
              }
              return targets.length;
            }""",
            EVENTS,
        )
        page.mouse.move(10, 10)
        page.wait_for_timeout(300)  # let any deferred handler fire (not a timed assertion)
        run.ran = page.evaluate("window.__kbRan")
    finally:
        context.close()
    return run


@pytest.mark.browser
def test_no_script_runs_in_chromium(browser: Browser, served_corpus: str) -> None:
    run = open_in_chromium(browser, served_corpus + CORPUS_URL)
    assert run.elements > len(vectors())
    assert run.dialogs == []
    assert run.ran == []
    assert [url for url in run.requests if not url.startswith(served_corpus)] == []


@pytest.mark.browser
def test_the_browser_check_catches_a_script_that_runs(browser: Browser, tmp_path: Path) -> None:
    """The same check on a page with unsanitised vectors does fail."""
    (tmp_path / "index.html").write_text(
        "<!doctype html><title>t</title><section id='comments'>"
        "<img src='missing.png' onerror='alert(1)'><b onmouseover='prompt(2)'>x</b>"
        "<script>window.__kbXss()</script></section>",
        encoding="utf-8",
    )
    server, url = _serve(tmp_path)
    try:
        run = open_in_chromium(browser, url)
    finally:
        server.shutdown()
        server.server_close()
    assert set(run.ran) == {"canary:", "alert:1", "prompt:2"}


def test_the_corpus_page_is_valid_html(engine_comments_site: Site, tmp_path: Path) -> None:
    """Whatever the bodies hold: no link left with a rel and no URL, no empty paragraph."""
    from htmlcheck import validate

    shutil.copy(engine_comments_site.path(CORPUS_URL), tmp_path / "corpus.html")
    assert validate(tmp_path) == []
