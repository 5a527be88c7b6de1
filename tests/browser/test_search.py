"""Sellers' questions in the site's own search box, on a phone and a desktop (Chromium).

Also a smoke test of benchmarks/search_benchmark.py: these tests type through
its functions, so the evaluation the team runs by hand keeps working.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from browser_support import DESKTOP, PHONE, OpenReader

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import search_benchmark

from kb_engine.theme import TEMPLATES

VIEWPORTS = [PHONE, DESKTOP]
VIEWPORT_IDS = ["phone", "desktop"]


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=VIEWPORT_IDS)
def test_a_seller_s_paraphrase_finds_the_guide_that_answers_it(open_reader: OpenReader,
                                                                viewport: dict[str, int]) -> None:
    reader = open_reader(viewport=viewport)
    reader.page.context.add_init_script(script=search_benchmark.COUNT_WORKER)
    reader.open("")
    search_benchmark.open_search(reader.page)
    answer = search_benchmark.ask(reader.page, reader.site.base_url, "the customer won't share their plans",
                                  ["guides/partner-or-vendor/"])
    assert answer.rank is not None and answer.rank <= 3, answer.pages
    assert answer.first_ms is not None and answer.first_ms < 5000
    # the guide's own heading finds the guide first
    heading = search_benchmark.ask(reader.page, reader.site.base_url, "signals the customer wants a partner",
                                   ["guides/partner-or-vendor/"])
    assert heading.rank == 1, heading.pages


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=VIEWPORT_IDS)
def test_a_decision_tree_outcome_is_a_result_that_opens_its_step(open_reader: OpenReader,
                                                                  viewport: dict[str, int]) -> None:
    reader = open_reader(viewport=viewport)
    reader.open("")
    search_benchmark.open_search(reader.page)
    reader.page.locator("input.md-search__input").press_sequentially("pursue a strategic partnership")
    step = reader.page.locator(
        f'.md-search-result__item a[href*="{reader.site.url("decisions/partner-vs-vendor/")}"]'
        '[href$="#step-partner"]').first
    expect(step).to_be_visible()
    expect(step).to_contain_text("Pursue a strategic partnership")
    step.click()
    expect(reader.page).to_have_url(re.compile(r"decisions/partner-vs-vendor/.*#step-partner$"))
    expect(reader.page.locator("#step-partner")).to_be_visible()
    expect(reader.page.locator("#step-partner")).to_be_in_viewport()


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=VIEWPORT_IDS)
def test_a_guide_shows_the_questions_it_answers_under_its_title(open_reader: OpenReader,
                                                                viewport: dict[str, int]) -> None:
    reader = open_reader(viewport=viewport)
    reader.open("guides/partner-or-vendor/")
    box = reader.page.locator("article aside.kb-answers")
    expect(box).to_be_visible()
    expect(box).to_contain_text("This guide answers")
    expect(box.locator("li")).to_have_count(6)
    expect(box.locator("li").first).to_contain_text("Does this customer really want a partner")
    title = reader.page.locator("article h1").bounding_box()
    top = box.bounding_box()
    assert title and top and top["y"] > title["y"]
    assert top["x"] + top["width"] <= viewport["width"]  # no sideways scrolling on a phone


SEARCH_LATEST = Path(TEMPLATES) / "javascripts" / "search-latest.js"
FAKE_WORKER = """() => {
  window.Worker = class {
    constructor(url) {
      this.url = String(url); this.sent = []; this.listeners = []; window.__made.push(this);
    }
    postMessage(message) { this.sent.push(message); }
    addEventListener(type, listener) { if (type === "message") this.listeners.push(listener); }
    reply(data) { for (const listener of this.listeners) listener({data}); }
  };
  window.__made = [];
}"""


def test_the_search_worker_is_sent_the_newest_query_only_while_it_answers_one(browser: Browser) -> None:
    """Typed faster than the worker answers, the keystrokes in between are never sent; the last is."""
    page = browser.new_page()
    try:
        page.set_content("<!doctype html><title>t</title>")
        page.evaluate(FAKE_WORKER)
        page.add_script_tag(path=str(SEARCH_LATEST))
        sent = page.evaluate("""() => {
          const worker = new Worker("assets/javascripts/workers/search.a7633da7.min.js");
          const fake = window.__made[0];
          const queries = () => fake.sent.filter(m => m.type === 2).map(m => m.data);
          worker.postMessage({type: 0, data: {}});
          for (const q of ["w", "wo", "won", "won'", "won't"]) worker.postMessage({type: 2, data: q});
          const steps = [queries()];
          fake.reply({type: 1});
          steps.push(queries());
          fake.reply({type: 3, data: {items: []}});     // "w" answered: the newest waiting goes
          steps.push(queries());
          fake.reply({type: 3, data: {items: []}});     // "won't" answered: nothing waits
          worker.postMessage({type: 2, data: "x"});     // the next key goes at once
          steps.push(queries());
          const other = new Worker("other.js");         // any other worker is left alone
          other.postMessage({type: 2, data: 1}); other.postMessage({type: 2, data: 2});
          steps.push(window.__made[1].sent.length);
          return steps;
        }""")
    finally:
        page.close()
    assert sent == [["w"], ["w"], ["w", "won't"], ["w", "won't", "x"], 2]
