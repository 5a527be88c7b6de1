"""The overview diagram: golden SVGs, and its geometry checked from the SVG itself.

The overlap checks read the rendered SVG (boxes, label boxes, path data),
not the layout's own numbers, so a template or layout change that draws a
line through a box or a label fails here.

Engine feature tested on this site's content.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import jinja2
import lxml.etree
import pytest
import yaml

from golden import GOLDEN_DIR, assert_golden
from kb_engine.rendering import environment_for, render
from kb_engine.theme import TEMPLATES
from kb_engine.trees.labels import ANSWER, BOX, label_problem, wrap_label
from kb_engine.trees.layout import Layout, crossings, tree_layout
from kb_engine.trees.model import Tree, parse_tree
from sitebuild import PROJECT
from treegen import generated_tree

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


def generated(size: int) -> Tree:
    text = yaml.safe_dump(generated_tree(size), sort_keys=False)
    tree = parse_tree(text, "generated.yml", "generated")
    assert isinstance(tree, Tree), tree
    return tree


@pytest.fixture(scope="module")
def env() -> jinja2.Environment:
    return environment_for([PROJECT / "overrides", TEMPLATES])


def diagram(env: jinja2.Environment, tree: Tree) -> tuple[str, Layout]:
    result = tree_layout(tree)
    counts = {"questions": len(tree.questions()), "outcomes": len(tree.outcomes())}
    return str(render(env, "partials/kb/tree-diagram.html", tree=tree, layout=result, counts=counts)), result


# --- golden files ------------------------------------------------------------------


def test_the_shipped_trees_diagram_matches_its_golden_svg(
    env: jinja2.Environment, update_goldens: bool
) -> None:
    html, _ = diagram(env, shipped())
    assert_golden("trees/partner-vs-vendor-diagram.html", html, update_goldens)


def test_a_generated_200_node_diagram_matches_its_golden_svg(
    env: jinja2.Environment, update_goldens: bool
) -> None:
    html, _ = diagram(env, generated(200))
    assert_golden("trees/generated-200-diagram.html", html, update_goldens)


# --- geometry, read back from the SVG ------------------------------------------------


@dataclass(frozen=True)
class Rect:
    name: str
    x: float
    y: float
    width: float
    height: float

    def shrunk(self, by: float = 0.5) -> Rect:
        return Rect(self.name, self.x + by, self.y + by, self.width - 2 * by, self.height - 2 * by)

    def overlaps(self, other: Rect) -> bool:
        return (
            self.x < other.x + other.width
            and other.x < self.x + self.width
            and self.y < other.y + other.height
            and other.y < self.y + self.height
        )

    def contains(self, p: Point) -> bool:
        return self.x < p[0] < self.x + self.width and self.y < p[1] < self.y + self.height


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    points: tuple[Point, ...]  # the path, curves flattened
    label: Rect


def rect(element: lxml.etree._Element, name: str) -> Rect:
    return Rect(name, *(float(element.get(k)) for k in ("x", "y", "width", "height")))


def flatten(d: str, steps: int = 24) -> tuple[Point, ...]:
    """Points along SVG path data made of M, V and C commands."""
    tokens = re.findall(r"[MVC]|-?\d+(?:\.\d+)?", d)
    points: list[Point] = []
    i = 0
    while i < len(tokens):
        op = tokens[i]
        if op == "M":
            points.append((float(tokens[i + 1]), float(tokens[i + 2])))
            i += 3
        elif op == "V":
            points.append((points[-1][0], float(tokens[i + 1])))
            i += 2
        elif op == "C":
            (x0, y0), (x1, y1, x2, y2, x3, y3) = points[-1], map(float, tokens[i + 1 : i + 7])
            for k in range(1, steps + 1):
                t = k / steps
                a, b, c, e = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3
                points.append((a * x0 + b * x1 + c * x2 + e * x3, a * y0 + b * y1 + c * y2 + e * y3))
            i += 7
        else:
            raise AssertionError(f"unexpected path command {op!r} in {d!r}")
    return tuple(points)


def read_svg(html: str) -> tuple[list[Rect], list[Edge]]:
    markup = re.sub(r"<script>.*?</script>", "", html, flags=re.DOTALL)  # script text is not XML
    svg = lxml.etree.fromstring(f"<root>{markup}</root>".encode()).find(f".//{SVG}svg")
    assert svg is not None
    boxes = [rect(a.find(f"{SVG}rect"), a.get("data-step")) for a in svg.iter(f"{SVG}a")]
    labels = {
        (g.get("data-from"), g.get("data-to")): rect(
            g.find(f"{SVG}rect"), f"label {g.get('data-from')}→{g.get('data-to')}"
        )
        for g in svg.iter(f"{SVG}g")
        if "kb-tree-diagram__label" in (g.get("class") or "")
    }
    edges = [
        Edge(
            p.get("data-from"),
            p.get("data-to"),
            flatten(p.get("d")),
            labels[(p.get("data-from"), p.get("data-to"))],
        )
        for p in svg.iter(f"{SVG}path")
        if "kb-tree-diagram__edge" in (p.get("class") or "")
    ]
    return boxes, edges


def segments(points: tuple[Point, ...]) -> Iterator[tuple[Point, Point]]:
    return itertools.pairwise(points)


def segment_hits_rect(a: Point, b: Point, r: Rect) -> bool:
    """Whether the segment a-b enters the open rectangle (sampled finely; segments are short)."""
    if max(a[0], b[0]) <= r.x or min(a[0], b[0]) >= r.x + r.width:
        return False
    if max(a[1], b[1]) <= r.y or min(a[1], b[1]) >= r.y + r.height:
        return False
    length = max(abs(b[0] - a[0]), abs(b[1] - a[1]))
    steps = max(2, int(length / 0.5))
    return any(
        r.contains((a[0] + (b[0] - a[0]) * k / steps, a[1] + (b[1] - a[1]) * k / steps))
        for k in range(steps + 1)
    )


def intersection(a: Point, b: Point, c: Point, d: Point) -> Point | None:
    """The point where segments a-b and c-d properly cross, if they do (parallel ones never do)."""
    denominator = (b[0] - a[0]) * (d[1] - c[1]) - (b[1] - a[1]) * (d[0] - c[0])
    if abs(denominator) < 1e-9:
        return None
    t = ((c[0] - a[0]) * (d[1] - c[1]) - (c[1] - a[1]) * (d[0] - c[0])) / denominator
    u = ((c[0] - a[0]) * (b[1] - a[1]) - (c[1] - a[1]) * (b[0] - a[0])) / denominator
    if 0 <= t <= 1 and 0 <= u <= 1:
        return (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))
    return None


def bounds(points: tuple[Point, ...]) -> Rect:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return Rect("bounds", min(xs) - 1, min(ys) - 1, max(xs) - min(xs) + 2, max(ys) - min(ys) + 2)


def crossing_points(e: Edge, f: Edge) -> list[Point]:
    """Where two edges cross, leaving out where they meet at a shared question or next node."""
    found: list[Point] = []
    if not bounds(e.points).overlaps(bounds(f.points)):
        return found
    for a, b in segments(e.points):
        for c, d in segments(f.points):
            if max(a[1], b[1]) < min(c[1], d[1]) or max(c[1], d[1]) < min(a[1], b[1]):
                continue
            p = intersection(a, b, c, d)
            if p is None:
                continue
            if e.source == f.source and abs(p[0] - e.points[0][0]) < 0.6:
                continue  # both still in their question's column
            if (
                e.target == f.target
                and abs(p[0] - e.points[-1][0]) < 0.6
                and abs(p[1] - e.points[-1][1]) < 0.6
            ):
                continue  # both arriving at their next node
            if not any(abs(p[0] - q[0]) < 1 and abs(p[1] - q[1]) < 1 for q in found):
                found.append(p)
    return found


def overlaps(boxes: list[Rect], edges: list[Edge]) -> list[str]:
    """Every edge through a box or another answer's label, every label over a label or a box."""
    found: list[str] = []
    inner_boxes = [b.shrunk() for b in boxes]
    for edge in edges:
        near = bounds(edge.points)
        boxes_near = [b for b in inner_boxes if b.overlaps(near)]
        labels_near = [o for o in edges if o is not edge and o.label.overlaps(near)]
        for a, b in segments(edge.points):
            for box in boxes_near:
                if segment_hits_rect(a, b, box):
                    found.append(f"edge {edge.source}→{edge.target} through box {box.name}")
            for other in labels_near:
                if segment_hits_rect(a, b, other.label.shrunk()):
                    found.append(f"edge {edge.source}→{edge.target} through {other.label.name}")
    labels = [e.label for e in edges]
    shapes = sorted(labels + boxes, key=lambda r: r.y)
    for i, one in enumerate(shapes):  # sorted by top: stop once the next starts below this one
        for two in shapes[i + 1 :]:
            if two.y >= one.y + one.height:
                break
            if one.shrunk().overlaps(two.shrunk()):
                found.append(f"{one.name} over {two.name}")
    return sorted(set(found))


