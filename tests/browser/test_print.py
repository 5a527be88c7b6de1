"""Every page type printed by Chromium to A4 and Letter, at phone and desktop widths, JavaScript on and off.

Each PDF is rendered to a bitmap (pypdfium2, PDFium's renderer) and read
for what a reader holding the paper would notice: how many pages, a blank
page, and content cut at an edge. The page's margins are 1.5 cm
(print.css): anything drawn within 1.2 cm of the paper's edge is content
that ran past the text column (a diagram wider than the page, a long line).
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import pypdfium2 as pdfium
import pytest
from PIL import Image
from playwright.sync_api import Browser, Page

from browser_support import DESKTOP, PHONE
from served import ServedSite

pytestmark = pytest.mark.browser

TREE = "decisions/partner-vs-vendor/"
# page type: (address, the most pages it may take on A4 or Letter)
PAGES = {
    "home": ("", 1),
    "post": ("blog/2009/04/06/good-customers-good-vendors/", 2),
    "guide": ("guides/great-vendor/", 4),  # the longest guide, with its "This guide answers" box
    "tree": (TREE, 3),
    "tree step brief": (TREE + "#step-great-vendor", 1),
}
PAPERS = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}  # millimetres
SCALE = 1.0  # 72 dpi: enough to see a line of text
EDGE_MM = 12.0  # the margin is 15 mm; ink nearer the edge than this is cut content


MARGIN_MM = 15.0  # print.css: @page { margin: 1.5cm }
# Elements whose content is hidden past their box (scroll boxes on screen), with how much is hidden,
# and elements reaching out of the text column (by more than the few pixels an admonition title
# borrows from its box's border).
CUT = """(column) => {
    const cut = [];
    for (const el of document.querySelectorAll("article, article *")) {
        if (!el.checkVisibility()) continue;
        const style = getComputedStyle(el);
        const rect = el.getBoundingClientRect();
        if (rect.width === 0 || rect.height === 0) continue;
        const clips = style.overflowX !== "visible";
        const name = `${el.tagName}.${el.className}`;
        if (clips && el.scrollWidth > el.clientWidth + 2) {
            cut.push(`${name}: hides ${el.scrollWidth - el.clientWidth}px`);
        }
        if (rect.right > column + 4 || rect.left < -4) {
            cut.push(`${name}: ${Math.round(rect.left)}..${Math.round(rect.right)} of ${column}`);
        }
    }
    return cut;
}"""


def text_column(width_mm: float) -> int:
    """The width of the paper's text column in CSS pixels (96 per inch)."""
    return int((width_mm - 2 * MARGIN_MM) / 25.4 * 96)


def ink_box(image: Image.Image) -> tuple[int, int, int, int] | None:
    """The box around every pixel that is not (nearly) white, or None for a blank page."""
    grey = image.convert("L").point(lambda value: 255 if value < 235 else 0)
    return grey.getbbox()


@pytest.fixture(params=[True, False], ids=["js", "no-js"])
def javascript(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


@pytest.fixture(params=[PHONE, DESKTOP], ids=["phone", "desktop"])
def printing_page(request: pytest.FixtureRequest, browser: Browser, served_site: ServedSite,
                  javascript: bool) -> Iterator[Page]:
    context = browser.new_context(viewport=request.param, java_script_enabled=javascript)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("kind", list(PAGES))
def test_each_page_type_prints_whole_without_blank_pages(printing_page: Page, served_site: ServedSite,
                                                         kind: str) -> None:
    path, most = PAGES[kind]
    printing_page.goto(served_site.url(path))
    printing_page.wait_for_load_state("load")
    screen = printing_page.viewport_size
    printing_page.emulate_media(media="print")
    for paper, (width_mm, _) in PAPERS.items():
        column = text_column(width_mm)
        printing_page.set_viewport_size({"width": column, "height": 1000})
        assert printing_page.evaluate(CUT, column) == [], f"{kind} on {paper}: content cut or hidden"
    assert screen is not None
    printing_page.set_viewport_size(screen)
    for paper, (width_mm, height_mm) in PAPERS.items():
        document = pdfium.PdfDocument(io.BytesIO(printing_page.pdf(format=paper, print_background=True)))
        pages = len(document)
        assert 1 <= pages <= most, f"{kind} on {paper}: {pages} pages (at most {most})"
        for number in range(pages):
            image = document[number].render(scale=SCALE).to_pil()
            box = ink_box(image)
            assert box is not None, f"{kind} on {paper}: page {number + 1} of {pages} is blank"
            edge_x = round(image.width * EDGE_MM / width_mm)
            edge_y = round(image.height * EDGE_MM / height_mm)
            left, top, right, bottom = box
            assert left >= edge_x and right <= image.width - edge_x, (
                f"{kind} on {paper}, page {number + 1}: content cut at a side (ink from x={left} to {right} "
                f"of {image.width})")
            assert top >= edge_y and bottom <= image.height - edge_y, (
                f"{kind} on {paper}, page {number + 1}: content in the top or bottom margin")
        document.close()


def test_the_tree_prints_its_outline_and_a_diagram_that_fits(printing_page: Page,
                                                             served_site: ServedSite) -> None:
    printing_page.goto(served_site.url(TREE))
    printing_page.emulate_media(media="print")
    printing_page.set_viewport_size({"width": text_column(PAPERS["A4"][0]), "height": 1000})
    shown = printing_page.evaluate("""() => {
        const visible = (selector) => [...document.querySelectorAll(selector)]
            .some((el) => el.checkVisibility());
        const svg = document.querySelector(".kb-tree-diagram svg").getBoundingClientRect();
        const column = document.querySelector("article").getBoundingClientRect();
        return {outline: visible(".kb-tree-outline"), walk: visible(".kb-tree-walk"),
                diagram: [svg.left - column.left, column.right - svg.right],
                wide: document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth};
    }""")
    assert shown["outline"] and not shown["walk"]
    assert min(shown["diagram"]) >= -1, shown  # inside the text column, both sides
    assert shown["wide"] <= 1, shown
