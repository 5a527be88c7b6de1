"""The walk through a tree and its outline, as plain data for the templates.

The walk is one section per *step*. A step is a node reached along one path
from the start, so that the "path so far" shown on it is the path the reader
actually took. Where a node can be reached along several paths it gets one
step per path: the first (the shortest path) keeps the node's stable anchor
``#step-<id>``, the others are ``#step-<id>--2``, ``--3``... in the order a
reader meets them. Node ids never contain ``--``, so the anchors cannot clash.

A tree whose paths multiply (many questions sharing many follow-ups) would
make that unfolding large, so above :func:`path_limit` steps the walk falls
back to one step per node: the path shown is the shortest one, and the step
lists the other questions and answers that lead to it. Output then stays
linear in the size of the tree.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from kb_engine.trees.model import Answer, Question, Tree, step_anchor


@dataclass(frozen=True)
class Crumb:
    """One question answered on the way to a step."""

    anchor: str  # the step where it was asked, on this path
    node_id: str
    answer: str
    short: str  # the answer's short label (its label when it has none)


@dataclass(frozen=True)
class Choice:
    label: str
    anchor: str  # the next step on this path


@dataclass(frozen=True)
class Route:
    """Another question and answer leading to a node (compact walks only)."""

    anchor: str
    node_id: str
    answer: str


@dataclass(frozen=True)
class Step:
    anchor: str
    node_id: str
    path: tuple[Crumb, ...]
    choices: tuple[Choice, ...]
    other_routes: tuple[Route, ...]

    @property
    def number(self) -> int:
        return len(self.path) + 1


@dataclass(frozen=True)
class Walk:
    steps: tuple[Step, ...]
    per_path: bool  # False: one step per node (the compact fallback)


def path_limit(tree: Tree) -> int:
    """Most steps the per-path walk may have before the compact one is used."""
    return max(200, 3 * len(tree.nodes))


def count_paths(tree: Tree) -> int:
    """Number of steps of the per-path walk: paths from the start to every node."""
    indegree = {node_id: 0 for node_id in tree.nodes}
    for node_id in tree.nodes:
        for answer in tree.children(node_id):
            indegree[answer.next] += 1
    ways = dict.fromkeys(tree.nodes, 0)
    ways[tree.start] = 1
    ready = deque(n for n, d in indegree.items() if d == 0)
    total = 0
    while ready:
        node_id = ready.popleft()
        total += ways[node_id]
        for answer in tree.children(node_id):
            ways[answer.next] += ways[node_id]
            indegree[answer.next] -= 1
            if indegree[answer.next] == 0:
                ready.append(answer.next)
    return total


def plan_walk(tree: Tree, limit: int | None = None) -> Walk:
    """The steps of the walk, start first, in the order a reader meets them."""
    limit = path_limit(tree) if limit is None else limit
    if count_paths(tree) <= limit:
        return Walk(_per_path_steps(tree), per_path=True)
    return Walk(_per_node_steps(tree), per_path=False)


def _per_path_steps(tree: Tree) -> tuple[Step, ...]:
    seen: dict[str, int] = {}

    def new_anchor(node_id: str) -> str:
        seen[node_id] = seen.get(node_id, 0) + 1
        count = seen[node_id]
        return step_anchor(node_id) if count == 1 else f"{step_anchor(node_id)}--{count}"

    steps: list[Step] = []
    queue: deque[tuple[str, str, tuple[Crumb, ...]]] = deque([(tree.start, new_anchor(tree.start), ())])
    while queue:
        node_id, anchor, path = queue.popleft()
        choices: list[Choice] = []
        for answer in tree.children(node_id):
            child_anchor = new_anchor(answer.next)
            choices.append(Choice(answer.label, child_anchor))
            crumb = Crumb(anchor, node_id, answer.label, answer.short or answer.label)
            queue.append((answer.next, child_anchor, (*path, crumb)))
        steps.append(Step(anchor, node_id, path, tuple(choices), ()))
    return tuple(steps)


def _per_node_steps(tree: Tree) -> tuple[Step, ...]:
    parent: dict[str, tuple[str, Answer] | None] = {tree.start: None}
    order = [tree.start]
    incoming: dict[str, list[Route]] = {n: [] for n in tree.nodes}
    queue = deque([tree.start])
    while queue:
        node_id = queue.popleft()
        for answer in tree.children(node_id):
            incoming[answer.next].append(Route(step_anchor(node_id), node_id, answer.label))
            if answer.next not in parent:
                parent[answer.next] = (node_id, answer)
                order.append(answer.next)
                queue.append(answer.next)
    steps: list[Step] = []
    for node_id in order:
        path: list[Crumb] = []
        link = parent[node_id]
        while link is not None:
            asked, chosen = link
            path.append(Crumb(step_anchor(asked), asked, chosen.label, chosen.short or chosen.label))
            link = parent[asked]
        path.reverse()
        main = parent[node_id]
        others = tuple(
            r for r in incoming[node_id] if main is None or (r.node_id, r.answer) != (main[0], main[1].label)
        )
        choices = tuple(Choice(a.label, step_anchor(a.next)) for a in tree.children(node_id))
        steps.append(Step(step_anchor(node_id), node_id, tuple(path), choices, others))
    return tuple(steps)


@dataclass(frozen=True)
class OutlineEvent:
    """One piece of the nested outline, flattened so templates need no recursion.

    ``node``: a node's link (``first``: where a question's answers are
    listed; later mentions point back to it). ``answers_open``/``answers_close``
    wrap a question's answers; ``answer_open``/``answer_close`` wrap one answer
    and the node it leads to.
    """

    kind: str
    node_id: str = ""
    label: str = ""
    first: bool = True


def outline_anchor(node_id: str) -> str:
    return f"outline-{node_id}"


def plan_outline(tree: Tree) -> tuple[OutlineEvent, ...]:
    """The tree as nested lists (question, answers, next node), depth first.

    A question reached again is not listed twice: the later mention links
    to its first place, so the outline stays linear in the tree's size.
    """
    events: list[OutlineEvent] = []
    expanded: set[str] = set()
    todo: list[OutlineEvent | str] = [tree.start]
    while todo:
        item = todo.pop()
        if isinstance(item, OutlineEvent):
            events.append(item)
            continue
        node = tree.nodes[item]
        first = item not in expanded
        events.append(OutlineEvent("node", item, first=first))
        if not isinstance(node, Question) or not first:
            continue
        expanded.add(item)
        events.append(OutlineEvent("answers_open"))
        todo.append(OutlineEvent("answers_close"))
        for answer in reversed(node.answers):
            todo.append(OutlineEvent("answer_close"))
            todo.append(answer.next)
            todo.append(OutlineEvent("answer_open", label=answer.label))
    return tuple(events)
