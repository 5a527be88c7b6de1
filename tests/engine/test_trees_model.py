"""Decision trees: the model, its validation and the pure planning functions (no MkDocs)."""

from __future__ import annotations

import json
import textwrap

import pytest

from kb_engine.problems import Problem
from kb_engine.trees.backlinks import backlinks
from kb_engine.trees.export import fill_slots, marker, page_markdown, tree_json
from kb_engine.trees.layout import crossings, tree_layout
from kb_engine.trees.links import check_anchors, check_pages, parse_citation, relative_url
from kb_engine.trees.model import Outcome, Question, Tree, parse_tree
from kb_engine.trees.walk import count_paths, plan_outline, plan_walk
from sitebuild import TEST_DATA

DATA = TEST_DATA / "trees"
FILE = "docs/decisions/t.yml"

# A valid tree; the validation tests change one thing each.
VALID = """\
id: t
title: T
intro: Hello.
start: q1
nodes:
  - id: q1
    question: First?
    answers:
      - label: "Yes"
        next: q2
      - label: "No"
        next: o1
  - id: q2
    question: Second?
    answers:
      - label: A
        next: o1
      - label: B
        next: o2
  - id: o1
    outcome: One
    summary: S1.
    read_next:
      - guides/a.md#x
  - id: o2
    outcome: Two
    summary: S2.
    read_next:
      - guides/b.md
      - blog/posts/p.md#y
"""


def parse(text: str, expected_id: str = "t") -> Tree | list[Problem]:
    return parse_tree(text, FILE, expected_id)


def problems_of(text: str) -> list[str]:
    result = parse(text)
    assert isinstance(result, list), "expected problems, got a tree"
    return [str(p) for p in result]


def one_problem(text: str) -> str:
    found = problems_of(text)
    assert len(found) == 1, found
    return found[0]


def small_tree() -> Tree:
    tree = parse_tree((DATA / "small.yml").read_text(encoding="utf-8"), "docs/decisions/small.yml", "small")
    assert isinstance(tree, Tree), tree
    return tree


# --- the model ---------------------------------------------------------------


def test_a_valid_tree_is_read_in_file_order() -> None:
    tree = parse(VALID)
    assert isinstance(tree, Tree)
    assert (tree.id, tree.title, tree.intro, tree.start) == ("t", "T", "Hello.", "q1")
    assert list(tree.nodes) == ["q1", "q2", "o1", "o2"]
    q1 = tree.nodes["q1"]
    assert isinstance(q1, Question)
    assert [(a.label, a.next, a.line) for a in q1.answers] == [("Yes", "q2", 9), ("No", "o1", 11)]
    assert [a.next_line for a in q1.answers] == [10, 12]
    o2 = tree.nodes["o2"]
    assert isinstance(o2, Outcome)
    assert [(c.path, c.anchor, c.line) for c in o2.read_next] == [
        ("guides/b.md", None, 29),
        ("blog/posts/p.md", "y", 30),
    ]
    assert o2.line == 25


# --- validation: every case names file, line and node --------------------------


def test_malformed_yaml_gives_line_and_column() -> None:
    text = VALID.replace("    question: Second?", "    question: [Second?")
    message = one_problem(text)
    assert message.startswith(f"{FILE}:")
    assert "malformed YAML" in message and "column" in message


def test_unknown_key_in_a_node() -> None:
    text = VALID.replace("    question: Second?\n", "    question: Second?\n    colour: red\n")
    assert one_problem(text) == (
        f"{FILE}:15: node 'q2': unknown key `colour` (allowed: id, question, help, short, answers)"
    )


def test_unknown_key_at_the_top_and_in_an_answer() -> None:
    text = VALID.replace("start: q1\n", "start: q1\nauthor: me\n").replace(
        '      - label: A\n', '      - label: A\n        nxet: o2\n'
    )
    assert problems_of(text) == [
        f"{FILE}:5: unknown key `author` (allowed: id, title, intro, description, start, nodes)",
        f"{FILE}:18: node 'q2': answer #1: unknown key `nxet` (allowed: label, short, next)",
    ]


