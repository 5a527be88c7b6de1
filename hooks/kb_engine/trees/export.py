"""What a tree publishes besides its HTML: the page's Markdown and a JSON copy.

The page is Markdown generated in memory: front matter, the introduction
and one heading per part. Under each heading is a marker that the build
replaces with the part rendered from its template once every cited page
is rendered (so link texts can use their headings). The headings being
Markdown gives the page its table of contents and permalinks.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

import yaml

from kb_engine.trees.model import Outcome, Question, Tree, step_anchor


@dataclass(frozen=True)
class Part:
    slot: str
    heading: str
    anchor: str


PARTS = (
    Part("walk", "Walk through the questions", "walk"),
    Part("diagram", "The whole tree at a glance", "overview"),
    Part("outline", "Outline", "outline"),
)


def marker(slot: str) -> str:
    """The HTML comment standing for a part until it is rendered."""
    return f"<!-- kb-decision-tree:{slot} -->"


def page_markdown(tree: Tree, index: str | None = None) -> str:
    """The Markdown source of a tree's page; ``index``: the page listing every tree, if any."""
    # The tree's page is wide (its diagram): no navigation sidebar. The
    # section's other pages are one link away at the end of the page.
    meta: dict[str, object] = {"title": tree.title, "hide": ["navigation"]}
    if tree.description:
        meta["description"] = tree.description
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    chunks = [f"---\n{front}---\n", tree.intro.strip() + "\n"]
    for part in PARTS:
        chunks.append(f"## {part.heading} {{#{part.anchor}}}\n\n{marker(part.slot)}\n")
    chunks.append(
        "## Use this tree elsewhere {#data}\n\n"
        "The whole tree is also published as data, for tools and other sites: "
        f"[{tree.id}.json]({tree.id}.json). To place its walk inside another page, "
        f"write `<!-- kb:tree {tree.id} -->` on a line of its own in that page's Markdown.\n"
    )
    if index:
        chunks.append(f"[All decision trees]({index})\n")
    return "\n".join(chunks)


def fill_slots(html: str, parts: Mapping[str, str]) -> str:
    """Replace each part's marker in the rendered page with the part's HTML."""
    for slot, content in parts.items():
        mark = marker(slot)
        if mark not in html:
            raise ValueError(f"the page has no place for the {slot!r} part ({mark} is missing)")
        html = html.replace(mark, content, 1)
    return html


def tree_json(tree: Tree, page_url: str, urls: Mapping[str, str]) -> str:
    """The machine-readable copy: every node, with its step's URL and resolved links.

    ``page_url`` is the tree page's URL and ``urls`` maps each cited page
    (path relative to docs/) to its URL; both absolute when the site has a
    ``site_url``, else relative to the site root.
    """
    nodes: list[dict[str, object]] = []
    for node in tree.nodes.values():
        entry: dict[str, object] = {
            "id": node.id,
            "kind": node.kind,
            "url": f"{page_url}#{step_anchor(node.id)}",
        }
        if isinstance(node, Question):
            entry["question"] = node.text
            if node.help:
                entry["help"] = node.help
            entry["answers"] = [{"label": a.label, "next": a.next} for a in node.answers]
        elif isinstance(node, Outcome):
            entry["outcome"] = node.text
            entry["summary"] = node.summary
            entry["tone"] = node.tone
            entry["read_next"] = [
                {"page": c.source, "url": urls[c.path] + (f"#{c.anchor}" if c.anchor else "")}
                for c in node.read_next
            ]
        nodes.append(entry)
    data: dict[str, object] = {
        "id": tree.id,
        "title": tree.title,
        "intro": tree.intro,
        "url": page_url,
        "start": tree.start,
        "nodes": nodes,
    }
    if tree.description:
        data["description"] = tree.description
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
