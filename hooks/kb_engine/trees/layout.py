"""The overview diagram's geometry, laid out by igraph's Sugiyama layout.

igraph (a maintained C library) does the graph drawing: layers, dummy
vertices on long edges, crossing minimisation (barycentre sweeps) and the
horizontal placement with a minimum gap. This module only builds its input
and turns its output into boxes, labels and paths in SVG user units:

- every answer is a vertex of its own, the *label vertex*, in the layer just
  below its question: layers alternate between boxes (even) and answer
  labels (odd), so igraph keeps labels apart from each other and from every
  other line exactly as it keeps boxes apart;
- igraph's unit gap becomes :data:`COLUMN` px, wider than any box or label,
  so nothing in a layer overlaps;
- each layer is a horizontal band as tall as its tallest member; lines run
  straight down through a band (at their vertex's x, which no box or label
  of that band covers) and curve only in the gaps between bands, where
  nothing is drawn. So no line passes through a box or another answer's
  label, and two lines cross only where igraph's ordering makes them cross.

Labels are wrapped with :func:`kb_engine.trees.labels.wrap_label`, the rule the
tree file's validation applies, so they are never cut.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass

import igraph

from kb_engine.trees.labels import ANSWER, BOX, wrap_label
from kb_engine.trees.model import Outcome, Tree

BOX_WIDTH = 184.0
BOX_LINE = 17.0  # line height of the boxes' 14px text
BOX_PADDING = 11.0
BOX_ASCENT = 13.0  # from the top of a box line to its text's baseline
LABEL_LINE = 15.0  # line height of the labels' 12px text
LABEL_PADDING = 4.0
LABEL_ASCENT = 11.0
LABEL_CHAR = 7.4  # width of one character of a label, generously (12px)
COLUMN = BOX_WIDTH + 24.0  # igraph's unit gap, in px
BAND_GAP = 34.0  # the space between two bands, where lines curve
MARGIN = 10.0
SWEEPS = 100  # igraph's crossing-reduction iterations


@dataclass(frozen=True)
class GraphNode:
    id: str
    text: str  # the label shown in the box
    kind: str  # "question" or "outcome"
    title: str  # the full text, for the tooltip
    tone: str = ""  # outcomes: positive, caution or neutral


@dataclass(frozen=True)
class GraphEdge:
    source: str
    target: str
    label: str


@dataclass(frozen=True)
class Box:
    id: str
    kind: str
    tone: str
    title: str
    lines: tuple[str, ...]
    x: float  # top-left corner
    y: float
    width: float
    height: float

    @property
    def center_x(self) -> float:
        return self.x + self.width / 2

    @property
    def text_y(self) -> float:
        """The first line's baseline."""
        return self.y + BOX_PADDING + BOX_ASCENT

    line_height = BOX_LINE


@dataclass(frozen=True)
class Line:
    """One answer: its path from question to next node, and its label."""

    source: str
    target: str
    path: str  # SVG path data
    lines: tuple[str, ...]  # the label, wrapped
    label_x: float  # the label's box, top-left corner
    label_y: float
    label_width: float
    label_height: float
    columns: tuple[tuple[int, float], ...]  # (band, x) of every vertex on the way, for counting crossings

    @property
    def label_center_x(self) -> float:
        return self.label_x + self.label_width / 2

    @property
    def text_y(self) -> float:
        """The label's first baseline."""
        return self.label_y + LABEL_PADDING + LABEL_ASCENT

    line_height = LABEL_LINE


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    boxes: tuple[Box, ...]
    lines: tuple[Line, ...]


def box_height(lines: tuple[str, ...]) -> float:
    return len(lines) * BOX_LINE + 2 * BOX_PADDING


def label_size(lines: tuple[str, ...]) -> tuple[float, float]:
    width = max(len(line) for line in lines) * LABEL_CHAR + 2 * LABEL_PADDING
    return width, len(lines) * LABEL_LINE + 2 * LABEL_PADDING


