"""The overview diagram of this site's tree: its golden SVG, its geometry, its labels.

The diagram in general, on generated trees: tests/engine/test_trees_diagram_geometry.py.
"""

from __future__ import annotations

import jinja2
import pytest

from golden import GOLDEN_DIR, assert_golden
from kb_engine.rendering import environment_for
from kb_engine.theme import TEMPLATES
from kb_engine.trees.labels import ANSWER, BOX
from kb_engine.trees.model import Tree, parse_tree
from sitebuild import PROJECT
from treedrawing import diagram, drawn_crossings

SHIPPED = PROJECT / "docs" / "decisions" / "partner-vs-vendor.yml"
SVG = "{http://www.w3.org/2000/svg}"
# Crossings igraph's minimiser reaches on the shipped tree (the same with 5 or 1000 sweeps).
SHIPPED_CROSSINGS = 6

Point = tuple[float, float]


def shipped() -> Tree:
    tree = parse_tree(
        SHIPPED.read_text(encoding="utf-8"), "docs/decisions/partner-vs-vendor.yml", SHIPPED.stem
    )
    assert isinstance(tree, Tree), tree
    return tree


@pytest.fixture(scope="module")
def env() -> jinja2.Environment:
    return environment_for([PROJECT / "overrides", TEMPLATES])


# --- golden files ------------------------------------------------------------------


def test_the_shipped_trees_diagram_matches_its_golden_svg(
    env: jinja2.Environment, update_goldens: bool
) -> None:
    html, _ = diagram(env, shipped())
    assert_golden("trees/partner-vs-vendor-diagram.html", html, update_goldens)


def test_every_label_is_whole_and_wrapped_within_its_rule(env: jinja2.Environment) -> None:
    tree = shipped()
    html, result = diagram(env, tree)
    for box in result.boxes:
        node = tree.nodes[box.id]
        assert " ".join(box.lines) == " ".join((node.short or node.text).split())
        assert len(box.lines) <= BOX.lines and all(len(line) <= BOX.chars for line in box.lines)
    for line in result.lines:
        assert len(line.lines) <= ANSWER.lines and all(len(text) <= ANSWER.chars for text in line.lines)
    assert "…" not in html
    assert "A solution, bought" in html and "as usual" in html


def test_no_edge_crosses_a_box_or_a_label_in_the_shipped_tree(env: jinja2.Environment) -> None:
    tree = shipped()
    assert drawn_crossings(env, tree) == SHIPPED_CROSSINGS


def test_the_shipped_trees_golden_exists() -> None:
    golden = GOLDEN_DIR / "trees"
    assert (golden / "partner-vs-vendor-diagram.html").exists()
