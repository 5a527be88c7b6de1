"""A decision tree as data, read from one YAML file and fully validated.

A tree file looks like this (handbook/decision-trees.md documents every key)::

    id: partner-vs-vendor
    title: Partner or vendor?
    intro: Markdown shown above the walk.
    start: first-question
    nodes:
      - id: first-question
        question: Is the customer asking for more than a good product?
        help: Why we ask (optional).
        short: Asking for more? (optional, the diagram's label)
        answers:
          - label: "Yes"
            next: some-outcome
          - label: "No"
            next: other-outcome
      - id: some-outcome
        outcome: Pursue a strategic partnership
        summary: One or two sentences.
        read_next:
          - guides/cost-of-partnership.md#readiness-checklist

:func:`parse_tree` returns the :class:`Tree` or every :class:`Problem` found,
each naming the file, the line and the node.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kb_engine.problems import Problem, did_you_mean
from kb_engine.trees.labels import ANSWER, BOX, LabelRule, label_problem
from kb_engine.trees.links import parse_citation
from kb_engine.yamlfile import LineDict, YAMLProblem, load_yaml

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
ID_RULE = "lower-case letters and digits, words joined by single '-' or '_'"

TREE_KEYS = {"id": True, "title": True, "intro": True, "description": False, "start": True, "nodes": True}
QUESTION_KEYS = {"id": True, "question": True, "help": False, "short": False, "answers": True}
OUTCOME_KEYS = {
    "id": True, "outcome": True, "summary": True, "short": False, "tone": False, "read_next": True,
}
TONES = ("positive", "caution", "neutral")  # how an outcome is coloured; neutral when unset
ANSWER_KEYS = {"label": True, "short": False, "next": True}


@dataclass(frozen=True)
class Answer:
    label: str
    short: str | None
    next: str
    line: int
    next_line: int


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    help: str | None
    short: str | None
    answers: tuple[Answer, ...]
    line: int

    kind = "question"


@dataclass(frozen=True)
class Citation:
    """One ``read_next`` entry: a Markdown page of the site, maybe with an anchor."""

    source: str  # as written in the file
    path: str  # normalised, relative to docs/
    anchor: str | None
    line: int


@dataclass(frozen=True)
class Outcome:
    id: str
    text: str
    summary: str
    short: str | None
    read_next: tuple[Citation, ...]
    line: int
    tone: str = "neutral"

    kind = "outcome"


Node = Question | Outcome


@dataclass(frozen=True)
class Tree:
    id: str
    title: str
    intro: str
    description: str | None
    start: str
    nodes: dict[str, Node]  # in file order
    file: str  # as shown in messages
    start_line: int = 1

    def children(self, node_id: str) -> Iterator[Answer]:
        node = self.nodes[node_id]
        if isinstance(node, Question):
            yield from node.answers

    def outcomes(self) -> list[Outcome]:
        return [n for n in self.nodes.values() if isinstance(n, Outcome)]

    def questions(self) -> list[Question]:
        return [n for n in self.nodes.values() if isinstance(n, Question)]


def step_anchor(node_id: str) -> str:
    """The stable anchor of a node's step on the tree page."""
    return f"step-{node_id}"


def parse_tree(text: str, file: str, expected_id: str) -> Tree | list[Problem]:
    """Read and validate one tree file; ``expected_id`` is its file name's stem."""
    try:
        data = load_yaml(text, file)
    except YAMLProblem as error:
        return [error.problem]
    reader = _Reader(file, text)
    tree = reader.tree(data, expected_id)
    if reader.problems or tree is None:
        return reader.problems
    problems = check_graph(tree)
    return problems or tree


