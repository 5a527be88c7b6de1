"""Decision trees in real builds of the engine's fixture site: a second tree (tests/data/trees/
small-fixture.yml) citing its guides, a post and its About page beside its own tree, the build's and
the check's errors, rebuilds, trees placed in other pages (a tree's page in general:
tests/engine/test_trees_pages.py; this site's own tree: tests/site/test_site_tree.py)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest

from enginesite import CODE_POST, CODE_URL, DRAFT_POST, SITE_URL, THREAD_POST, THREAD_URL, copy_engine_site
from golden import assert_golden
from kb_engine.rendering import environment_for
from kb_engine.theme import TEMPLATES
from kb_engine.trees.links import PageInfo
from kb_engine.trees.model import Tree, parse_tree
from kb_engine.trees.site import render_parts
from sitebuild import TEST_DATA, BuildFailed, Site, build_site, run_mkdocs_cli
from treecheck import article

SMALL = (TEST_DATA / "trees" / "small-fixture.yml").read_text(encoding="utf-8")
# The fixture's pages the small tree cites or is placed in.
SHAPING = "guides/shaping/"  # cited by both trees' outcomes
GUIDES = "guides/"  # the page the embedding tests place trees in
# The fixture tree's outcomes citing the shaping guide, as its "In the decision tree" box names them
# (trees in the order of their titles: the small tree's come first).
FIXTURE_TREE_ON_SHAPING = [
    "Outcome: Mix a sourdough for the morning — Which loaf tonight?",
    "Outcome: Bake a yeasted loaf — Which loaf tonight?",
]


# --- golden: the rendered parts of a small fixed tree ------------------------------


def test_rendered_tree_parts_match_the_golden_file(update_goldens: bool) -> None:
    import material

    tree = parse_tree(SMALL, "docs/decisions/small.yml", "small")
    assert isinstance(tree, Tree), tree
    env = environment_for([TEMPLATES, Path(material.__file__).parent / "templates"])  # no site's overrides
    pages = {
        "guides/shaping.md": PageInfo(
            "Shaping a loaf", SHAPING, {"pre-shape": "Pre-shape", "final-shape": "Final shape"}
        ),
        f"blog/posts/{THREAD_POST}.md": PageInfo("Feeding a starter on a schedule that suits you", THREAD_URL, {}),
        "guides/starter.md": PageInfo("Keeping a starter", "guides/starter/", {"making-one": "Making one"}),
        "about.md": PageInfo("About Crumb & Crust", "about/", {}),
    }
    parts = render_parts(env, tree, "decisions/small/", pages)
    text = "".join(f"<!-- {name} -->\n{html}" for name, html in parts.items())
    assert_golden("trees/small-parts.html", text, update_goldens)


# --- more trees, and the build's errors --------------------------------------------


def add_small_tree(config_file: Path, text: str = SMALL) -> Path:
    target = config_file.parent / "docs" / "decisions" / "small.yml"
    target.write_text(text, encoding="utf-8")
    return target


def test_a_second_tree_builds_strictly_outside_the_nav(engine_project: Path, tmp_path: Path) -> None:
    add_small_tree(engine_project)
    site = build_site(engine_project, tmp_path / "site")
    assert site.warnings == []
    page = site.html("decisions/small/")
    assert page.findtext(".//h1").strip() == "Small test tree"
    assert "../../guides/" in page.xpath("//article/p/a/@href")
    assert json.loads(site.text("decisions/small.json"))["id"] == "small"
    box = article(site, SHAPING).xpath(".//aside[contains(@class,'kb-tree-backlinks')]")[0]
    titles = [a.text_content() for a in box.xpath(".//li/a")]
    assert titles == [
        "Outcome: Be a great vendor — Small test tree",
        "Outcome: Limit the investment — Small test tree",
        *FIXTURE_TREE_ON_SHAPING,
    ]
    # A cited post has its box inside its article, linking to the citing step.
    [box] = article(site, THREAD_URL).xpath(".//aside[contains(@class,'kb-tree-backlinks')]")
    assert box.xpath(".//a/@href") == ["../../../../../decisions/small/#step-vendor"]


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


def _case(old: str, new: str) -> str:
    assert old in SMALL, old
    return SMALL.replace(old, new, 1)


# name -> (changed small.yml, expected start of the one error line)
BAD_TREES: dict[str, tuple[str, str]] = {
    "malformed YAML": (
        _case("    question: Are you one", "    question: [Are you one"),
        "docs/decisions/small.yml:{line}: malformed YAML: ",
    ),
    "unknown key": (
        _case("    help: Start", "    hlep: Start"),
        "docs/decisions/small.yml:{line}: node 'first': unknown key `hlep`",
    ),
    "duplicate id": (
        _case("  - id: limit", "  - id: partner"),
        "docs/decisions/small.yml:{line}: node 'partner': duplicate id (first on line ",
    ),
    "unknown start": (
        _case("start: first", "start: firts"),
        "docs/decisions/small.yml:{line}: `start` points to unknown node 'firts' (did you mean 'first'?)",
    ),
    "unknown answer target": (
        _case("        next: partner", "        next: partnr"),
        "docs/decisions/small.yml:{line}: node 'third': answer 'Yes' leads to unknown node 'partnr'",
    ),
    "cycle": (
        _case("        next: limit\n", "        next: limit\n      - {label: Start again, next: first}\n"),
        "docs/decisions/small.yml:{line}: node 'third': answer 'Start again' leads back to 'first', "
        "which makes a cycle: first → second → third → first",
    ),
    "unreachable node": (
        SMALL + "  - id: orphan\n    outcome: O\n    summary: S.\n    read_next: [guides/starter.md]\n",
        "docs/decisions/small.yml:{line}: node 'orphan' cannot be reached from the start node 'first'",
    ),
    "one answer": (
        _case('      - label: "No"\n        next: limit\n', ""),
        "docs/decisions/small.yml:{line}: node 'third': a question needs at least 2 answers, this one has 1",
    ),
    "outcome without a link": (
        _case("      - guides/starter.md#making-one\n", ""),
        "docs/decisions/small.yml:{line}: node 'partner': an outcome needs at least one link in `read_next`",
    ),
    "missing page": (
        _case("      - about.md\n", "      - abuot.md\n"),
        "docs/decisions/small.yml:{line}: node 'limit': read_next 'abuot.md' points to "
        "a page that does not exist (docs/abuot.md)",
    ),
    "missing anchor": (
        _case("#making-one", "#makin-one"),
        "docs/decisions/small.yml:{line}: node 'partner': read_next "
        "'guides/starter.md#makin-one': the page has no anchor '#makin-one' "
        "(did you mean '#making-one'?)",
    ),
}

# The line each error must name: the first line of the changed file containing this.
BAD_LINES = {
    "malformed YAML": "[Are you one",
    "unknown key": "hlep",
    "duplicate id": "  - id: partner",
    "unknown start": "start: firts",
    "unknown answer target": "next: partnr",
    "cycle": "Start again, next: first",
    "unreachable node": "id: orphan",
    "one answer": "    answers:\n",
    "outcome without a link": "",
    "missing page": "abuot.md",
    "missing anchor": "#makin-one",
}


def expected_line(case: str, text: str) -> int:
    needle = BAD_LINES[case]
    if case == "duplicate id":
        return [i for i, line in enumerate(text.splitlines(), start=1) if needle in line][1]
    if case == "one answer":
        return line_of(text, "id: third") + 2
    if case == "outcome without a link":
        return line_of(text, "id: partner") + 3
    return line_of(text, needle.rstrip("\n"))


@pytest.mark.parametrize("case", sorted(BAD_TREES))
def test_a_bad_tree_stops_the_build_with_one_line(engine_project: Path, tmp_path: Path, case: str) -> None:
    text, expected = BAD_TREES[case]
    add_small_tree(engine_project, text)
    with pytest.raises(BuildFailed) as raised:
        build_site(engine_project, tmp_path / "site")
    [message] = raised.value.errors
    assert "\n" not in message
    assert message.startswith(expected.format(line=expected_line(case, text))), message
    if case == "malformed YAML":
        assert re.search(r"\(line \d+, column \d+\)$", message), message


def test_a_citation_of_a_draft_post_is_an_error(engine_project: Path, tmp_path: Path) -> None:
    cited = f"      - blog/posts/{THREAD_POST}.md"
    draft = _case(cited, f"      - blog/posts/{DRAFT_POST}.md\n{cited}")  # the fixture's draft
    add_small_tree(engine_project, draft)
    with pytest.raises(BuildFailed) as raised:
        build_site(engine_project, tmp_path / "site")
    [message] = raised.value.errors
    assert message.startswith(
        f"docs/decisions/small.yml:{line_of(SMALL, cited)}: node 'vendor': "
        f"read_next 'blog/posts/{DRAFT_POST}.md' points to a page that is not published in this build"
    ), message


def test_mkdocs_cli_reports_a_bad_tree_without_traceback(engine_project: Path, tmp_path: Path) -> None:
    add_small_tree(engine_project, BAD_TREES["cycle"][0])
    result = run_mkdocs_cli(engine_project, tmp_path / "site")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1
    assert "docs/decisions/small.yml:" in errors[0] and "node 'third'" in errors[0]


# --- live preview: a rebuild in the same process equals a fresh build -------------


def site_files(site: Site) -> dict[str, str]:
    return {
        str(p.relative_to(site.site_dir)): p.read_text(encoding="utf-8")
        for p in site.files()
        if p.suffix in (".html", ".json")
    }


def test_rebuild_after_editing_the_tree_and_a_guide_equals_a_fresh_build(tmp_path: Path) -> None:
    config = copy_engine_site(tmp_path / "project")
    add_small_tree(config)
    first = build_site(config, tmp_path / "site-1")
    assert "Small test tree" in first.text(SHAPING)

    # Edit the tree (rename an outcome, drop a citation of shaping.md, add a
    # node citing a post) and a cited guide's title, as an author would under serve.
    edited = (
        _case("outcome: Limit the investment", "outcome: Bound the commitment")
        .replace("      - guides/shaping.md#final-shape\n", "")
        .replace("Maybe, for one project\n        next: third", "Maybe, for one project\n        next: limit")
        .replace('"No"\n        next: limit', '"No"\n        next: later')
        + "  - id: later\n    outcome: Revisit later\n    summary: Soon.\n    read_next:\n"
        f"      - blog/posts/{CODE_POST}.md\n"
    )
    add_small_tree(config, edited)
    guide = config.parent / "docs" / "guides" / "shaping.md"
    guide.write_text(
        guide.read_text(encoding="utf-8").replace("# Shaping a loaf", "# Shaping a round loaf"),
        encoding="utf-8",
    )
    second = build_site(config, tmp_path / "site-2")

    fresh_config = copy_engine_site(tmp_path / "fresh")
    fresh_docs = fresh_config.parent / "docs"
    shutil.copy2(config.parent / "docs" / "decisions" / "small.yml", fresh_docs / "decisions")
    shutil.copy2(guide, fresh_docs / "guides" / "shaping.md")
    fresh = build_site(fresh_config, tmp_path / "site-fresh")

    rebuilt, clean = site_files(second), site_files(fresh)
    assert sorted(rebuilt) == sorted(clean)
    different = [name for name in clean if rebuilt[name] != clean[name]]
    assert different == []

    # And the edits really show, once each.
    small = second.text("decisions/small/")
    assert "Bound the commitment" in small and "Limit the investment" not in small
    assert "Shaping a round loaf: Pre-shape" in small
    shaping = lxml.html.fromstring(second.text(SHAPING))
    boxes = shaping.xpath("//aside[contains(@class,'kb-tree-backlinks')]")
    assert len(boxes) == 1
    assert [a.text_content() for a in boxes[0].xpath(".//li/a")] == [
        "Outcome: Be a great vendor — Small test tree",
        *FIXTURE_TREE_ON_SHAPING,
    ]
    assert "Small test tree" in second.text(CODE_URL)


def test_a_tree_page_may_not_replace_a_markdown_page(engine_project: Path, tmp_path: Path) -> None:
    add_small_tree(engine_project)
    (engine_project.parent / "docs" / "decisions" / "small.md").write_text("# Small\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as raised:
        build_site(engine_project, tmp_path / "site")
    assert raised.value.errors == [
        "docs/decisions/small.yml: docs/decisions/small.md exists; the tree's page would replace it"
    ]


# --- the content check (python3 dev.py check) reads the trees too ---------------------


def test_the_content_check_reports_a_bad_tree(engine_project: Path) -> None:
    text, expected = BAD_TREES["unknown answer target"]
    add_small_tree(engine_project, text)
    missing_page, _ = BAD_TREES["missing page"]
    (engine_project.parent / "docs" / "decisions" / "other.yml").write_text(
        missing_page.replace("id: small", "id: other"), encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, "-m", "kb_engine.cli.check"],
        cwd=engine_project.parent,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 2, lines
    assert lines[0].startswith("docs/decisions/other.yml:")
    assert "node 'limit': read_next 'abuot.md' points to a page" in lines[0]
    assert lines[1].startswith(expected.format(line=expected_line("unknown answer target", text)))


# --- trees placed inside other pages, tones ---------------------------------

EMBED_BOTH = "<!-- kb:tree which-loaf -->\n\nAnd a smaller one:\n\n<!-- kb:tree small -->\n"


def test_a_page_embeds_two_trees_with_their_anchors_apart(engine_project: Path, tmp_path: Path) -> None:
    add_small_tree(engine_project)
    guide = engine_project.parent / "docs" / "guides" / "index.md"
    guide.write_text(
        guide.read_text(encoding="utf-8")
        + "\n## Decide here\n\n" + EMBED_BOTH
        + "\n```markdown\n<!-- kb:tree an-example-in-a-code-block -->\n```\n",
        encoding="utf-8",
    )
    site = build_site(engine_project, tmp_path / "site")
    assert site.warnings == []
    page = site.html(GUIDES)
    walks = page.xpath("//article//div[contains(@class,'kb-tree-embed')]")
    trees = [w.xpath(".//div[@class='kb-tree-walk']/@data-tree")[0] for w in walks]
    assert trees == ["which-loaf", "small"]
    ids = page.xpath("//@id")
    assert len(ids) == len(set(ids)), "every id once"
    for walk, tree_id in zip(walks, ["which-loaf", "small"], strict=True):
        steps = walk.xpath(".//section[contains(@class,'kb-tree-step')]/@id")
        assert steps and all(s.startswith(f"{tree_id}--step-") for s in steps)
        # Every in-walk link points into the same walk.
        for href in walk.xpath(".//section//a[@target='_self']/@href"):
            assert href.startswith(f"#{tree_id}--step-"), href
        title = walk.xpath(".//p[@class='kb-tree-embed__title']/a/@href")
        assert title == [f"../decisions/{tree_id}/"]
    # Read-next links are relative to the embedding page, and resolve.
    sourdough = walks[0].xpath(".//section[@id='which-loaf--step-sourdough']")[0]
    hrefs = sourdough.xpath(".//ul[@class='kb-tree-links']//a/@href")
    assert hrefs[0] == "starter/#when-to-use-it"
    # The outcome's address to copy is the embedding page's.
    address = walks[1].xpath(".//input[@id='small--step-vendor-address']/@value")
    assert address == [f"{SITE_URL}{GUIDES}#small--step-vendor"]
    # The marker in a code block is shown, not replaced.
    assert "&lt;!-- kb:tree an-example-in-a-code-block --&gt;" in site.text(GUIDES)


BAD_INPUTS = {
    "unknown tone": "docs/decisions/small.yml:{tone}: node 'vendor': unknown `tone` 'cheerful'",
    "long short": (
        "docs/decisions/small.yml:{short}: node 'first': `short` '{long}' is too long for the diagram's box"
    ),
    "embedded twice": (
        "docs/guides/index.md:{twice}: decision tree 'small' is placed twice on this page "
        "(first on line {once})"
    ),
    "unknown id": (
        "docs/guides/shaping.md:{unknown}: unknown decision tree 'smal' "
        "(known: small, which-loaf)"
    ),
}
LONG_SHORT = "Does the customer want a great deal more than a product from us, and for how long?"


def bad_inputs(config: Path) -> dict[str, int]:
    """Every kind of bad input at once; returns the line of each."""
    text = _case("    summary: Deliver well", "    tone: cheerful\n    summary: Deliver well")
    text = text.replace("    short: Wants more?", f"    short: {LONG_SHORT}")
    add_small_tree(config, text)
    docs = config.parent / "docs"
    guides = docs / "guides" / "index.md"
    before = guides.read_text(encoding="utf-8")
    twice = "\n<!-- kb:tree small -->\n\nText.\n\n<!-- kb:tree small -->\n"
    guides.write_text(before + twice, encoding="utf-8")
    shaping = docs / "guides" / "shaping.md"
    shaping.write_text(shaping.read_text(encoding="utf-8") + "\n<!-- kb:tree smal -->\n", encoding="utf-8")
    once = len(before.splitlines()) + 2
    return {
        "tone": line_of(text, "tone: cheerful"),
        "short": line_of(text, LONG_SHORT),
        "once": once,
        "twice": once + 4,
        "unknown": len(shaping.read_text(encoding="utf-8").splitlines()),
    }


def expected_bad_lines(lines: dict[str, int]) -> list[str]:
    return [template.format(long=LONG_SHORT, **lines) for template in BAD_INPUTS.values()]


def test_bad_tones_labels_and_markers_stop_the_build_with_one_line_each(
    engine_project: Path, tmp_path: Path
) -> None:
    lines = bad_inputs(engine_project)
    with pytest.raises(BuildFailed) as raised:
        build_site(engine_project, tmp_path / "site")
    [message] = raised.value.errors
    got = message.splitlines()
    assert len(got) == len(BAD_INPUTS), got
    for expected in expected_bad_lines(lines):
        assert any(line.startswith(expected) for line in got), (expected, got)


def test_the_content_check_reports_the_same_bad_inputs(engine_project: Path) -> None:
    lines = bad_inputs(engine_project)
    result = subprocess.run(
        [sys.executable, "-m", "kb_engine.cli.check"], cwd=engine_project.parent, capture_output=True, text=True,
        check=False, timeout=120,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    got = result.stderr.splitlines()
    assert len(got) == len(BAD_INPUTS), got
    for expected in expected_bad_lines(lines):
        assert any(line.startswith(expected) for line in got), (expected, got)
