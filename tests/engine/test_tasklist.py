"""kb_engine.tasklist: task lists whose checkboxes have an accessible name."""

from __future__ import annotations

import lxml.html
import markdown

from enginesite import GUIDE_URL
from sitebuild import Site


def render(text: str) -> lxml.html.HtmlElement:
    html = markdown.markdown(text, extensions=["kb_engine.tasklist", "attr_list"])
    return lxml.html.fragment_fromstring(html, create_parent="div")


def test_each_checkbox_is_named_after_its_item_after_inline_markdown() -> None:
    page = render("- [ ] Read the [guide](g.md) *first*\n- [x] Done \\*really\\*\n- Not a task\n")
    boxes = page.xpath("//input")
    assert [b.get("aria-label") for b in boxes] == ["Read the guide first", "Done *really*"]
    assert [b.get("checked") for b in boxes] == [None, "checked"]
    assert all(b.get("type") == "checkbox" and b.get("disabled") is None for b in boxes)  # readers tick them
    assert [b.get("data-kb-task") for b in boxes] == ["Read the guide first", "Done *really*"]
    assert page.xpath("//ul/@class") == ["task-list"]
    items = page.xpath("//li")
    assert [i.get("class") for i in items] == ["task-list-item", "task-list-item", None]
    # Material's styling hooks, as pymdownx.tasklist(custom_checkbox) writes them.
    assert page.xpath("//li[1]/label[@class='task-list-control']/span[@class='task-list-indicator']")
    assert items[0].text_content().strip() == "Read the guide first"


def test_nested_lists_and_loose_items_are_handled() -> None:
    page = render("- [ ] Outer item\n\n    - [x] Inner item\n\n- [ ] Second\n")
    labels = [b.get("aria-label") for b in page.xpath("//input")]
    assert labels == ["Outer item", "Inner item", "Second"]
    assert page.xpath("//li/p/label/input")  # a loose item holds its checkbox in the paragraph


def test_brackets_elsewhere_are_left_alone() -> None:
    page = render("- see [x] later\n- [y] not a box\n")
    assert page.xpath("//input") == []


def test_a_guides_checklist_is_named_in_a_build(engine_site: Site) -> None:
    page = engine_site.html(GUIDE_URL)
    boxes = page.xpath("//article//input[@type='checkbox']")
    assert [b.get("aria-label") for b in boxes] == ["Feed it at the same hour", "Keep a spare in the fridge"]
    assert [b.get("checked") for b in boxes] == ["checked", None]
