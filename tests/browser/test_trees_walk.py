"""The decision tree as a seller uses it, in Chromium at phone and desktop sizes.

Every path of the shipped tree is walked by clicking answers (JavaScript and
Material's instant navigation on): after each click the current question
and all its answers, or the recommendation, lie within the first screen,
below the sticky header; "Your answers" matches the clicks; Back and Change
return to the question. Then the diagram's size on a phone, the printed
brief, the copy link, and axe-core on every new state.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from playwright.sync_api import Locator, Page, expect

from browser_support import DESKTOP, PHONE, OpenReader, Reader, blocking_violations, watch
from served import ServedSite, serve
from sitebuild import PROJECT, build_site, copy_project

pytestmark = pytest.mark.browser

TREE_URL = "decisions/partner-vs-vendor/"
SIZES = {"phone": PHONE, "desktop": DESKTOP}


def tree() -> dict[str, Any]:
    data = yaml.safe_load(
        (PROJECT / "docs" / "decisions" / "partner-vs-vendor.yml").read_text(encoding="utf-8")
    )
    assert isinstance(data, dict)
    return data


NODES = {n["id"]: n for n in tree()["nodes"]}


def paths(node_id: str, so_far: tuple[tuple[str, str], ...] = ()) -> Iterator[tuple[tuple[str, str], ...]]:
    """Every path from ``node_id`` to an outcome, as (question id, answer label) pairs."""
    node = NODES[node_id]
    if "outcome" in node:
        yield so_far
        return
    for answer in node["answers"]:
        yield from paths(answer["next"], (*so_far, (node_id, answer["label"])))


def end_of(path: tuple[tuple[str, str], ...]) -> str:
    last, label = path[-1]
    return next(a["next"] for a in NODES[last]["answers"] if a["label"] == label)


def visible_step(page: Page) -> Any:
    steps = page.locator("section.kb-tree-step:visible")
    expect(steps).to_have_count(1)
    return steps.first


FIRST_SCREEN = """(step) => {
    const header = document.querySelector(".md-header").getBoundingClientRect().bottom;
    const rect = (el) => el.getBoundingClientRect();
    const kind = step.classList.contains("kb-tree-step--outcome") ? "outcome" : "question";
    const parts = [step.querySelector("h3")];
    if (kind === "question") parts.push(...step.querySelectorAll(".kb-tree-answers a"));
    else parts.push(step.querySelector(".kb-tree-step__summary"));
    const outside = parts.filter((el) => rect(el).top < header - 0.5 || rect(el).bottom > innerHeight + 0.5)
        .map((el) => `${el.textContent.trim().slice(0, 40)} at ${Math.round(rect(el).top)}`
            + `-${Math.round(rect(el).bottom)}`);
    // Nothing outside the step peeks out between the header and the step.
    const peeking = [...document.querySelectorAll("article h1, article h2, article p")]
        .filter((el) => !step.contains(el) && rect(el).bottom > header + 1 && rect(el).top < rect(step).top)
        .map((el) => el.textContent.trim().slice(0, 40));
    // At the end of a page the browser cannot scroll the step up to the header.
    const atEnd = innerHeight + scrollY >= document.documentElement.scrollHeight - 2;
    return {outside, peeking: atEnd ? [] : peeking, top: atEnd ? 0 : rect(step).top - header};
}"""


def check_first_screen(page: Page, where: str, step: Locator | None = None) -> None:
    found = (step or visible_step(page)).evaluate(FIRST_SCREEN)
    assert found["outside"] == [], f"{where}: not on the first screen: {found['outside']}"
    assert found["peeking"] == [], f"{where}: peeks under the header: {found['peeking']}"
    assert 0 <= found["top"] <= 12, f"{where}: the step starts {found['top']}px below the header"


def given(page: Page) -> list[tuple[str, str]]:
    items = visible_step(page).locator(".kb-tree-given__list > li")
    return [
        (
            li.locator(".kb-tree-given__question").inner_text(),
            li.locator(".kb-tree-given__answer").inner_text(),
        )
        for li in items.all()
    ]


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("size", SIZES)
def test_every_path_keeps_the_question_and_answers_on_the_first_screen(
    open_reader: OpenReader, size: str
) -> None:
    reader = open_reader(viewport=SIZES[size])
    page = reader.page
    reader.open(TREE_URL)
    start = tree()["start"]
    walked = 0
    for path in paths(start):
        page.goto(reader.site.url(TREE_URL) + f"#step-{start}")
        for depth, (node_id, label) in enumerate(path):
            step = visible_step(page)
            assert words(step.locator("h3").inner_text()).endswith(words(NODES[node_id]["question"]))
            step.locator(".kb-tree-answers").get_by_role("link", name=label, exact=True).click()
            where = f"{size}, after {' / '.join(a for _, a in path[: depth + 1])}"
            check_first_screen(page, where)
            expected = []
            for asked, answer in path[: depth + 1]:
                node = NODES[asked]
                chosen = next(a for a in node["answers"] if a["label"] == answer)
                expected.append((node.get("short", words(node["question"])), chosen.get("short", answer)))
            if depth == len(path) - 1:  # the outcome lists the answers in full
                expected = [(words(NODES[a]["question"]), answer) for a, answer in path]
            assert [(q, a.removeprefix("→ ")) for q, a in given(page)] == expected, where
        outcome = NODES[end_of(path)]
        assert outcome["outcome"] in visible_step(page).locator("h3").inner_text()
        walked += 1
    assert walked == len(list(paths(start))) > 10


def test_back_change_and_a_click_right_after_loading(open_reader: OpenReader) -> None:
    """Back returns to the question; Change too; and a click at once after loading is not lost."""
    reader = open_reader(viewport=PHONE)
    page = reader.page
    start = tree()["start"]
    first = NODES[start]["answers"][1]
    for delay in (0, 50, 150, 300, 500, 700):
        page.goto("about:blank")
        page.goto(reader.site.url(TREE_URL), wait_until="commit")
        page.locator(f"#step-{start} .kb-tree-answers a").nth(1).wait_for(state="visible")
        page.wait_for_timeout(delay)
        page.locator(f"#step-{start} .kb-tree-answers a").nth(1).click()
        page.wait_for_timeout(800)  # long enough for instant navigation to have done anything it would
        assert visible_step(page).get_attribute("id") == f"step-{first['next']}", (
            f"clicked {delay} ms after load"
        )
    page.go_back()
    assert visible_step(page).get_attribute("id") == f"step-{start}"
    page.go_forward()
    step = visible_step(page)
    step.locator(".kb-tree-answers a").first.click()
    step = visible_step(page)
    step.locator(".kb-tree-given__change").first.click()
    assert visible_step(page).get_attribute("id") == f"step-{start}"
    check_first_screen(page, "after Change")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_diagram_keeps_its_text_legible_and_scrolls_in_its_own_box(
    open_reader: OpenReader, scheme: str
) -> None:
    reader = open_reader(color_scheme=scheme, viewport=PHONE)
    reader.open(TREE_URL + "#overview")
    found = reader.page.locator(".kb-tree-diagram").evaluate("""(box) => {
        const svg = box.querySelector("svg");
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        const sizes = [...svg.querySelectorAll("text")]
            .map((t) => parseFloat(getComputedStyle(t).fontSize) * scale);
        const inside = [...svg.querySelectorAll("text")].filter((t) => {
            const r = t.parentNode.querySelector("rect").getBBox(), b = t.getBBox();
            return b.x < r.x || b.y < r.y || b.x + b.width > r.x + r.width || b.y + b.height > r.y + r.height;
        }).map((t) => t.textContent.trim());
        const fill = getComputedStyle(svg.querySelector(".kb-tree-diagram__node--question rect")).fill;
        return {smallest: Math.min(...sizes), scale, scrolls: box.scrollWidth > box.clientWidth,
                pageWidth: document.documentElement.scrollWidth, overflowing: inside, fill};
    }""")
    # It opens at its first question, even when that lies off to the right.
    start = reader.page.locator(f".kb-tree-diagram a[data-step='{tree()['start']}'] rect").bounding_box()
    assert start is not None and 0 <= start["x"] and start["x"] + start["width"] <= PHONE["width"]
    assert found["scale"] == pytest.approx(1.0)  # not shrunk to the screen
    assert found["smallest"] >= 12
    assert found["scrolls"] and found["pageWidth"] <= PHONE["width"]
    assert found["overflowing"] == [], "text sticking out of its box"
    assert found["fill"] == ("rgb(255, 255, 255)" if scheme == "light" else found["fill"])
    assert blocking_violations(reader) == []
    # Each box still leads to its step.
    reader.page.locator(".kb-tree-diagram a[data-step='both-can-pay']").click()
    assert visible_step(reader.page).get_attribute("id") == "step-both-can-pay"


def deepest() -> tuple[tuple[str, str], ...]:
    return max(paths(tree()["start"]), key=len)


def open_deepest_outcome(reader: Reader) -> str:
    page = reader.page
    reader.open(TREE_URL)
    for _, label in deepest():
        visible_step(page).locator(".kb-tree-answers").get_by_role("link", name=label, exact=True).click()
    anchor = visible_step(page).get_attribute("id")
    assert anchor is not None and "outcome" in (visible_step(page).get_attribute("class") or "")
    return anchor


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def test_the_brief_of_the_deepest_path_prints_on_one_page(open_reader: OpenReader) -> None:
    reader = open_reader(viewport=PHONE)
    anchor = open_deepest_outcome(reader)
    page = reader.page
    page.emulate_media(media="print")
    shown = page.evaluate("""() => [...document.querySelectorAll("body *")]
        .filter((el) => el.checkVisibility() && el.closest("article") === null
            && el.querySelector("article") === null)
        .filter((el) => el.getBoundingClientRect().width * el.getBoundingClientRect().height > 0
            && el.innerText.trim())
        .map((el) => `${el.tagName}.${el.className}: ${el.innerText.trim().slice(0, 30)}`)""")
    assert shown == [], "site chrome printed"
    article = page.locator("article").inner_text()
    step = NODES[end_of(deepest())]
    assert step["outcome"] in article and words(step["summary"])[:60] in words(article)
    assert (
        f"{reader.site.url(TREE_URL)}#{anchor}".replace(reader.site.base_url, "https://kb.example.org/")
        in article
    )
    for _, label in deepest():
        assert label in article
    assert "Walk through the questions" not in article and "Change" not in article
    for paper in ("A4", "Letter"):
        pdf = page.pdf(format=paper, print_background=True)
        assert pdf_pages(pdf) == 1, paper


@pytest.mark.parametrize(
    "path",
    [
        "",
        "blog/",
        "blog/2009/04/06/good-customers-good-vendors/",
        "blog/archive/2009/",
        "blog/category/partnerships/",
        "blog/author/david-brock/",
        "guides/",
        "guides/great-vendor/",
        "decisions/",
        TREE_URL,
        TREE_URL + "#step-great-vendor",
        "tags/",
        "feeds/",
        "no/such/page/",
    ],
)
def test_print_hides_the_site_chrome_on_every_page_type(open_reader: OpenReader, path: str) -> None:
    reader = open_reader()
    if path == "no/such/page/":
        reader.expected_missing.add(reader.site.url(path))
    reader.open(path)
    reader.page.emulate_media(media="print")
    chrome = reader.page.evaluate("""() => [".md-header", ".md-tabs", ".md-sidebar", ".md-footer", ".md-top",
        ".md-search", ".md-content__button", ".headerlink", "form"].flatMap((s) =>
        [...document.querySelectorAll(s)].filter((el) => el.checkVisibility()).map(() => s))""")
    assert chrome == []


def test_copy_link_without_and_with_javascript(browser: Any, open_reader: OpenReader) -> None:
    reader = open_reader(viewport=PHONE)
    anchor = open_deepest_outcome(reader)
    step = visible_step(reader.page)
    address = step.locator("input.kb-tree-share__address")
    expect(address).to_be_visible()
    assert address.input_value().endswith(f"{TREE_URL}#{anchor}")
    button = step.get_by_role("button", name="Copy link")
    expect(button).to_be_visible()
    reader.page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    button.click()
    expect(reader.page.locator(".md-dialog")).to_contain_text("Copied")
    assert reader.page.evaluate("navigator.clipboard.readText()") == address.input_value()
    # Without JavaScript the address is there to select; the buttons are not.
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(reader.site.url(TREE_URL) + f"#{anchor}")
    step = visible_step(page)
    expect(step.locator("input.kb-tree-share__address")).to_be_visible()
    expect(step.get_by_role("button", name="Copy link")).to_be_hidden()
    context.close()


STATES = {
    "question with answers": "#step-both-can-pay--2",
    "outcome brief": "#step-partner",
    "deep outcome": "#step-vendor-now-revisit--3",
    "diagram": "#overview",
    "outline": "#outline",
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("state", STATES)
def test_new_states_have_no_serious_accessibility_violations(
    open_reader: OpenReader, state: str, scheme: str
) -> None:
    reader = open_reader(color_scheme=scheme)
    reader.open(TREE_URL)
    fragment = STATES[state]
    if not reader.page.locator(fragment).count():
        fragment = re.sub(r"--\d+$", "", fragment)
    reader.page.goto(reader.site.url(TREE_URL) + fragment)
    for name, viewport in SIZES.items():
        reader.page.set_viewport_size(viewport)
        assert blocking_violations(reader) == [], f"{state}, {scheme}, {name}"
        reader.screenshot(f"tree-{state.replace(' ', '-')}-{scheme}-{name}")


@pytest.fixture(scope="module")
def embedded_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """The project with both trees (the shipped one and a small one) placed in the glossary."""
    root = tmp_path_factory.mktemp("embedded")
    config = copy_project(root / "project")
    docs = config.parent / "docs"
    small = (PROJECT / "tests" / "data" / "trees" / "small.yml").read_text(encoding="utf-8")
    (docs / "decisions" / "small.yml").write_text(small, encoding="utf-8")
    glossary = docs / "guides" / "glossary.md"
    glossary.write_text(
        glossary.read_text(encoding="utf-8")
        + "\n## Decide here\n\n<!-- kb:tree partner-vs-vendor -->\n"
        + "\n## A smaller one\n\n<!-- kb:tree small -->\n",
        encoding="utf-8",
    )
    site = build_site(config, root / "site")
    with serve(site.site_dir) as served:
        yield served


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_two_walks_in_one_page_keep_apart(browser: Any, embedded_site: ServedSite, scheme: str) -> None:
    context = browser.new_context(color_scheme=scheme, viewport=PHONE)
    context.set_default_timeout(10_000)
    reader = Reader(context.new_page(), embedded_site)
    watch(reader.page, reader)
    reader.open("guides/glossary/")
    walks = reader.page.locator(".kb-tree-walk")
    expect(walks).to_have_count(2)
    big, small = walks.nth(0), walks.nth(1)
    expect(big.locator("section.kb-tree-step:visible")).to_have_id("partner-vs-vendor--step-what-they-ask")
    expect(small.locator("section.kb-tree-step:visible")).to_have_id("small--step-first")
    small.locator("section.kb-tree-step:visible .kb-tree-answers a").first.click()
    expect(small.locator("section.kb-tree-step:visible")).to_have_id("small--step-second")
    # The other walk still shows its first question.
    expect(big.locator("section.kb-tree-step:visible")).to_have_id("partner-vs-vendor--step-what-they-ask")
    # The browser scrolls to the step after the answer's click: wait for it to get there.
    expect(small.locator("section.kb-tree-step:visible h3")).to_be_in_viewport()
    check_first_screen(reader.page, "embedded walk", small.locator("section.kb-tree-step:visible"))
    assert blocking_violations(reader) == []
    small.locator("section.kb-tree-step:visible .kb-tree-answers a").first.click()
    small.locator("section.kb-tree-step:visible .kb-tree-answers a").first.click()
    step = small.locator("section.kb-tree-step:visible")
    expect(step).to_have_class(re.compile("kb-tree-step--outcome"))
    assert blocking_violations(reader) == []
    reader.screenshot(f"tree-embedded-{scheme}-phone")
    context.close()
    assert reader.foreign_requests() == [] and reader.console_errors() == []
