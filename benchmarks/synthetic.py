"""A deterministic synthetic site for the build benchmark (and the speed-up's equivalence test).

``write_content(dest, n_posts)`` writes N blog posts (300-1,500 words each, with code blocks,
admonitions, links to other posts and guides, footnotes, and an excerpt separator after the
first paragraph), N/10 guides, 10 comments per post and a 300-node decision tree into ``dest``:

    dest/docs/blog/posts/<post-id>.md
    dest/docs/guides/bench-<n>.md
    dest/comments/<post-id>/<comment-id>.yml
    dest/docs/decisions/bench-tree.yml   (only the full project builds it into a page)

The same seed gives the same bytes on every machine: no clock, no hash randomisation.

A second shape (``shape="split"``) makes the same number of posts differently: every
other post long (2,500-4,000 words, a code block in every section, one table) and the
others short (100-250 words, no code, no footnote).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

SEED = 20090406
AUTHORS = ("david-brock", "kb-team")
CATEGORIES = ("Partnerships", "Vendor excellence", "Value selling", "Strategic accounts", "Uncategorized")
WORDS = (
    "account", "advocate", "agenda", "alignment", "budget", "buyer", "champion", "contract", "cost",
    "customer", "deadline", "decision", "delivery", "discount", "effort", "evidence", "executive",
    "forecast", "goal", "governance", "growth", "handover", "impact", "investment", "leverage",
    "margin", "meeting", "metric", "milestone", "negotiation", "objection", "onboarding", "outcome",
    "partner", "pipeline", "plan", "pricing", "priority", "procurement", "proposal", "quarter",
    "relationship", "renewal", "report", "requirement", "review", "risk", "roadmap", "scope",
    "service", "signal", "sponsor", "stakeholder", "strategy", "supplier", "support", "team",
    "tender", "trust", "value", "vendor", "workshop", "the", "a", "of", "and", "to", "with", "for",
    "when", "that", "our", "their", "is", "are", "was", "will", "not", "every", "each",
)


def _rng(seed: int) -> random.Random:
    return random.Random(seed)  # noqa: S311 - deterministic text, not secrets


@dataclass(frozen=True)
class PostStub:
    ident: str
    title: str
    day: date


def _sentence(rng: random.Random, low: int = 8, high: int = 18) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng) for _ in range(sentences))


def _words(text: str) -> int:
    return len(text.split())


def post_stubs(n_posts: int) -> list[PostStub]:
    rng = _rng(SEED)
    start = date(2012, 1, 2)
    stubs = []
    for i in range(n_posts):
        day = start + timedelta(days=(i * 4) % 4900 + rng.randint(0, 3))
        title = f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} and {rng.choice(WORDS)}, note {i + 1}"
        stubs.append(PostStub(f"post-{i + 1:05d}", title, day))
    return stubs


def guide_ids(n_posts: int) -> list[str]:
    return [f"bench-{i + 1:04d}" for i in range(max(1, n_posts // 10))]


SHAPES = ("mixed", "split")


def post_markdown(
    index: int, stubs: list[PostStub], guides: list[str], shape: str = "mixed", *,
    authors: tuple[str, ...] = AUTHORS, categories: tuple[str, ...] = CATEGORIES,
) -> str:
    """One post, 300-1,500 words; the excerpt links to another post, a guide, and a footnote.

    Under ``shape="split"``: even posts 2,500-4,000 words with code in every section, odd
    posts 100-250 words without code or footnote. ``authors`` (two) and ``categories`` (of
    which the first four are used) are another site's; the defaults are this project's.
    """
    rng = _rng(SEED * 31 + index)
    stub = stubs[index]
    target_words = rng.randint(300, 1500)
    long_post = shape == "split" and index % 2 == 0
    short_post = shape == "split" and index % 2 == 1
    if long_post:
        target_words = rng.randint(2500, 4000)
    elif short_post:
        target_words = rng.randint(100, 250)
    other = stubs[(index * 7 + 3) % len(stubs)]
    guide = guides[index % len(guides)]
    chosen = rng.sample(categories[:4], rng.randint(1, 2))
    written = [authors[index % 2]] + ([authors[(index + 1) % 2]] if index % 5 == 0 else [])
    front = [
        "---",
        f"date: {stub.day.isoformat()}",
        "authors:",
        *(f"  - {a}" for a in written),
        "categories:",
        *(f"  - {c}" for c in chosen),
        "---",
        "",
    ]
    parts = [
        f"# {stub.title}",
        f"{_sentence(rng)} See [{other.title}]({other.ident}.md) and the "
        f"[guide](../../guides/{guide}.md#how-to-use-it) for more. {_paragraph(rng, 2)}",
        "<!-- more -->",
    ]
    section = 0
    while _words("\n\n".join(parts)) < target_words - 60:
        section += 1
        parts.append(f"## Step {section}: {rng.choice(WORDS)} {rng.choice(WORDS)} {{ #step-{section} }}")
        parts.append(_paragraph(rng, rng.randint(3, 6)) + ("[^1]" if section == 1 and not short_post else ""))
        kind = section % 3
        if long_post and section == 2:
            parts.append("| Signal | Weight | Owner |\n| --- | ---: | --- |\n" + "\n".join(
                f"| {rng.choice(WORDS)} | {rng.randint(1, 9)} | {rng.choice(WORDS)} |" for _ in range(6)))
        if long_post or (kind == 0 and not short_post):
            parts.append(
                "```python\n"
                f"def score_{section}(account):\n"
                f"    \"\"\"{_sentence(rng, 4, 8)}\"\"\"\n"
                f"    return account.value * {rng.randint(2, 9)} - account.cost\n"
                "```"
            )
        if kind == 0:
            if short_post:
                parts.append(_paragraph(rng, 2))
        elif kind == 1:
            parts.append(f"!!! tip \"{rng.choice(WORDS).capitalize()}\"\n    {_paragraph(rng, 2)}")
        else:
            linked = stubs[(index + section * 13) % len(stubs)]
            parts.append(f"{_sentence(rng)} Compare [{linked.title}]({linked.ident}.md#step-1).")
    if not short_post:
        parts.append(f"[^1]: {_sentence(rng, 5, 10)}")
    return "\n".join(front) + "\n\n".join(parts) + "\n"


def guide_markdown(index: int, ident: str, stubs: list[PostStub]) -> str:
    rng = _rng(SEED * 17 + index)
    post = stubs[index % len(stubs)]
    parts = [
        f"# Benchmark guide {index + 1}",
        _paragraph(rng, 4),
        "## How to use it",
        f"{_paragraph(rng, 5)} Read [{post.title}](../blog/posts/{post.ident}.md).",
        "!!! note \"Checklist\"\n    " + _paragraph(rng, 3),
        "## Next steps",
        _paragraph(rng, 6),
    ]
    front = f"---\ntitle: Benchmark guide {index + 1}\ndescription: {_sentence(rng, 6, 10)}\n---\n\n"
    return front + "\n\n".join(parts) + "\n"


def comment_yaml(post: PostStub, number: int) -> str:
    rng = _rng(SEED * 7 + number + int(post.ident.split("-")[1]) * 100)
    ident = f"{post.day.isoformat()}-c{number:02d}"
    lines = [
        f"id: {ident}",
        f"post: {post.ident}",
        f"author: Reader {rng.randint(1, 500)}",
        f"date: '{post.day.isoformat()}T{9 + number:02d}:{rng.randint(0, 59):02d}:00+00:00'",
    ]
    if number % 3 == 0:
        lines.append(f"website: https://reader{number}.example.org/")
    if number > 1 and number % 4 == 0:
        lines.append(f"reply_to: {post.day.isoformat()}-c{number - 1:02d}")
    if number % 2 == 0:
        lines.append("email_hash: hmac-sha256:" + "".join(rng.choice("0123456789abcdef") for _ in range(64)))
    lines.append("body: |")
    lines.append("  " + _paragraph(rng, rng.randint(1, 3)))
    return "\n".join(lines) + "\n"


def tree_yaml(stubs: list[PostStub], guides: list[str], nodes: int = 300) -> str:
    """A decision tree in the format of docs/decisions/<id>.yml (handbook/decision-trees.md).

    A tree in the strict sense (one way to reach each node, so one step per node):
    questions with two answers each, one with three, until ``nodes`` nodes; outcomes
    cite the synthetic guides (with an anchor) and posts.
    """
    rng = _rng(SEED * 13)
    questions = (nodes - 2) // 2  # with one three-answer question: questions + outcomes == nodes
    lines = [
        "id: bench-tree",
        f"title: Benchmark decision tree ({nodes} nodes)",
        "description: A generated tree for the build benchmark.",
        "intro: |",
        f"  {_paragraph(rng, 2)} See [the first guide](../guides/{guides[0]}.md).",
        "start: q-1",
        "nodes:",
    ]
    next_question, next_outcome = 2, 1
    for number in range(1, questions + 1):
        answers = 3 if number == 1 else 2
        # Diagram labels (`short`) within the diagram's limits; the long texts are the walk's.
        lines += [f"  - id: q-{number}", f"    question: {_sentence(rng, 5, 9)[:-1]}?",
                  f"    short: Question {number}?", "    answers:"]
        for answer in range(answers):
            if next_question <= questions:
                target, next_question = f"q-{next_question}", next_question + 1
            else:
                target, next_outcome = f"o-{next_outcome}", next_outcome + 1
            lines += [f"      - label: {_sentence(rng, 3, 6)[:-1]}", f"        short: Answer {answer + 1}",
                      f"        next: {target}"]
    for number in range(1, next_outcome):
        guide = guides[number % len(guides)]
        post = stubs[number % len(stubs)]
        lines += [
            f"  - id: o-{number}",
            f"    outcome: {_sentence(rng, 3, 6)[:-1]}",
            f"    short: Outcome {number}",
            f"    summary: {_sentence(rng)}",
            "    read_next:",
            f"      - guides/{guide}.md#how-to-use-it",
            f"      - blog/posts/{post.ident}.md",
        ]
    return "\n".join(lines) + "\n"


def write_content(
    dest: Path, n_posts: int, *, comments_per_post: int = 10, tree_nodes: int = 300, shape: str = "mixed",
    authors: tuple[str, ...] = AUTHORS, categories: tuple[str, ...] = CATEGORIES,
) -> list[PostStub]:
    """Write posts, guides, comments and a 300-node decision tree under ``dest``; the posts
    name ``authors`` and ``categories`` (:func:`post_markdown`)."""
    stubs = post_stubs(n_posts)
    guides = guide_ids(n_posts)
    posts_dir = dest / "docs" / "blog" / "posts"
    posts_dir.mkdir(parents=True, exist_ok=True)
    for i, stub in enumerate(stubs):
        text = post_markdown(i, stubs, guides, shape, authors=authors, categories=categories)
        (posts_dir / f"{stub.ident}.md").write_text(text, encoding="utf-8")
    guides_dir = dest / "docs" / "guides"
    guides_dir.mkdir(parents=True, exist_ok=True)
    for i, ident in enumerate(guides):
        (guides_dir / f"{ident}.md").write_text(guide_markdown(i, ident, stubs), encoding="utf-8")
    if tree_nodes:
        decisions = dest / "docs" / "decisions"
        decisions.mkdir(parents=True, exist_ok=True)
        (decisions / "bench-tree.yml").write_text(tree_yaml(stubs, guides, tree_nodes), encoding="utf-8")
    for stub in stubs:
        folder = dest / "comments" / stub.ident
        folder.mkdir(parents=True, exist_ok=True)
        for number in range(1, comments_per_post + 1):
            text = comment_yaml(stub, number)
            ident = text.split("\n", 1)[0].removeprefix("id: ")
            (folder / f"{ident}.yml").write_text(text, encoding="utf-8")
    return stubs