def layout(nodes: list[GraphNode], edges: list[GraphEdge], start: str) -> Layout:
    """Place ``nodes`` (an acyclic graph, every node reachable from ``start``)."""
    index = {n.id: i for i, n in enumerate(nodes)}
    depth = _depths(nodes, edges, start)
    count = len(nodes)
    layers = [2 * depth[n.id] for n in nodes] + [2 * depth[e.source] + 1 for e in edges]
    links = [(index[e.source], count + k) for k, e in enumerate(edges)]
    links += [(count + k, index[e.target]) for k, e in enumerate(edges)]
    graph = igraph.Graph(n=count + len(edges), edges=links, directed=True)
    placed = graph.layout_sugiyama(layers=layers, hgap=1, vgap=1, maxiter=SWEEPS)
    coords: list[list[float]] = placed.coords
    routing: list[list[list[float]]] = placed.edge_routing
    left = min(
        [c[0] for c in coords[: count + len(edges)]]
        + [p[0] for route in routing for p in route]
    )

    def px(x: float) -> float:
        return MARGIN + BOX_WIDTH / 2 + (x - left) * COLUMN

    box_lines = [wrap_label(n.text, BOX) for n in nodes]
    label_lines = [wrap_label(e.label, ANSWER) for e in edges]
    bands = 2 * max(depth.values()) + 1
    tall = [0.0] * bands
    for i, lines in enumerate(box_lines):
        tall[layers[i]] = max(tall[layers[i]], box_height(lines))
    for k, lines in enumerate(label_lines):
        tall[layers[count + k]] = max(tall[layers[count + k]], label_size(lines)[1])
    tops: list[float] = []
    y = MARGIN
    for band in range(bands):
        tops.append(y)
        y += tall[band] + BAND_GAP
    height = y - BAND_GAP + MARGIN

    boxes = tuple(
        Box(
            n.id, n.kind, n.tone, n.title, box_lines[i],
            px(coords[i][0]) - BOX_WIDTH / 2, tops[layers[i]], BOX_WIDTH, box_height(box_lines[i]),
        )
        for i, n in enumerate(nodes)
    )
    drawn: list[Line] = []
    for k, edge in enumerate(edges):
        source, target = index[edge.source], index[edge.target]
        band = layers[source]
        columns = [(band, px(coords[source][0])), (band + 1, px(coords[count + k][0]))]
        columns += [(round(p[1]), px(p[0])) for p in sorted(routing[len(edges) + k], key=lambda p: p[1])]
        columns.append((layers[target], px(coords[target][0])))
        lines = label_lines[k]
        width, label_height = label_size(lines)
        label_x = columns[1][1]
        label_y = tops[band + 1] + (tall[band + 1] - label_height) / 2
        path = _path(columns, boxes[source], tops, tall)
        drawn.append(
            Line(
                edge.source, edge.target, path, lines,
                label_x - width / 2, label_y, width, label_height, tuple(columns),
            )
        )
    # Every vertex, box, label or bend, is centred in a column of BOX_WIDTH.
    right = max(px(c[0]) for c in coords[: count + len(edges)])
    right = max([right] + [x for line in drawn for _, x in line.columns])
    return Layout(right + BOX_WIDTH / 2 + MARGIN, height, boxes, tuple(drawn))


def tree_layout(tree: Tree) -> Layout:
    """The diagram of ``tree``: boxes show ``short`` labels (else the text), lines the answers'."""
    nodes = [
        GraphNode(n.id, n.short or n.text, n.kind, n.text, n.tone if isinstance(n, Outcome) else "")
        for n in tree.nodes.values()
    ]
    edges = [GraphEdge(q.id, a.next, a.short or a.label) for q in tree.questions() for a in q.answers]
    return layout(nodes, edges, tree.start)


def _path(columns: list[tuple[int, float]], source: Box, tops: list[float], tall: list[float]) -> str:
    """Down from the source box, through each band, curving in the gaps between them."""
    first_band, x = columns[0]
    bottom = tops[first_band] + tall[first_band]
    parts = [f"M {x:.1f} {source.y + source.height:.1f}"]
    if bottom > source.y + source.height:
        parts.append(f"V {bottom:.1f}")
    for (_, x0), (band, x1) in itertools.pairwise(columns):
        y0 = tops[band - 1] + tall[band - 1]
        y1 = tops[band]
        middle = (y0 + y1) / 2
        if abs(x1 - x0) < 0.05:
            parts.append(f"V {y1:.1f}")
        else:
            parts.append(f"C {x0:.1f} {middle:.1f} {x1:.1f} {middle:.1f} {x1:.1f} {y1:.1f}")
        if band != columns[-1][0]:
            parts.append(f"V {y1 + tall[band]:.1f}")
    return " ".join(parts)


def _depths(nodes: list[GraphNode], edges: list[GraphEdge], start: str) -> dict[str, int]:
    """Longest-path layering: a node sits one layer below its deepest question."""
    out: dict[str, list[str]] = defaultdict(list)
    indegree = {n.id: 0 for n in nodes}
    for edge in edges:
        out[edge.source].append(edge.target)
        indegree[edge.target] += 1
    depth = {n.id: 0 for n in nodes}
    ready = [n.id for n in nodes if indegree[n.id] == 0]
    while ready:
        node_id = ready.pop()
        for target in out[node_id]:
            depth[target] = max(depth[target], depth[node_id] + 1)
            indegree[target] -= 1
            if indegree[target] == 0:
                ready.append(target)
    return depth


def crossings(result: Layout) -> int:
    """Pairs of lines that cross, from the order of their vertices band by band.

    Two lines between the same two bands cross when their order swaps; lines
    meeting at a shared end (the same question or the same next node) do not
    cross. This is the count igraph's ordering reaches.
    """
    gaps: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for line in result.lines:
        for (band, x0), (_, x1) in itertools.pairwise(line.columns):
            gaps[band].append((x0, x1))
    total = 0
    for segments in gaps.values():
        for (a0, a1), (b0, b1) in itertools.combinations(segments, 2):
            if (a0 - b0) * (a1 - b1) < 0:
                total += 1
    return total
