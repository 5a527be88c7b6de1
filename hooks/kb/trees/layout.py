"""A layered, top-down layout of a tree's diagram: pure geometry, no HTML.

The classic recipe for drawing directed acyclic graphs, kept small:

1. layers: each node sits one layer below the deepest question leading to it;
2. answers that skip layers get invisible bend points in the layers between,
   so no line runs through a box;
3. order within a layer: a few sweeps that move each node towards the
   average position of its neighbours (fewer crossings);
4. x positions: pulled towards the neighbours' positions, then pushed apart
   so that boxes never overlap.

Everything is in SVG user units (px at scale 1).
"""

from __future__ import annotations

import itertools
import textwrap
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

BOX_WIDTH = 168.0
LINE_HEIGHT = 16.0
BOX_PADDING = 10.0
CHARS_PER_LINE = 22
MAX_LINES = 4
NODE_GAP = 16.0
BEND_WIDTH = 8.0
LABEL_CHARS = 22
LABEL_CHAR_WIDTH = 6.2  # at the labels' 11px
LABEL_PADDING = 4.0
LABEL_HEIGHT = 14.0
RANK_GAP_ABOVE_LABEL = 16.0
RANK_GAP_BELOW_LABEL = 22.0
MARGIN = 8.0


@dataclass(frozen=True)
class GraphNode:
    id: str
    text: str
    kind: str  # "question" or "outcome"


@dataclass(frozen=True)
class GraphEdge:
    source: str
    target: str
    label: str