def test_an_outcome_key_on_a_question_is_unknown() -> None:
    text = VALID.replace("    question: First?\n", "    question: First?\n    read_next: [guides/a.md]\n")
    assert "node 'q1': unknown key `read_next`" in one_problem(text)


def test_duplicate_node_ids() -> None:
    text = VALID.replace("  - id: o2\n", "  - id: o1\n")
    assert one_problem(text) == f"{FILE}:25: node 'o1': duplicate id (first on line 20)"


def test_start_pointing_to_an_unknown_node() -> None:
    text = VALID.replace("start: q1", "start: q11")
    assert one_problem(text) == f"{FILE}:4: `start` points to unknown node 'q11' (did you mean 'q1'?)"


def test_answer_pointing_to_an_unknown_node() -> None:
    text = VALID.replace("        next: o2\n", "        next: o22\n")
    assert one_problem(text) == (
        f"{FILE}:19: node 'q2': answer 'B' leads to unknown node 'o22' (did you mean 'o2'?)"
    )


def test_a_cycle() -> None:
    text = VALID.replace("        next: o2\n", "        next: q1\n").replace(
        "  - id: o2\n    outcome: Two\n    summary: S2.\n    read_next:\n      - guides/b.md\n"
        "      - blog/posts/p.md#y\n",
        "",
    )
    assert one_problem(text) == (
        f"{FILE}:19: node 'q2': answer 'B' leads back to 'q1', which makes a cycle: q1 → q2 → q1"
    )


def test_a_node_answering_to_itself_is_a_cycle() -> None:
    text = VALID.replace("        next: o2\n", "        next: q2\n").replace(
        "  - id: o2\n    outcome: Two\n    summary: S2.\n    read_next:\n      - guides/b.md\n"
        "      - blog/posts/p.md#y\n",
        "",
    )
    assert one_problem(text) == (
        f"{FILE}:19: node 'q2': answer 'B' leads back to 'q2', which makes a cycle: q2 → q2"
    )


def test_unreachable_node() -> None:
    text = VALID + "  - id: o3\n    outcome: Three\n    summary: S3.\n    read_next: [guides/c.md]\n"
    assert one_problem(text) == (
        f"{FILE}:31: node 'o3' cannot be reached from the start node 'q1': no answer leads to it"
    )


def test_a_question_with_fewer_than_two_answers() -> None:
    text = VALID.replace('      - label: "No"\n        next: o1\n', "")
    # q1 keeps one answer; o1 stays reachable through q2.
    assert one_problem(text) == f"{FILE}:8: node 'q1': a question needs at least 2 answers, this one has 1"


def test_a_question_with_no_answers() -> None:
    text = VALID.replace(
        '    answers:\n      - label: "Yes"\n        next: q2\n      - label: "No"\n        next: o1\n',
        "    answers: []\n",
    )
    assert "node 'q1': a question needs at least 2 answers, this one has 0" in problems_of(text)[0]


def test_an_outcome_with_no_link() -> None:
    text = VALID.replace("    read_next:\n      - guides/a.md#x\n", "    read_next: []\n")
    assert one_problem(text) == f"{FILE}:23: node 'o1': an outcome needs at least one link in `read_next`"


def test_an_outcome_without_read_next() -> None:
    text = VALID.replace("    read_next:\n      - guides/a.md#x\n", "")
    assert one_problem(text) == f"{FILE}:20: node 'o1': `read_next` is required"


@pytest.mark.parametrize(
    ("link", "reason"),
    [
        ("https://example.com/x.md", "not a URL"),
        ("/guides/a.md", "without a leading '/'"),
        ("guides/a", "ending in .md"),
        ("../outside.md", "inside docs/"),
        ("guides/a.md#", "empty anchor"),
    ],
)
def test_a_link_that_is_not_a_page_path(link: str, reason: str) -> None:
    text = VALID.replace("      - guides/a.md#x\n", f"      - {link}\n")
    message = one_problem(text)
    assert message.startswith(f"{FILE}:24: node 'o1': read_next '{link}': ")
    assert reason in message


