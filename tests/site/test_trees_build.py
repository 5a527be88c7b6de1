"""Decision trees in real builds of this site: its tree's page and backlinks, a second tree citing its
guides, errors, rebuilds (a tree's page in general: tests/engine/test_trees_pages.py).

Engine feature tested on this site's content.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import lxml.html
import pytest
import yaml

from golden import assert_golden
from kb_engine.rendering import make_environment
from kb_engine.theme import TEMPLATES
from kb_engine.trees.links import PageInfo
from kb_engine.trees.model import Tree, parse_tree
from kb_engine.trees.site import render_parts
from sitebuild import PROJECT, TEST_DATA, BuildFailed, Site, build_site, run_mkdocs_cli
from treecheck import article

DATA = TEST_DATA / "trees"
TREE_URL = "decisions/partner-vs-vendor/"
TREE_SOURCE = PROJECT / "docs" / "decisions" / "partner-vs-vendor.yml"
SMALL = (DATA / "small.yml").read_text(encoding="utf-8")


def real_tree() -> dict[str, Any]:
    data = yaml.safe_load(TREE_SOURCE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


# --- golden: the rendered parts of a small fixed tree ------------------------------


def test_rendered_tree_parts_match_the_golden_file(update_goldens: bool) -> None:
    import material

    tree = parse_tree(SMALL, "docs/decisions/small.yml", "small")
    assert isinstance(tree, Tree), tree
    theme_dirs = [str(PROJECT / "overrides"), TEMPLATES, str(Path(material.__file__).parent / "templates")]
    env = make_environment(SimpleNamespace(theme=SimpleNamespace(dirs=theme_dirs)))  # type: ignore[arg-type]
    pages = {
        "guides/great-vendor.md": PageInfo(
            "Being a great vendor",
            "guides/great-vendor/",
            {"great-service": "Great service", "vendor-excellence-checklist": "Vendor excellence checklist"},
        ),
        "blog/posts/good-customers-good-vendors.md": PageInfo("Good customers", "blog/2009/04/06/p/", {}),
        "guides/cost-of-partnership.md": PageInfo(
            "What a partnership costs",
            "guides/cost-of-partnership/",
            {"readiness-checklist": "Readiness checklist"},
        ),
        "guides/limiting-the-investment.md": PageInfo("Limiting the investment", "guides/limiting/", {}),
    }
    parts = render_parts(env, tree, "decisions/small/", pages)
    text = "".join(f"<!-- {name} -->\n{html}" for name, html in parts.items())
    assert_golden("trees/small-parts.html", text, update_goldens)


# --- the real site -------------------------------------------------------------------


def test_tree_page_is_in_the_nav_with_title_and_intro(real_site: Site) -> None:
    page = real_site.html(TREE_URL)
    assert page.findtext(".//h1").strip() == "Partner or vendor decision tree"
    assert "Partner or vendor decision tree" in page.findtext(".//title")
    intro = article(real_site, TREE_URL).xpath("./p")[0].text_content()
    assert "one customer and one opportunity" in intro
    nav = [a.get("href") for a in page.xpath("//nav[contains(@class,'md-nav--primary')]//a")]
    assert any(href in ("./", "../partner-vs-vendor/") for href in nav), nav
    index = real_site.html("decisions/")
    assert "partner-vs-vendor/" in index.xpath("//article//a/@href")
    guides = real_site.html("guides/")
    assert "../decisions/partner-vs-vendor/" in guides.xpath("//article//a/@href")


def test_the_shipped_trees_great_vendor_outcome_names_the_guides_sections(real_site: Site) -> None:
    page = article(real_site, TREE_URL)
    great = page.xpath(".//section[@id='step-great-vendor']//ul[contains(@class,'kb-tree-links')]")[0]
    assert "Being a great vendor: Great service" in great.text_content()


def test_the_shipped_tree_uses_every_tone(real_site: Site) -> None:
    assert {n.get("tone") for n in real_tree()["nodes"] if "outcome" in n} == {"positive", "caution", "neutral"}


def test_the_backlink_box_names_the_cited_sections(real_site: Site) -> None:
    page = article(real_site, "guides/great-vendor/")
    box = page.xpath(".//aside[contains(@class,'kb-tree-backlinks')]")[0]
    first = box.xpath(".//li")[0].text_content()
    assert "“Great service”" in first and "“Vendor excellence checklist”" in first


def test_the_blog_post_has_its_backlink_box_inside_the_article(real_site: Site) -> None:
    post = article(real_site, "blog/2009/04/06/good-customers-good-vendors/")
    [box] = post.xpath(".//aside[contains(@class,'kb-tree-backlinks')]")
    assert box.xpath(".//a/@href") == ["../../../../../decisions/partner-vs-vendor/#step-great-vendor"]


# --- more trees, and the build's errors --------------------------------------------


def add_small_tree(config_file: Path, text: str = SMALL) -> Path:
    target = config_file.parent / "docs" / "decisions" / "small.yml"
    target.write_text(text, encoding="utf-8")
    return target


def test_a_second_tree_builds_strictly_outside_the_nav(project_copy: Path, tmp_path: Path) -> None:
    add_small_tree(project_copy)
    site = build_site(project_copy, tmp_path / "site")
    assert site.warnings == []
    page = site.html("decisions/small/")
    assert page.findtext(".//h1").strip() == "Small test tree"
    assert "../../guides/glossary/" in page.xpath("//article/p/a/@href")
    assert json.loads(site.text("decisions/small.json"))["id"] == "small"
    box = article(site, "guides/great-vendor/").xpath(".//aside[contains(@class,'kb-tree-backlinks')]")[0]
    titles = [a.text_content() for a in box.xpath(".//li/a")]
    assert titles == [
        "Outcome: Be a great vendor — Partner or vendor decision tree",
        "Outcome: Be a great vendor now, and revisit later — Partner or vendor decision tree",
        "Outcome: Be a great vendor — Small test tree",
        "Outcome: Limit the investment — Small test tree",
    ]


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
        SMALL + "  - id: orphan\n    outcome: O\n    summary: S.\n    read_next: [guides/glossary.md]\n",
        "docs/decisions/small.yml:{line}: node 'orphan' cannot be reached from the start node 'first'",
    ),
    "one answer": (
        _case('      - label: "No"\n        next: limit\n', ""),
        "docs/decisions/small.yml:{line}: node 'third': a question needs at least 2 answers, this one has 1",
    ),
    "outcome without a link": (
        _case("      - guides/cost-of-partnership.md#readiness-checklist\n", ""),
        "docs/decisions/small.yml:{line}: node 'partner': an outcome needs at least one link in `read_next`",
    ),
    "missing page": (
        _case("guides/limiting-the-investment.md\n", "guides/limiting-investment.md\n"),
        "docs/decisions/small.yml:{line}: node 'limit': read_next 'guides/limiting-investment.md' points to "
        "a page that does not exist (docs/guides/limiting-investment.md)",
    ),
    "missing anchor": (
        _case("#readiness-checklist", "#readyness-checklist"),
        "docs/decisions/small.yml:{line}: node 'partner': read_next "
        "'guides/cost-of-partnership.md#readyness-checklist': the page has no anchor '#readyness-checklist' "
        "(did you mean '#readiness-checklist'?)",
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
    "missing page": "limiting-investment.md",
    "missing anchor": "#readyness-checklist",
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
def test_a_bad_tree_stops_the_build_with_one_line(project_copy: Path, tmp_path: Path, case: str) -> None:
    text, expected = BAD_TREES[case]
    add_small_tree(project_copy, text)
    with pytest.raises(BuildFailed) as raised:
        build_site(project_copy, tmp_path / "site")
    [message] = raised.value.errors
    assert "\n" not in message
    assert message.startswith(expected.format(line=expected_line(case, text))), message
    if case == "malformed YAML":
        assert re.search(r"\(line \d+, column \d+\)$", message), message


def test_a_citation_of_a_draft_post_is_an_error(project_copy: Path, tmp_path: Path) -> None:
    posts = project_copy.parent / "docs" / "blog" / "posts"
    (posts / "draft.md").write_text(
        "---\ndate: 2024-01-02\nauthors: [kb-team]\ndraft: true\n---\n\n# Draft\n\nSoon.\n\n<!-- more -->\n",
        encoding="utf-8",
    )
    draft = _case("      - blog/posts/good", "      - blog/posts/draft.md\n      - blog/posts/good")
    add_small_tree(project_copy, draft)
    with pytest.raises(BuildFailed) as raised:
        build_site(project_copy, tmp_path / "site")
    [message] = raised.value.errors
    assert message.startswith(
        f"docs/decisions/small.yml:{line_of(SMALL, 'blog/posts/good-customers')}: node 'vendor': "
        "read_next 'blog/posts/draft.md' points to a page that is not published in this build"
    ), message


def test_mkdocs_cli_reports_a_bad_tree_without_traceback(project_copy: Path, tmp_path: Path) -> None:
    add_small_tree(project_copy, BAD_TREES["cycle"][0])
    result = run_mkdocs_cli(project_copy, tmp_path / "site")
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
    from sitebuild import copy_project

    config = copy_project(tmp_path / "project")
    add_small_tree(config)
    first = build_site(config, tmp_path / "site-1")
    assert "Small test tree" in first.text("guides/great-vendor/")

    # Edit the tree (rename an outcome, drop a citation of great-vendor.md,
    # add a node) and a cited guide's title, as an author would under serve.
    edited = (
        _case("outcome: Limit the investment", "outcome: Bound the commitment")
        .replace("      - guides/great-vendor.md#vendor-excellence-checklist\n", "")
        .replace("Maybe, for one project\n        next: third", "Maybe, for one project\n        next: limit")
        .replace('"No"\n        next: limit', '"No"\n        next: later')
        + "  - id: later\n    outcome: Revisit later\n    summary: Soon.\n    read_next:\n"
        "      - guides/revisiting-the-relationship.md#review-cadence\n"
    )
    add_small_tree(config, edited)
    guide = config.parent / "docs" / "guides" / "great-vendor.md"
    guide.write_text(
        guide.read_text(encoding="utf-8").replace("title: Being a great", "title: Being an excellent"),
        encoding="utf-8",
    )
    second = build_site(config, tmp_path / "site-2")

    fresh_config = copy_project(tmp_path / "fresh")
    fresh_docs = fresh_config.parent / "docs"
    shutil.copy2(config.parent / "docs" / "decisions" / "small.yml", fresh_docs / "decisions")
    shutil.copy2(guide, fresh_docs / "guides" / "great-vendor.md")
    fresh = build_site(fresh_config, tmp_path / "site-fresh")

    rebuilt, clean = site_files(second), site_files(fresh)
    assert sorted(rebuilt) == sorted(clean)
    different = [name for name in clean if rebuilt[name] != clean[name]]
    assert different == []

    # And the edits really show, once each.
    small = second.text("decisions/small/")
    assert "Bound the commitment" in small and "Limit the investment" not in small
    assert "Being an excellent vendor: Great service" in small
    great = lxml.html.fromstring(second.text("guides/great-vendor/"))
    boxes = great.xpath("//aside[contains(@class,'kb-tree-backlinks')]")
    assert len(boxes) == 1
    assert [a.text_content() for a in boxes[0].xpath(".//li/a")] == [
        "Outcome: Be a great vendor — Partner or vendor decision tree",
        "Outcome: Be a great vendor now, and revisit later — Partner or vendor decision tree",
        "Outcome: Be a great vendor — Small test tree",
    ]
    assert "Small test tree" in second.text("guides/revisiting-the-relationship/")


def test_a_tree_page_may_not_replace_a_markdown_page(project_copy: Path, tmp_path: Path) -> None:
    add_small_tree(project_copy)
    (project_copy.parent / "docs" / "decisions" / "small.md").write_text("# Small\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as raised:
        build_site(project_copy, tmp_path / "site")
    assert raised.value.errors == [
        "docs/decisions/small.yml: docs/decisions/small.md exists; the tree's page would replace it"
    ]


# --- the content check (python3 dev.py check) reads the trees too ---------------------


def test_the_content_check_reports_a_bad_tree(project_copy: Path) -> None:
    text, expected = BAD_TREES["unknown answer target"]
    add_small_tree(project_copy, text)
    missing_page, _ = BAD_TREES["missing page"]
    (project_copy.parent / "docs" / "decisions" / "other.yml").write_text(
        missing_page.replace("id: small", "id: other"), encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, "-m", "kb_engine.cli.check"],
        cwd=project_copy.parent,
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
    assert "node 'limit': read_next 'guides/limiting-investment.md' points to a page" in lines[0]
    assert lines[1].startswith(expected.format(line=expected_line("unknown answer target", text)))


# --- trees placed inside other pages, tones, the tab ---------------------------------

EMBED_BOTH = "<!-- kb:tree partner-vs-vendor -->\n\nAnd a smaller one:\n\n<!-- kb:tree small -->\n"


def test_a_page_embeds_two_trees_with_their_anchors_apart(project_copy: Path, tmp_path: Path) -> None:
    add_small_tree(project_copy)
    guide = project_copy.parent / "docs" / "guides" / "glossary.md"
    guide.write_text(
        guide.read_text(encoding="utf-8")
        + "\n## Decide here\n\n" + EMBED_BOTH
        + "\n```markdown\n<!-- kb:tree an-example-in-a-code-block -->\n```\n",
        encoding="utf-8",
    )
    site = build_site(project_copy, tmp_path / "site")
    assert site.warnings == []
    page = site.html("guides/glossary/")
    walks = page.xpath("//article//div[contains(@class,'kb-tree-embed')]")
    trees = [w.xpath(".//div[@class='kb-tree-walk']/@data-tree")[0] for w in walks]
    assert trees == ["partner-vs-vendor", "small"]
    ids = page.xpath("//@id")
    assert len(ids) == len(set(ids)), "every id once"
    for walk, tree_id in zip(walks, ["partner-vs-vendor", "small"], strict=True):
        steps = walk.xpath(".//section[contains(@class,'kb-tree-step')]/@id")
        assert steps and all(s.startswith(f"{tree_id}--step-") for s in steps)
        # Every in-walk link points into the same walk.
        for href in walk.xpath(".//section//a[@target='_self']/@href"):
            assert href.startswith(f"#{tree_id}--step-"), href
        title = walk.xpath(".//p[@class='kb-tree-embed__title']/a/@href")
        assert title == [f"../../decisions/{tree_id}/"]
    # Read-next links are relative to the embedding page, and resolve.
    great = walks[0].xpath(".//section[@id='partner-vs-vendor--step-great-vendor']")[0]
    hrefs = great.xpath(".//ul[@class='kb-tree-links']//a/@href")
    assert hrefs[0] == "../great-vendor/#great-service"
    # The outcome's address to copy is the embedding page's.
    address = walks[1].xpath(".//input[@id='small--step-vendor-address']/@value")
    assert address == ["https://kb.example.org/guides/glossary/#small--step-vendor"]
    # The marker in a code block is shown, not replaced.
    assert "&lt;!-- kb:tree an-example-in-a-code-block --&gt;" in site.text("guides/glossary/")


def test_the_decision_tree_tab_opens_the_tree_and_the_index_stays(real_site: Site) -> None:
    home = real_site.html("")
    links = home.xpath("//nav[contains(@class,'md-tabs')]//a")
    tabs = {a.text_content().strip(): a.get("href") for a in links}
    assert tabs["Decision tree"] == "decisions/partner-vs-vendor/"
    index = real_site.html("decisions/")
    assert "partner-vs-vendor/" in index.xpath("//article//a/@href")
    assert "../" in article(real_site, TREE_URL).xpath(".//a[text()='All decision trees']/@href")


def test_an_outcome_is_a_brief_with_its_address(real_site: Site) -> None:
    page = article(real_site, TREE_URL)
    step = page.xpath(".//section[@id='step-partner--2']")
    step = step[0] if step else page.xpath(".//section[@id='step-partner']")[0]
    anchor = step.get("id")
    assert step.xpath(".//input/@value") == [f"https://kb.example.org/{TREE_URL}#{anchor}"]
    assert step.xpath(".//input/@readonly") == ["readonly"]
    assert step.xpath(".//button[@data-clipboard-text]/@data-clipboard-text") == [f"https://kb.example.org/{TREE_URL}#{anchor}"]
    assert step.xpath(".//h4/text()") == ["Your answers", "Read next"]


BAD_INPUTS = {
    "unknown tone": "docs/decisions/small.yml:{tone}: node 'vendor': unknown `tone` 'cheerful'",
    "long short": (
        "docs/decisions/small.yml:{short}: node 'first': `short` '{long}' is too long for the diagram's box"
    ),
    "embedded twice": (
        "docs/guides/glossary.md:{twice}: decision tree 'small' is placed twice on this page "
        "(first on line {once})"
    ),
    "unknown id": (
        "docs/guides/great-vendor.md:{unknown}: unknown decision tree 'smal' "
        "(known: partner-vs-vendor, small)"
    ),
}
LONG_SHORT = "Does the customer want a great deal more than a product from us, and for how long?"


def bad_inputs(config: Path) -> dict[str, int]:
    """Every kind of bad input at once; returns the line of each."""
    text = _case("    summary: Deliver well", "    tone: cheerful\n    summary: Deliver well")
    text = text.replace("    short: Wants more?", f"    short: {LONG_SHORT}")
    add_small_tree(config, text)
    docs = config.parent / "docs"
    glossary = docs / "guides" / "glossary.md"
    before = glossary.read_text(encoding="utf-8")
    twice = "\n<!-- kb:tree small -->\n\nText.\n\n<!-- kb:tree small -->\n"
    glossary.write_text(before + twice, encoding="utf-8")
    great = docs / "guides" / "great-vendor.md"
    great.write_text(great.read_text(encoding="utf-8") + "\n<!-- kb:tree smal -->\n", encoding="utf-8")
    once = len(before.splitlines()) + 2
    return {
        "tone": line_of(text, "tone: cheerful"),
        "short": line_of(text, LONG_SHORT),
        "once": once,
        "twice": once + 4,
        "unknown": len(great.read_text(encoding="utf-8").splitlines()),
    }


def expected_bad_lines(lines: dict[str, int]) -> list[str]:
    return [template.format(long=LONG_SHORT, **lines) for template in BAD_INPUTS.values()]


def test_bad_tones_labels_and_markers_stop_the_build_with_one_line_each(
    project_copy: Path, tmp_path: Path
) -> None:
    lines = bad_inputs(project_copy)
    with pytest.raises(BuildFailed) as raised:
        build_site(project_copy, tmp_path / "site")
    [message] = raised.value.errors
    got = message.splitlines()
    assert len(got) == len(BAD_INPUTS), got
    for expected in expected_bad_lines(lines):
        assert any(line.startswith(expected) for line in got), (expected, got)


def test_the_content_check_reports_the_same_bad_inputs(project_copy: Path) -> None:
    lines = bad_inputs(project_copy)
    result = subprocess.run(
        [sys.executable, "-m", "kb_engine.cli.check"], cwd=project_copy.parent, capture_output=True, text=True,
        check=False, timeout=120,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    got = result.stderr.splitlines()
    assert len(got) == len(BAD_INPUTS), got
    for expected in expected_bad_lines(lines):
        assert any(line.startswith(expected) for line in got), (expected, got)
