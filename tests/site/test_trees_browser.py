"""The partner-vs-vendor tree in a real browser with JavaScript turned off.

Walks from the start to every outcome by clicking answers, checks "Your
answers" on each step, then follows an "In the decision tree" backlink from a
cited guide back to its node.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

import lxml.html
import pytest
import yaml
from playwright.sync_api import Browser, Page

from served import ServedSite
from sitebuild import PROJECT

pytestmark = pytest.mark.browser

TREE_URL = "decisions/partner-vs-vendor/"


@pytest.fixture(scope="module")
def site_url(served_site: ServedSite) -> str:
    """The real site, served from a thread on 127.0.0.1 (shared fixture)."""
    return served_site.base_url


@pytest.fixture(scope="module")
def page(browser: Browser, site_url: str) -> Iterator[Page]:
    """A page of the shared browser, JavaScript off, allowed to reach this site only."""
    context = browser.new_context(java_script_enabled=False)
    context.route(lambda url: not url.startswith(site_url), lambda route: route.abort())
    yield context.new_page()
    context.close()


def tree() -> dict[str, Any]:
    source = PROJECT / "docs" / "decisions" / "partner-vs-vendor.yml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def visible_step(page: Page) -> Any:
    """The one step shown, parsed (one round trip to the browser)."""
    shown = page.locator("section.kb-tree-step:visible").evaluate_all("(all) => all.map((s) => s.outerHTML)")
    assert len(shown) == 1, "exactly one step is shown"
    return lxml.html.fragment_fromstring(shown[0])


def words(text: str) -> str:
    return " ".join(text.split())


def text_of(node: dict[str, Any]) -> str:
    return words(node.get("question") or node.get("outcome"))


def test_walk_from_the_start_to_every_outcome(page: Page, site_url: str) -> None:
    """Click through every path, depth first, going back with the browser's Back button."""
    data = tree()
    nodes = {n["id"]: n for n in data["nodes"]}
    page.goto(site_url + TREE_URL)
    reached: list[str] = []

    def check(node_id: str, path: list[tuple[str, str]]) -> Any:
        step = visible_step(page)
        assert words(step.xpath(".//h3")[0].text_content()).endswith(text_of(nodes[node_id]))
        shown = [
            (
                words(li.xpath("./span[@class='kb-tree-given__question']")[0].text_content()),
                li.xpath("./span[@class='kb-tree-given__answer']")[0].text_content(),
            )
            for li in step.xpath(".//ol[contains(@class,'kb-tree-given__list')]/li")
        ]
        assert shown == [given(n, answer, "outcome" in nodes[node_id]) for n, answer in path]
        return step

    def given(asked: str, answer: str, in_full: bool) -> tuple[str, str]:
        """How "Your answers" shows one answer: short labels on a question, in full on an outcome."""
        node = nodes[asked]
        if in_full:
            return text_of(node), answer
        chosen = next(a for a in node["answers"] if a["label"] == answer)
        return node.get("short", text_of(node)), chosen.get("short", answer)

    def walk(node_id: str, path: list[tuple[str, str]]) -> None:
        step = check(node_id, path)
        node = nodes[node_id]
        if "outcome" in node:
            reached.append(node_id)
            assert len(step.xpath(".//ul[contains(@class,'kb-tree-links')]//a")) == len(node["read_next"])
            assert step.xpath(".//a[text()='Start over']/@href") == [f"#step-{data['start']}"]
            return
        for answer in node["answers"]:
            answers = page.locator("section.kb-tree-step:visible ul.kb-tree-answers")
            answers.get_by_role("link", name=answer["label"], exact=True).click()
            walk(answer["next"], [*path, (node_id, answer["label"])])
            page.go_back()
            check(node_id, path)

    walk(data["start"], [])
    assert set(reached) == {n["id"] for n in data["nodes"] if "outcome" in n}
    assert len(reached) == count_outcome_paths(data)

    # From an outcome, "Start over" returns to the first question.
    page.goto(site_url + TREE_URL + "#step-partner")
    page.locator("section.kb-tree-step:visible a", has_text="Start over").click()
    check(data["start"], [])


def count_outcome_paths(data: dict[str, Any]) -> int:
    nodes = {n["id"]: n for n in data["nodes"]}

    def count(node_id: str) -> int:
        node = nodes[node_id]
        return 1 if "outcome" in node else sum(count(a["next"]) for a in node["answers"])

    return count(data["start"])


def test_a_deep_link_shows_its_step(page: Page, site_url: str) -> None:
    page.goto(site_url + TREE_URL + "#step-limit-investment")
    step = visible_step(page)
    assert step.get("id") == "step-limit-investment"
    assert "Limit the investment" in step.xpath(".//h3")[0].text_content()


def test_a_diagram_box_leads_to_its_step(page: Page, site_url: str) -> None:
    page.goto(site_url + TREE_URL)
    page.locator("svg.kb-tree-diagram__svg a[data-step='both-can-pay']").click()
    assert page.url.endswith("#step-both-can-pay")
    assert visible_step(page).get("id") == "step-both-can-pay"


@pytest.mark.parametrize(
    ("url", "outcome"),
    [
        ("guides/limiting-the-investment/", "Limit the investment"),
        ("blog/2009/04/06/good-customers-good-vendors/", "Be a great vendor"),
    ],
)
def test_a_backlink_from_a_cited_page_leads_back_to_its_node(
    page: Page, site_url: str, url: str, outcome: str
) -> None:
    data = tree()
    node = next(n for n in data["nodes"] if n.get("outcome") == outcome)
    page.goto(site_url + url)
    box = page.locator("aside.kb-tree-backlinks")
    assert box.locator("h2").inner_text() == "In the decision tree"
    box.locator("a", has_text=f"Outcome: {outcome} —").click()
    # Another page: wait until it and its stylesheets have loaded.
    page.wait_for_url(f"{site_url}{TREE_URL}#step-{node['id']}", wait_until="load")
    step = visible_step(page)
    assert step.get("id") == f"step-{node['id']}"
    assert outcome in step.xpath(".//h3")[0].text_content()
    # The step links back to the page the reader came from.
    hrefs = [urljoin(page.url, h) for h in step.xpath(".//ul[contains(@class,'kb-tree-links')]//a/@href")]
    assert any(h.startswith(site_url + url) for h in hrefs), hrefs