def test_a_node_that_is_neither_or_both() -> None:
    neither = VALID.replace("    outcome: One\n", "")
    assert "node 'o1': needs `question:` (a question) or `outcome:`" in problems_of(neither)[0]
    both = VALID.replace("    outcome: One\n", "    outcome: One\n    question: Also?\n")
    assert "node 'o1': has both `question` and `outcome`" in problems_of(both)[0]


def test_missing_required_fields_and_bad_ids() -> None:
    text = VALID.replace("title: T\n", "").replace("  - id: q2\n", "  - id: Q 2\n")
    found = problems_of(text)
    assert f"{FILE}:1: `title` is required" in found
    assert any("node #2: `id` 'Q 2' is not a valid id" in p for p in found)


def test_ids_may_not_contain_double_hyphens() -> None:
    # Second paths to a step use `step-<id>--2`; ids with `--` could clash.
    text = VALID.replace("o2", "o--2")
    assert "is not a valid id" in problems_of(text)[0]


def test_the_id_must_match_the_file_name() -> None:
    assert one_problem(VALID.replace("id: t\n", "id: other\n")) == (
        f"{FILE}:1: `id` 'other' must match the file name ('t'), which sets the page's URL"
    )


def test_empty_texts_are_refused() -> None:
    text = VALID.replace("    summary: S1.\n", "    summary: '  '\n")
    assert one_problem(text) == f"{FILE}:22: node 'o1': `summary` must be a non-empty text"


def test_a_file_that_is_not_a_mapping() -> None:
    assert problems_of("- just\n- a list\n") == [
        f"{FILE}:1: a tree file must be a mapping with `id`, `title`, `intro`, `start` and `nodes`"
    ]


# --- links ------------------------------------------------------------------------


def test_parse_citation_normalises() -> None:
    assert parse_citation("guides/./a.md#x") == ("guides/a.md", "x")
    assert parse_citation("blog/posts/p.md") == ("blog/posts/p.md", None)


def test_links_to_missing_pages_and_anchors() -> None:
    tree = parse(VALID)
    assert isinstance(tree, Tree)
    assert [str(p) for p in check_pages(tree, {"guides/a.md", "guides/b.md", "blog/posts/q.md"})] == [
        f"{FILE}:30: node 'o2': read_next 'blog/posts/p.md#y' points to a page that does not exist "
        "(docs/blog/posts/p.md) (did you mean 'blog/posts/q.md'?)"
    ]
    anchors = {"guides/a.md": {"xx"}, "guides/b.md": set(), "blog/posts/p.md": {"y"}}
    assert [str(p) for p in check_anchors(tree, anchors)] == [
        f"{FILE}:24: node 'o1': read_next 'guides/a.md#x': the page has no anchor '#x' (did you mean '#xx'?)"
    ]


def test_relative_url() -> None:
    assert relative_url("guides/a/#x", "decisions/t/") == "../../guides/a/#x"
    assert relative_url("decisions/t/#step-a", "blog/2009/04/06/p/") == "../../../../../decisions/t/#step-a"
    assert relative_url("decisions/t.json", "decisions/t/") == "../t.json"
    assert relative_url("guides/a.html#x", "decisions/t.html") == "../guides/a.html#x"


# --- walk, outline, layout, export, backlinks -----------------------------------


