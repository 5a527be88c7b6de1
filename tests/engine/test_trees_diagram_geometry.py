"""The overview diagram: a golden SVG of a generated tree, and its geometry checked from the SVG itself.

The overlap checks read the rendered SVG (boxes, label boxes, path data),
not the layout's own numbers (tests/treedrawing.py), on generated trees and
the engine's fixture tree.
"""

from __future__ import annotations

import itertools

import jinja2
import pytest
import yaml

from enginesite import ENGINE_SITE
from golden import GOLDEN_DIR, assert_golden
from kb_engine.rendering import environment_for
from kb_engine.theme import TEMPLATES
from kb_engine.trees.labels import ANSWER, BOX, label_problem, wrap_label
from kb_engine.trees.layout import tree_layout
from kb_engine.trees.model import Tree, parse_tree
from treedrawing import Edge, Rect, crossing_points, diagram, drawn_crossings, flatten, overlaps, read_svg
from treegen import generated_tree


def generated(size: int) -> Tree:
    text = yaml.safe_dump(generated_tree(size), sort_keys=False)
    tree = parse_tree(text, "generated.yml", "generated")
    assert isinstance(tree, Tree), tree
    return tree


def fixture() -> Tree:
    source = ENGINE_SITE / "docs" / "decisions" / "which-loaf.yml"
    tree = parse_tree(source.read_text(encoding="utf-8"), "docs/decisions/which-loaf.yml", source.stem)
    assert isinstance(tree, Tree), tree
    return tree


@pytest.fixture(scope="module")
def env() -> jinja2.Environment:
    return environment_for([TEMPLATES])


def test_a_generated_200_node_diagram_matches_its_golden_svg(
    env: jinja2.Environment, update_goldens: bool
) -> None:
    html, _ = diagram(env, generated(200))
    assert_golden("trees/generated-200-diagram.html", html, update_goldens)


@pytest.mark.parametrize("name", ["fixture", "generated-60", "generated-200"])
def test_no_edge_crosses_a_box_or_a_label_and_no_label_overlaps(env: jinja2.Environment, name: str) -> None:
    tree = fixture() if name == "fixture" else generated(int(name.rsplit("-", 1)[1]))
    drawn_crossings(env, tree)


def test_the_overlap_check_sees_an_edge_through_a_box_and_overlapping_labels(env: jinja2.Environment) -> None:
    html, _ = diagram(env, generated(60))
    boxes, edges = read_svg(html)
    target = boxes[0]
    through = Edge(
        "x",
        "y",
        ((target.x - 10, target.y + 5), (target.x + target.width + 10, target.y + 5)),
        Rect("label x→y", edges[0].label.x + 3, edges[0].label.y + 3, 20, 10),
    )
    found = overlaps(boxes, [*edges, through])
    assert f"edge x→y through box {target.name}" in found
    assert f"{edges[0].label.name} over label x→y" in found


def test_crossings_are_counted_from_the_drawing() -> None:
    e = Edge("a", "b", flatten("M 0 0 C 0 10 100 10 100 20"), Rect("l1", 0, 0, 1, 1))
    f = Edge("c", "d", flatten("M 100 0 C 100 10 0 10 0 20"), Rect("l2", 0, 0, 1, 1))
    g = Edge("a", "d", flatten("M 0 0 C 0 10 0 10 0 20"), Rect("l3", 0, 0, 1, 1))
    assert len(crossing_points(e, f)) == 1
    assert crossing_points(e, g) == []  # they share their start


def test_label_rules() -> None:
    assert wrap_label("A  solution,\nbought as usual", ANSWER) == ("A solution, bought", "as usual")
    assert label_problem("Fine", BOX, has_short=True) is None
    long = "word " * 30
    assert "`short`" in (label_problem(long, BOX, has_short=True) or "")
    assert "add a `short:` label" in (label_problem(long, BOX, has_short=False) or "")


def test_the_500_node_tree_lays_out_without_overlaps_of_boxes(env: jinja2.Environment) -> None:
    result = tree_layout(generated(500))
    by_band: dict[float, list[tuple[float, float]]] = {}
    for box in result.boxes:
        by_band.setdefault(box.y, []).append((box.x, box.x + box.width))
    for spans in by_band.values():
        spans.sort()
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def test_the_generated_trees_golden_exists() -> None:
    golden = GOLDEN_DIR / "trees"
    assert (golden / "generated-200-diagram.html").exists()