@dataclass(frozen=True)
class Box:
    id: str
    kind: str
    text: str  # the full text, for the tooltip
    lines: tuple[str, ...]
    x: float  # top-left corner
    y: float
    width: float
    height: float

    @property
    def center_x(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class Line:
    points: tuple[tuple[float, float], ...]
    label: str
    full_label: str
    label_x: float
    label_y: float
    target: str


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    boxes: tuple[Box, ...]
    lines: tuple[Line, ...]


def wrap(text: str, width: int = CHARS_PER_LINE, max_lines: int = MAX_LINES) -> tuple[str, ...]:
    """Lines of at most ``width`` characters; an ellipsis marks cut text."""
    lines = textwrap.wrap(text, width=width, break_long_words=True) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        lines[-1] = (last[: width - 1].rstrip() if len(last) >= width else last) + "…"
    return tuple(lines)


def shorten(text: str, width: int = LABEL_CHARS) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def label_width(label: str) -> float:
    return len(label) * LABEL_CHAR_WIDTH + 2 * LABEL_PADDING


def layout(nodes: list[GraphNode], edges: list[GraphEdge], start: str) -> Layout:
    """Place ``nodes`` (an acyclic graph reachable from ``start``) in layers.

    Ranks alternate: even ranks hold the boxes, odd ranks the answers'
    labels. Every answer gets a label point in the rank just below its
    question, and bend points in every rank it crosses, so the ordering and
    spacing below keep labels apart from each other exactly as boxes are.
    """
    by_id = {n.id: n for n in nodes}
    out: dict[str, list[GraphEdge]] = defaultdict(list)
    for edge in edges:
        out[edge.source].append(edge)
    layer_of = _layers(nodes, out, start)

    ranks: list[list[str]] = [[] for _ in range(2 * max(layer_of.values()) + 1)]
    for node_id in _discovery_order(out, start):
        ranks[2 * layer_of[node_id]].append(node_id)
    widths: dict[str, float] = {n.id: BOX_WIDTH for n in nodes}
    labels: dict[str, str] = {}
    chains: list[tuple[GraphEdge, list[str]]] = []
    up: dict[str, list[str]] = defaultdict(list)
    down: dict[str, list[str]] = defaultdict(list)
    for index, edge in enumerate(edges):
        chain = [edge.source]
        first = 2 * layer_of[edge.source] + 1
        for rank in range(first, 2 * layer_of[edge.target]):
            point = f"\0{index}:{rank}"
            ranks[rank].append(point)
            chain.append(point)
            if rank == first:
                labels[point] = shorten(edge.label)
                widths[point] = label_width(labels[point])
            else:
                widths[point] = BEND_WIDTH
        chain.append(edge.target)
        for a, b in itertools.pairwise(chain):
            down[a].append(b)
            up[b].append(a)
        chains.append((edge, chain))

    _order_layers(ranks, up, down)
    x = _positions(ranks, up, down, widths.__getitem__)

    boxes: dict[str, tuple[tuple[str, ...], float]] = {}
    for node in nodes:
        lines = wrap(node.text)
        boxes[node.id] = (lines, len(lines) * LINE_HEIGHT + 2 * BOX_PADDING)

    # y: a box rank is as tall as its tallest box; a label rank, one line.
    tops: list[float] = []
    heights: list[float] = []
    y = MARGIN
    for rank, members in enumerate(ranks):
        if rank % 2 == 0:
            tall = max((boxes[n][1] for n in members if n in by_id), default=LABEL_HEIGHT)
        else:
            tall = LABEL_HEIGHT
        if rank:
            y += RANK_GAP_ABOVE_LABEL if rank % 2 else RANK_GAP_BELOW_LABEL
        tops.append(y)
        heights.append(tall)
        y += tall
    total_height = y + MARGIN

    left = min(x[n] - widths[n] / 2 for members in ranks for n in members)
    shift = MARGIN - left
    total_width = max(x[n] + widths[n] / 2 for members in ranks for n in members) + shift + MARGIN

    placed: list[Box] = []
    for rank, members in enumerate(ranks):
        for node_id in members:
            if node_id not in by_id:
                continue
            lines, height = boxes[node_id]
            top = tops[rank] + (heights[rank] - height) / 2
            node = by_id[node_id]
            left_x = x[node_id] + shift - BOX_WIDTH / 2
            placed.append(Box(node_id, node.kind, node.text, lines, left_x, top, BOX_WIDTH, height))
    box_of = {b.id: b for b in placed}

    drawn: list[Line] = []
    for edge, chain in chains:
        source, target = box_of[edge.source], box_of[edge.target]
        points = [(source.center_x, source.y + source.height)]
        label_x = label_y = 0.0
        for point in chain[1:-1]:
            rank = int(point.rsplit(":", 1)[1])
            px = x[point] + shift
            if point in labels:
                label_x, label_y = px, tops[rank] + heights[rank] / 2
            if rank % 2:
                points.append((px, tops[rank] + heights[rank] / 2))
            else:
                points.append((px, tops[rank]))
                points.append((px, tops[rank] + heights[rank]))
        points.append((target.center_x, target.y))
        label = labels[chain[1]]
        drawn.append(Line(tuple(points), label, edge.label, label_x, label_y, edge.target))
    return Layout(total_width, total_height, tuple(placed), tuple(drawn))


def _layers(nodes: list[GraphNode], out: dict[str, list[GraphEdge]], start: str) -> dict[str, int]:
    """Longest-path layering: a node is one below its deepest parent."""
    indegree = {n.id: 0 for n in nodes}
    for edges in out.values():
        for edge in edges:
            indegree[edge.target] += 1
    layer = {n.id: 0 for n in nodes}
    ready = [n.id for n in nodes if indegree[n.id] == 0]
    while ready:
        node_id = ready.pop()
        for edge in out[node_id]:
            layer[edge.target] = max(layer[edge.target], layer[node_id] + 1)
            indegree[edge.target] -= 1
            if indegree[edge.target] == 0:
                ready.append(edge.target)
    return layer


def _discovery_order(out: dict[str, list[GraphEdge]], start: str) -> list[str]:
    """Depth-first order from the start, answers in order: a good first ordering."""
    order: list[str] = []
    seen = {start}
    todo = [start]
    while todo:
        node_id = todo.pop()
        order.append(node_id)
        for edge in reversed(out[node_id]):
            if edge.target not in seen:
                seen.add(edge.target)
                todo.append(edge.target)
    return order


def _order_layers(layers: list[list[str]], up: dict[str, list[str]], down: dict[str, list[str]]) -> None:
    """Barycentre sweeps, down then up, a few times; stable for ties."""
    for _ in range(4):
        for index in range(1, len(layers)):
            _sort_by_neighbours(layers[index], layers[index - 1], up)
        for index in range(len(layers) - 2, -1, -1):
            _sort_by_neighbours(layers[index], layers[index + 1], down)


def _sort_by_neighbours(layer: list[str], fixed: list[str], neighbours: dict[str, list[str]]) -> None:
    position = {n: i for i, n in enumerate(fixed)}

    def key(item: tuple[int, str]) -> float:
        index, node_id = item
        linked = [position[n] for n in neighbours[node_id] if n in position]
        return sum(linked) / len(linked) if linked else float(index)

    layer[:] = [n for _, n in sorted(enumerate(layer), key=key)]


def _positions(
    layers: list[list[str]],
    up: dict[str, list[str]],
    down: dict[str, list[str]],
    width: Callable[[str], float],
) -> dict[str, float]:
    """Centre x of every node and bend point."""
    x: dict[str, float] = {}
    for layer in layers:
        cursor = 0.0
        for node_id in layer:
            w = width(node_id)
            x[node_id] = cursor + w / 2
            cursor += w + NODE_GAP
    for _ in range(6):
        for index in range(1, len(layers)):
            _pull(layers[index], up, x, width)
        for index in range(len(layers) - 2, -1, -1):
            _pull(layers[index], down, x, width)
    for index in range(1, len(layers)):
        _pull(layers[index], up, x, width)
    return x


def _pull(
    layer: list[str], neighbours: dict[str, list[str]], x: dict[str, float], width: Callable[[str], float]
) -> None:
    """Move each node to its neighbours' average, then push overlapping ones apart."""
    wanted = []
    for node_id in layer:
        linked = [x[n] for n in neighbours[node_id]]
        wanted.append(sum(linked) / len(linked) if linked else x[node_id])
    placed = list(wanted)
    for i in range(1, len(layer)):
        gap = (width(layer[i - 1]) + width(layer[i])) / 2 + NODE_GAP
        placed[i] = max(placed[i], placed[i - 1] + gap)
    # Pushing only to the right drifts the layer; centre it on what was wanted.
    drift = sum(p - w for p, w in zip(placed, wanted, strict=True)) / max(len(layer), 1)
    for i, node_id in enumerate(layer):
        x[node_id] = placed[i] - drift