class _Reader:
    """Collects problems while turning LineDicts into dataclasses."""

    def __init__(self, file: str, text: str) -> None:
        self.file = file
        self.lines = text.splitlines()
        self.problems: list[Problem] = []

    def problem(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.file, line or 1, message))

    def keys(self, data: LineDict, allowed: dict[str, bool], where: str) -> bool:
        """Report unknown and missing keys; True if every required key is there."""
        for key in data:
            if key not in allowed:
                known = ", ".join(allowed)
                self.problem(data.line_of(key), f"{where}unknown key `{key}` (allowed: {known})")
        complete = True
        for key, required in allowed.items():
            if required and key not in data:
                self.problem(data.line, f"{where}`{key}` is required")
                complete = False
        return complete

    def text(self, data: LineDict, key: str, where: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, (bool, int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            self.problem(data.line_of(key), f"{where}`{key}` must be a non-empty text")
            return None
        return value.strip()

    def label(
        self, data: LineDict, key: str, text: str | None, short: str | None, rule: LabelRule, where: str
    ) -> None:
        """The diagram shows ``short``, or the full text: it must fit (kb_engine.trees.labels)."""
        shown = short or text
        if shown is None:
            return
        problem = label_problem(shown, rule, short is not None)
        if problem is not None:
            self.problem(data.line_of("short" if short else key), f"{where}{problem}")

    def ident(self, data: LineDict, key: str, where: str) -> str | None:
        value = self.text(data, key, where)
        if value is not None and not ID_PATTERN.match(value):
            self.problem(data.line_of(key), f"{where}`{key}` '{value}' is not a valid id ({ID_RULE})")
            return None
        return value

    def tree(self, data: Any, expected_id: str) -> Tree | None:
        if not isinstance(data, LineDict):
            self.problem(1, "a tree file must be a mapping with `id`, `title`, `intro`, `start` and `nodes`")
            return None
        self.keys(data, TREE_KEYS, "")
        tree_id = self.ident(data, "id", "")
        if tree_id is not None and tree_id != expected_id:
            self.problem(
                data.line_of("id"),
                f"`id` '{tree_id}' must match the file name ('{expected_id}'), which sets the page's URL",
            )
        title = self.text(data, "title", "")
        intro = self.text(data, "intro", "")
        description = self.text(data, "description", "")
        start = self.ident(data, "start", "")
        nodes = self.nodes(data)
        if None in (tree_id, title, intro, start) or nodes is None or self.problems:
            return None
        assert tree_id is not None and title is not None and intro is not None and start is not None
        return Tree(tree_id, title, intro, description, start, nodes, self.file, data.line_of("start"))

    def nodes(self, data: LineDict) -> dict[str, Node] | None:
        raw = data.get("nodes")
        if raw is None:
            return None
        if not isinstance(raw, list) or not raw:
            self.problem(data.line_of("nodes"), "`nodes` must be a list of questions and outcomes")
            return None
        nodes: dict[str, Node] = {}
        for index, item in enumerate(raw, start=1):
            if not isinstance(item, LineDict):
                self.problem(data.line_of("nodes"), f"node #{index}: expected a mapping with an `id`")
                continue
            node = self.node(item, index)
            if node is None:
                continue
            if node.id in nodes:
                first = nodes[node.id].line
                self.problem(item.line_of("id"), f"node '{node.id}': duplicate id (first on line {first})")
                continue
            nodes[node.id] = node
        return nodes

    def node(self, data: LineDict, index: int) -> Node | None:
        node_id = self.ident(data, "id", f"node #{index}: ")
        if node_id is None:
            if "id" not in data:
                self.problem(data.line, f"node #{index}: `id` is required")
            return None
        where = f"node '{node_id}': "
        if "question" in data and "outcome" in data:
            self.problem(data.line, f"{where}has both `question` and `outcome`; a node is one or the other")
            return None
        if "question" in data:
            return self.question(data, node_id, where)
        if "outcome" in data:
            return self.outcome(data, node_id, where)
        self.problem(data.line, f"{where}needs `question:` (a question) or `outcome:` (a recommendation)")
        return None

    def question(self, data: LineDict, node_id: str, where: str) -> Question | None:
        self.keys(data, QUESTION_KEYS, where)
        text = self.text(data, "question", where)
        help_text = self.text(data, "help", where)
        short = self.text(data, "short", where)
        self.label(data, "question", text, short, BOX, where)
        answers = self.answers(data, where)
        if text is None or answers is None:
            return None
        return Question(node_id, text, help_text, short, answers, data.line)

    def answers(self, data: LineDict, where: str) -> tuple[Answer, ...] | None:
        raw = data.get("answers")
        if raw is None:
            return None
        line = data.line_of("answers")
        if not isinstance(raw, list):
            self.problem(line, f"{where}`answers` must be a list of `label:` and `next:` pairs")
            return None
        answers: list[Answer] = []
        labels: dict[str, int] = {}
        for index, item in enumerate(raw, start=1):
            if not isinstance(item, LineDict):
                self.problem(line, f"{where}answer #{index}: expected a mapping with `label` and `next`")
                continue
            at = f"{where}answer #{index}: "
            self.keys(item, ANSWER_KEYS, at)
            label = self.text(item, "label", at)
            short = self.text(item, "short", at)
            self.label(item, "label", label, short, ANSWER, at)
            target = self.ident(item, "next", at)
            if label is None or target is None:
                continue
            if label in labels:
                first = labels[label]
                self.problem(item.line, f"{where}two answers are labelled '{label}' (first on line {first})")
            labels[label] = item.line
            answers.append(Answer(label, short, target, item.line, item.line_of("next")))
        if len(raw) < 2:
            self.problem(line, f"{where}a question needs at least 2 answers, this one has {len(raw)}")
            return None
        return tuple(answers) if len(answers) == len(raw) else None

    def outcome(self, data: LineDict, node_id: str, where: str) -> Outcome | None:
        self.keys(data, OUTCOME_KEYS, where)
        text = self.text(data, "outcome", where)
        summary = self.text(data, "summary", where)
        short = self.text(data, "short", where)
        self.label(data, "outcome", text, short, BOX, where)
        tone = self.text(data, "tone", where) or "neutral"
        if tone not in TONES:
            hint = did_you_mean(tone, list(TONES))
            self.problem(
                data.line_of("tone"), f"{where}unknown `tone` '{tone}'{hint} (allowed: {', '.join(TONES)})"
            )
        read_next = self.citations(data, where)
        if text is None or summary is None or read_next is None:
            return None
        return Outcome(node_id, text, summary, short, read_next, data.line, tone)

    def citations(self, data: LineDict, where: str) -> tuple[Citation, ...] | None:
        if "read_next" not in data:
            return None
        raw = data["read_next"]
        line = data.line_of("read_next")
        if raw is None or raw == []:
            self.problem(line, f"{where}an outcome needs at least one link in `read_next`")
            return None
        if not isinstance(raw, list):
            self.problem(line, f"{where}`read_next` must be a list of links such as guides/page.md#anchor")
            return None
        citations: list[Citation] = []
        search_from = line
        seen: set[str] = set()
        for index, item in enumerate(raw, start=1):
            item_line = self.find_line(str(item), search_from, line)
            search_from = item_line
            if not isinstance(item, str):
                self.problem(
                    item_line, f"{where}read_next #{index}: expected a link such as guides/page.md#anchor"
                )
                continue
            parsed = parse_citation(item)
            if isinstance(parsed, str):
                self.problem(item_line, f"{where}read_next '{item}': {parsed}")
                continue
            path, anchor = parsed
            if item in seen:
                self.problem(item_line, f"{where}read_next '{item}' is listed twice")
                continue
            seen.add(item)
            citations.append(Citation(item, path, anchor, item_line))
        return tuple(citations) if len(citations) == len(raw) else None

    def find_line(self, needle: str, start: int, fallback: int) -> int:
        """The first line at or after ``start`` that mentions ``needle``.

        PyYAML does not keep the lines of list items; the link text is on
        its own line in any sensible layout, so searching for it is exact.
        """
        for number in range(start, len(self.lines) + 1):
            if needle in self.lines[number - 1]:
                return number
        return fallback


def check_graph(tree: Tree) -> list[Problem]:
    """Unknown targets, cycles and unreachable nodes."""
    problems: list[Problem] = []

    def problem(line: int, message: str) -> None:
        problems.append(Problem(tree.file, line, message))

    known = list(tree.nodes)
    unknown_target = False
    if tree.start not in tree.nodes:
        unknown_target = True
        hint = did_you_mean(tree.start, known)
        problem(tree.start_line, f"`start` points to unknown node '{tree.start}'{hint}")
    for node in tree.questions():
        for answer in node.answers:
            if answer.next not in tree.nodes:
                unknown_target = True
                problem(
                    answer.next_line,
                    f"node '{node.id}': answer '{answer.label}' leads to unknown node "
                    f"'{answer.next}'{did_you_mean(answer.next, known)}",
                )
    problems.extend(_cycles(tree))
    if not unknown_target:
        reached = reachable(tree)
        for other in tree.nodes.values():
            if other.id not in reached:
                problem(
                    other.line,
                    f"node '{other.id}' cannot be reached from the start node '{tree.start}': "
                    "no answer leads to it",
                )
    return problems


def _cycles(tree: Tree) -> list[Problem]:
    """One problem per answer that closes a cycle (a back edge of a DFS)."""
    problems: list[Problem] = []
    state: dict[str, int] = {}  # 1: on the stack, 2: done
    order = [tree.start] if tree.start in tree.nodes else []
    order += [n for n in tree.nodes if n != tree.start]
    for root in order:
        if root in state:
            continue
        stack: list[tuple[str, Iterator[Answer]]] = [(root, tree.children(root))]
        path = [root]
        state[root] = 1
        while stack:
            node_id, answers = stack[-1]
            answer = next(answers, None)
            if answer is None:
                stack.pop()
                path.pop()
                state[node_id] = 2
                continue
            target = answer.next
            if target not in tree.nodes:
                continue  # reported by check_graph
            if state.get(target) == 1:
                loop = [*path[path.index(target):], target]
                problems.append(
                    Problem(
                        tree.file,
                        answer.next_line,
                        f"node '{node_id}': answer '{answer.label}' leads back to '{target}', "
                        f"which makes a cycle: {' → '.join(loop)}",
                    )
                )
            elif target not in state:
                state[target] = 1
                path.append(target)
                stack.append((target, tree.children(target)))
    return problems


def reachable(tree: Tree) -> set[str]:
    """Ids of the nodes reachable from the start node."""
    if tree.start not in tree.nodes:
        return set()
    seen = {tree.start}
    todo = [tree.start]
    while todo:
        for answer in tree.children(todo.pop()):
            if answer.next in tree.nodes and answer.next not in seen:
                seen.add(answer.next)
                todo.append(answer.next)
    return seen