def test_walk_has_a_step_per_path_and_keeps_the_node_anchor_for_the_shortest() -> None:
    tree = small_tree()
    walk = plan_walk(tree)
    assert walk.per_path
    anchors = [s.anchor for s in walk.steps]
    assert anchors[:3] == ["step-first", "step-second", "step-vendor"]
    assert "step-third" in anchors and "step-third--2" in anchors
    assert len(anchors) == len(set(anchors)) == count_paths(tree) == 10
    by_anchor = {s.anchor: s for s in walk.steps}
    # Every answer leads to a step whose path is the parent's path plus that answer.
    for step in walk.steps:
        for choice in step.choices:
            child = by_anchor[choice.anchor]
            assert child.path[:-1] == step.path
            assert (child.path[-1].anchor, child.path[-1].answer) == (step.anchor, choice.label)
    second_third = by_anchor["step-third--2"]
    assert [(c.node_id, c.answer) for c in second_third.path] == [
        ("first", "Yes"),
        ("second", "Maybe, for one project"),
    ]


def test_walk_falls_back_to_one_step_per_node_when_paths_multiply() -> None:
    tree = small_tree()
    walk = plan_walk(tree, limit=3)
    assert not walk.per_path
    assert [s.anchor for s in walk.steps] == [
        "step-first", "step-second", "step-vendor", "step-third", "step-partner", "step-limit"
    ]
    third = next(s for s in walk.steps if s.node_id == "third")
    assert [(c.node_id, c.answer) for c in third.path] == [("first", "Yes"), ("second", "Yes")]
    assert [(r.anchor, r.answer) for r in third.other_routes] == [("step-second", "Maybe, for one project")]


def test_a_diamond_ladder_stays_linear() -> None:
    # 2**40 paths: the per-path walk would never finish; the fallback is linear.
    lines = ["id: t", "title: T", "intro: I.", "start: n0", "nodes:"]
    for i in range(40):
        lines += [f"  - id: n{i}", "    question: Q?", "    answers:"]
        lines += [f"      - {{label: A, next: n{i + 1}}}", f"      - {{label: B, next: n{i + 1}}}"]
    lines += ["  - id: n40", "    outcome: End", "    summary: S.", "    read_next: [guides/a.md]"]
    tree = parse("\n".join(lines) + "\n")
    assert isinstance(tree, Tree)
    assert count_paths(tree) > 2**40
    walk = plan_walk(tree)
    assert not walk.per_path and len(walk.steps) == 41
    assert sum(e.kind == "node" for e in plan_outline(tree)) == 1 + 40 * 2


def test_outline_lists_each_question_once_and_refers_back() -> None:
    events = plan_outline(small_tree())
    nodes = [(e.node_id, e.first) for e in events if e.kind == "node"]
    assert nodes.count(("third", True)) == 1
    assert ("third", False) in nodes
    opens = sum(e.kind == "answers_open" for e in events)
    assert opens == sum(e.kind == "answers_close" for e in events) == 3
    assert [e.label for e in events if e.kind == "answer_open"][:3] == ["Yes", "Yes", "Yes"]


def test_layout_places_boxes_in_layers_without_overlap() -> None:
    tree = small_tree()
    result = tree_layout(tree)
    boxes = {b.id: b for b in result.boxes}
    assert set(boxes) == set(tree.nodes)
    assert boxes["first"].y < boxes["second"].y < boxes["third"].y < boxes["partner"].y
    for a in result.boxes:
        assert 0 <= a.x and a.x + a.width <= result.width and a.y + a.height <= result.height
        for b in result.boxes:
            if a.id < b.id:
                apart = a.x + a.width <= b.x or b.x + b.width <= a.x
                apart = apart or a.y + a.height <= b.y or b.y + b.height <= a.y
                assert apart, (a.id, b.id)
    assert len(result.lines) == sum(len(q.answers) for q in tree.questions())
    for line in result.lines:
        # Every line ends on the top edge of its next node's box, at its centre.
        assert line.columns[-1][1] == boxes[line.target].center_x
        assert line.path.endswith(f" {boxes[line.target].y:.1f}")
    assert crossings(result) == 0


