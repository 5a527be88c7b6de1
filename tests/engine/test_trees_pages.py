"""A decision tree's page in a real build of the engine's fixture site: the walk, the diagram,
the outline, the JSON copy, the tones, and the "In the decision tree" box on every cited page."""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from enginesite import ENGINE_SITE, SITE_URL, TREE_URL
from sitebuild import Site
from treecheck import article, cited_pages, ids_on, nodes_by_id, resolve

TREE_ID = "which-loaf"


def fixture_tree() -> dict[str, Any]:
    data = yaml.safe_load((ENGINE_SITE / "docs" / "decisions" / f"{TREE_ID}.yml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_every_node_has_a_step_with_its_stable_anchor(engine_site: Site) -> None:
    data = fixture_tree()
    page = article(engine_site, TREE_URL)
    steps = {s.get("id"): s for s in page.xpath(".//section[contains(@class,'kb-tree-step')]")}
    for node_id, node in nodes_by_id(data).items():
        step = steps[f"step-{node_id}"]
        title = step.xpath(".//h3")[0].text_content()
        assert (node.get("question") or node.get("outcome")) in title
    start = steps[f"step-{data['start']}"]
    assert "kb-tree-step--start" in start.get("class")
    assert not start.xpath(".//div[contains(@class,'kb-tree-given')]")  # nothing answered yet



def test_answers_link_to_steps_and_every_step_shows_its_path(engine_site: Site) -> None:
    data = fixture_tree()
    nodes = nodes_by_id(data)
    page = article(engine_site, TREE_URL)
    steps = {s.get("id"): s for s in page.xpath(".//section[contains(@class,'kb-tree-step')]")}

    def shown_as(node_id: str, answer: str, outcome: bool) -> tuple[str, str]:
        """A question and answer in "Your answers": short labels on a question, in full on an outcome."""
        node = nodes[node_id]
        chosen = next(a for a in node["answers"] if a["label"] == answer)
        if outcome:
            return " ".join(node["question"].split()), answer
        return node.get("short", " ".join(node["question"].split())), chosen.get("short", answer)

    # Walk every step from the start through the answer links and compare
    # "Your answers" on each step with the answers clicked to reach it, and
    # each Change link with the step where that question was asked.
    seen = set()
    todo: list[tuple[str, list[tuple[str, str, str]]]] = [(f"step-{data['start']}", [])]
    while todo:
        anchor, path = todo.pop()
        seen.add(anchor)
        step = steps[anchor]
        node_id = re.sub(r"--\d+$", "", anchor.removeprefix("step-"))
        node = nodes[node_id]
        items = step.xpath(".//ol[contains(@class,'kb-tree-given__list')]/li")
        shown = [
            (
                li.xpath("./span[@class='kb-tree-given__question']")[0].text_content().strip(),
                li.xpath("./span[@class='kb-tree-given__answer']")[0].text_content().strip(),
            )
            for li in items
        ]
        assert shown == [shown_as(n, a, "outcome" in node) for _, n, a in path], anchor
        assert [li.xpath("./a[@class='kb-tree-given__change']/@href")[0] for li in items] == [
            f"#{asked}" for asked, _, _ in path
        ]
        if path:
            assert step.xpath(".//a[text()='Start over']/@href") == [f"#step-{data['start']}"]
        links = step.xpath(".//ul[contains(@class,'kb-tree-answers')]//a")
        assert [a.text_content().strip() for a in links] == [a["label"] for a in node.get("answers", [])]
        for link, answer in zip(links, node.get("answers", []), strict=True):
            target = link.get("href").removeprefix("#")
            assert link.get("target") == "_self"  # left to the browser by instant navigation
            assert re.fullmatch(rf"step-{answer['next']}(--\d+)?", target), target
            todo.append((target, [*path, (anchor, node_id, answer["label"])]))
    assert seen == set(steps)



def test_outcomes_link_to_their_guides_and_anchors(engine_site: Site) -> None:
    data = fixture_tree()
    page = article(engine_site, TREE_URL)
    for node in data["nodes"]:
        if "outcome" not in node:
            continue
        step = page.xpath(f".//section[@id='step-{node['id']}']")[0]
        assert node["summary"].split()[0] in step.text_content()
        hrefs = step.xpath(".//ul[contains(@class,'kb-tree-links')]//a/@href")
        assert len(hrefs) == len(node["read_next"])
        for href, source in zip(hrefs, node["read_next"], strict=True):
            url, fragment = resolve(TREE_URL, href)
            assert engine_site.path(url).exists(), (source, href)
            if "#" in source:
                assert fragment == source.split("#")[1]
                assert fragment in ids_on(engine_site, url), (source, href)
        texts = [t.strip() for t in step.xpath(".//ul[contains(@class,'kb-tree-links')]//a/text()")]
        assert all(t and "None" not in t for t in texts), texts



def test_the_diagram_is_inline_svg_with_a_name_and_linked_nodes(engine_site: Site) -> None:
    data = fixture_tree()
    page = article(engine_site, TREE_URL)
    ids = ids_on(engine_site, TREE_URL)
    [svg] = page.xpath(".//div[contains(@class,'kb-tree-diagram')]/svg")
    title_id, desc_id = svg.get("aria-labelledby"), svg.get("aria-describedby")
    assert svg.get("role") is None  # role="img" would hide the links inside from screen readers
    assert svg.xpath(f"./title[@id='{title_id}']")[0].text.startswith("Diagram of the decision tree")
    assert "questions lead to" in svg.xpath(f"./desc[@id='{desc_id}']")[0].text
    links = svg.xpath(".//a")
    # xlink:href, because Material's instant navigation throws on SVG links with href
    assert all(a.get("href") is None for a in links)
    assert sorted(a.get("xlink:href") for a in links) == sorted(f"#step-{n['id']}" for n in data["nodes"])
    for link in links:
        assert link.get("xlink:href")[1:] in ids
        assert link.xpath("./title")[0].text.split(": ", 1)[0] in ("Question", "Outcome")
    answers = sum(len(n.get("answers", [])) for n in data["nodes"])
    assert len(svg.xpath(".//path[contains(@class,'kb-tree-diagram__edge')]")) == answers
    assert "mermaid" not in engine_site.text(TREE_URL).lower()



def test_the_outline_nests_questions_answers_and_outcomes(engine_site: Site) -> None:
    data = fixture_tree()
    page = article(engine_site, TREE_URL)
    [outline] = page.xpath(".//ul[contains(@class,'kb-tree-outline')]")
    first = outline.xpath("./li/a")[0]
    assert first.get("href") == f"#step-{data['start']}"
    start = nodes_by_id(data)[data["start"]]
    answers = outline.xpath("./li/ul/li")
    assert [li.xpath("./span")[0].text for li in answers] == [f"{a['label']} →" for a in start["answers"]]
    mentioned = {a.get("href") for a in outline.xpath(".//a")}
    assert {f"#step-{n['id']}" for n in data["nodes"]} <= mentioned
    for href in mentioned:
        assert href[1:] in ids_on(engine_site, TREE_URL)



def test_the_json_copy_is_published_and_matches_the_tree(engine_site: Site) -> None:
    data = fixture_tree()
    published = json.loads(engine_site.text(f"decisions/{TREE_ID}.json"))
    assert published["id"] == data["id"] and published["title"] == data["title"]
    assert published["start"] == data["start"]
    assert published["url"] == SITE_URL + TREE_URL
    assert [n["id"] for n in published["nodes"]] == [n["id"] for n in data["nodes"]]
    for node, source in zip(published["nodes"], data["nodes"], strict=True):
        assert node["url"] == f"{published['url']}#step-{source['id']}"
        if "question" in source:
            assert node["kind"] == "question"
            assert node["question"] == " ".join(source["question"].split())
            assert [(a["label"], a["next"]) for a in node["answers"]] == [
                (a["label"], a["next"]) for a in source["answers"]
            ]
        else:
            assert node["kind"] == "outcome" and node["outcome"] == source["outcome"]
            assert [r["page"] for r in node["read_next"]] == source["read_next"]
            for ref in node["read_next"]:
                assert ref["url"].startswith(SITE_URL)
    # Not a <link rel="alternate"> in the head: Material's instant navigation
    # would fetch decisions/sitemap.xml beside it (see kb_engine.feeds.paths).
    assert engine_site.html(TREE_URL).xpath("//head/link[@type='application/json']") == []
    link = article(engine_site, TREE_URL).xpath(f".//a[text()='{TREE_ID}.json']/@href")
    assert link == [f"../{TREE_ID}.json"]



def test_no_tree_yaml_is_copied_to_the_site(engine_site: Site) -> None:
    assert [p for p in engine_site.files() if p.suffix in (".yml", ".yaml") and "decisions" in p.parts] == []



def test_every_cited_page_links_back_to_the_exact_nodes(engine_site: Site) -> None:
    data = fixture_tree()
    nodes = nodes_by_id(data)
    for source, owners in cited_pages(data).items():
        url = source.removesuffix(".md") + "/"  # the fixture's tree cites guides only
        boxes = article(engine_site, url).xpath(".//aside[contains(@class,'kb-tree-backlinks')]")
        assert len(boxes) == 1, url
        box = boxes[0]
        assert box.xpath("./h2")[0].text == "In the decision tree"
        links = box.xpath(".//li/a")
        targets = [resolve(url, a.get("href")) for a in links]
        assert targets == [(TREE_URL, f"step-{o}") for o in owners], url
        for link, owner in zip(links, owners, strict=True):
            assert link.text_content() == f"Outcome: {nodes[owner]['outcome']} — {data['title']}"
    for uncited in ("guides/", "about/", "decisions/"):
        if engine_site.path(uncited).exists():
            assert not engine_site.html(uncited).xpath("//aside[contains(@class,'kb-tree-backlinks')]")



def test_outcome_tones_reach_the_walk_the_diagram_and_the_json(engine_site: Site) -> None:
    data = fixture_tree()
    page = article(engine_site, TREE_URL)
    published = {n["id"]: n for n in json.loads(engine_site.text(f"decisions/{TREE_ID}.json"))["nodes"]}
    for node in data["nodes"]:
        if "outcome" not in node:
            continue
        tone = node.get("tone", "neutral")
        assert f"kb-tree-tone--{tone}" in page.xpath(f".//section[@id='step-{node['id']}']/@class")[0]
        box = page.xpath(f".//*[local-name()='a'][@data-step='{node['id']}']/@class")[0]
        assert f"kb-tree-tone--{tone}" in box
        assert published[node["id"]]["tone"] == tone
    assert {n.get("tone") for n in data["nodes"] if "outcome" in n} == {"positive", "neutral"}