@pytest.mark.parametrize("name", ["shipped", "generated-60", "generated-200"])
def test_no_edge_crosses_a_box_or_a_label_and_no_label_overlaps(env: jinja2.Environment, name: str) -> None:
    tree = shipped() if name == "shipped" else generated(int(name.rsplit("-", 1)[1]))
    html, result = diagram(env, tree)
    boxes, edges = read_svg(html)
    assert len(boxes) == len(tree.nodes)
    assert len(edges) == sum(len(q.answers) for q in tree.questions())
    assert overlaps(boxes, edges) == []
    for box in boxes:
        assert 0 <= box.x and box.x + box.width <= result.width and box.y + box.height <= result.height
    # Crossings drawn are exactly those of igraph's ordering: the drawing adds none.
    drawn = sum(len(crossing_points(e, f)) for e, f in itertools.combinations(edges, 2))
    assert drawn == crossings(result)
    if name == "shipped":
        assert drawn == SHIPPED_CROSSINGS


def test_the_overlap_check_sees_an_edge_through_a_box_and_overlapping_labels(env: jinja2.Environment) -> None:
    html, _ = diagram(env, shipped())
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


def test_goldens_exist_for_both_trees() -> None:
    golden = GOLDEN_DIR / "trees"
    assert (golden / "partner-vs-vendor-diagram.html").exists()
    assert (golden / "generated-200-diagram.html").exists()