def test_outcome_tone_and_label_length_are_checked() -> None:
    tone = parse(VALID.replace("    outcome: Two\n", "    outcome: Two\n    tone: postive\n"))
    assert tone == [
        Problem(FILE, 27, "node 'o2': unknown `tone` 'postive' (did you mean 'positive'?) "
                "(allowed: positive, caution, neutral)")
    ]
    long_short = "A very long label for a box that goes on and on, past every line the box has room for"
    with_short = f"    question: Second?\n    short: {long_short}\n"
    short = parse(VALID.replace("    question: Second?\n", with_short))
    assert isinstance(short, list) and len(short) == 1
    assert str(short[0]).startswith(f"{FILE}:15: node 'q2': `short` '{long_short}' is too long")
    long_label = "      - label: An answer far too long for a diagram line\n"
    long_answer = parse(VALID.replace("      - label: A\n", long_label))
    assert isinstance(long_answer, list) and len(long_answer) == 1
    assert str(long_answer[0]).startswith(f"{FILE}:16: node 'q2': answer #1: 'An answer far too long")
    assert "add a `short:` label" in str(long_answer[0])
    tree = parse(VALID.replace("    outcome: Two\n", "    outcome: Two\n    tone: caution\n"))
    assert isinstance(tree, Tree)
    assert [o.tone for o in tree.outcomes()] == ["neutral", "caution"]


def test_page_markdown_and_slots() -> None:
    tree = small_tree()
    text = page_markdown(tree)
    assert text.startswith("---\ntitle: Small test tree\nhide:\n- navigation\n---\n")
    assert "A tree for tests." in text
    for slot in ("walk", "diagram", "outline"):
        assert marker(slot) in text
    assert "[small.json](small.json)" in text
    filled = fill_slots(f"<p>{marker('walk')}</p>", {"walk": "<b>w</b>"})
    assert filled == "<p><b>w</b></p>"
    with pytest.raises(ValueError, match="no place for the 'outline' part"):
        fill_slots("", {"outline": "x"})


def test_json_copy() -> None:
    tree = small_tree()
    urls = {
        "guides/great-vendor.md": "https://kb.test/guides/great-vendor/",
        "blog/posts/good-customers-good-vendors.md": "https://kb.test/blog/p/",
        "guides/cost-of-partnership.md": "https://kb.test/guides/cost/",
        "guides/limiting-the-investment.md": "https://kb.test/guides/limit/",
    }
    data = json.loads(tree_json(tree, "https://kb.test/decisions/small/", urls))
    assert data["id"] == "small" and data["start"] == "first"
    assert [n["id"] for n in data["nodes"]] == list(tree.nodes)
    first = data["nodes"][0]
    assert first["kind"] == "question" and first["help"] == "Start from what they asked for."
    assert first["url"] == "https://kb.test/decisions/small/#step-first"
    assert first["answers"] == [{"label": "Yes", "next": "second"}, {"label": "No", "next": "vendor"}]
    vendor = data["nodes"][3]
    assert vendor["read_next"][0] == {
        "page": "guides/great-vendor.md#great-service",
        "url": "https://kb.test/guides/great-vendor/#great-service",
    }


def test_backlinks_group_the_citing_nodes_by_page() -> None:
    found = backlinks([small_tree()])
    great = found["guides/great-vendor.md"]
    assert [(b.node_id, b.anchor, b.cited_anchors) for b in great] == [
        ("vendor", "step-vendor", ("great-service",)),
        ("limit", "step-limit", ("vendor-excellence-checklist",)),
    ]
    assert [b.cited_anchors for b in found["guides/limiting-the-investment.md"]] == [()]


def test_all_problems_of_a_file_are_reported_together() -> None:
    text = textwrap.dedent(
        """\
        id: t
        title: T
        intro: I.
        start: q1
        nodes:
          - id: q1
            question: Q?
            answers:
              - {label: A, next: o1}
          - id: o1
            outcome: O
            summary: S.
            read_next: []
        """
    )
    assert problems_of(text) == [
        f"{FILE}:8: node 'q1': a question needs at least 2 answers, this one has 1",
        f"{FILE}:13: node 'o1': an outcome needs at least one link in `read_next`",
    ]
