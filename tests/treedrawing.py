"""A decision tree's overview diagram, rendered and read back from its SVG: boxes, label boxes, paths.

The overlap checks read the rendered SVG, not the layout's own numbers, so a
template or layout change that draws a line through a box or a label fails.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

import jinja2
import lxml.etree

from kb_engine.rendering import render
from kb_engine.trees.layout import Layout, crossings, tree_layout
from kb_engine.trees.model import Tree

SVG = "{http://www.w3.org/2000/svg}"
Point = tuple[float, float]


def diagram(env: jinja2.Environment, tree: Tree) -> tuple[str, Layout]:
    result = tree_layout(tree)
    counts = {"questions": len(tree.questions()), "outcomes": len(tree.outcomes())}
    return str(render(env, "partials/kb/tree-diagram.html", tree=tree, layout=result, counts=counts)), result


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


def drawn_crossings(env: jinja2.Environment, tree: Tree) -> int:
    """Check the tree's drawing (a box per node, a line per answer, nothing through a box or over a label,
    everything inside the drawing, no crossing the layout did not have); return its crossings."""
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
    return drawn
