"""Markdown extension: task lists (``- [ ] Do this``) with named checkboxes.

Replaces ``pymdownx.tasklist`` (same markup, so Material's styling applies),
because that extension emits each checkbox as raw HTML inside an empty
``<label>``: a screen reader then announces "checkbox, not checked" with no
name (axe-core rule ``label``, critical). Here the checkbox is built as
elements, and named after the text of its own list item (nested lists
excluded) once inline Markdown has been parsed. The checkboxes can be ticked:
kb_engine/templates/javascripts/checklists.js keeps each reader's ticks in their own browser
(localStorage, under the page's path and the item's name), and sends nothing.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Any

from markdown import Markdown, util
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

_BOX = re.compile(r"^ *\[(?P<state>[ xX])\] +(?P<rest>.*)", re.DOTALL)
_LISTS = frozenset({"ul", "ol"})
_CONTROL = "task-list-control"
_STASHED_HTML = re.compile(f"{util.STX}wzxhzdk:\\d+{util.ETX}")  # raw HTML; escapes are kept


def _classes(element: etree.Element) -> list[str]:
    return (element.get("class") or "").split()


def _add_class(element: etree.Element, name: str) -> None:
    classes = _classes(element)
    if name not in classes:
        element.set("class", " ".join([*classes, name]))


def _holder(item: etree.Element) -> etree.Element | None:
    """The element whose text starts with the ``[ ]`` marker: the item, or its first paragraph."""
    if item.text and item.text.strip():
        return item
    first = item[0] if len(item) else None
    if first is not None and first.tag == "p" and first.text:
        return first
    return None


def make_task_items(root: etree.Element) -> None:
    """Turn list items starting with ``[ ]``/``[x]`` into task items with a checkbox."""
    parents = {child: parent for parent in root.iter() for child in parent}
    for item in [li for li in root.iter("li")]:
        holder = _holder(item)
        match = _BOX.match(holder.text or "") if holder is not None else None
        if holder is None or match is None:
            continue
        control = etree.Element("label", {"class": _CONTROL})
        box = etree.SubElement(control, "input", {"type": "checkbox"})
        if match["state"] in "xX":
            box.set("checked", "checked")
        etree.SubElement(control, "span", {"class": "task-list-indicator"})
        control.tail = " " + match["rest"]
        holder.text = None
        holder.insert(0, control)
        _add_class(item, "task-list-item")
        if item in parents:
            _add_class(parents[item], "task-list")


def _own_text(element: etree.Element) -> str:
    parts = [element.text or ""]
    for child in element:
        if child.tag not in _LISTS and _CONTROL not in _classes(child):
            parts.append(_own_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def item_label(item: etree.Element) -> str:
    """The text of task item ``item`` without nested lists: its checkbox's accessible name."""
    return " ".join(_STASHED_HTML.sub("", _own_text(item)).split())


def name_checkboxes(root: etree.Element) -> None:
    for item in root.iter("li"):
        if "task-list-item" not in _classes(item):
            continue
        box = next((e for e in item.iter("input") if e.get("type") == "checkbox"), None)
        label = item_label(item)
        if box is not None and label and not box.get("aria-label"):
            box.set("aria-label", label)
        if box is not None and label:
            box.set("data-kb-task", label)  # the name its tick is kept under (checklists.js)


class _MakeTaskItems(Treeprocessor):  # type: ignore[misc]  # Markdown ships no type hints
    def run(self, root: etree.Element) -> None:
        make_task_items(root)


class _NameCheckboxes(Treeprocessor):  # type: ignore[misc]
    def run(self, root: etree.Element) -> None:
        name_checkboxes(root)


class TaskListExtension(Extension):  # type: ignore[misc]
    def extendMarkdown(self, md: Markdown) -> None:
        # Before inline parsing (20) to see the raw "[ ]"; naming after it, on the final text.
        md.treeprocessors.register(_MakeTaskItems(md), "kb-tasklist", 25)
        md.treeprocessors.register(_NameCheckboxes(md), "kb-tasklist-names", 5)


def makeExtension(**kwargs: Any) -> TaskListExtension:
    return TaskListExtension(**kwargs)
