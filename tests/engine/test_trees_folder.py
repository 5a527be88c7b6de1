"""``plugins.kb-trees.folder``: a site whose decision trees live in another folder builds and checks.

The folder is read in one place (kb_engine.core.paths.trees_folder) by the
trees' build, ``check`` and the search (a tree's steps, the knowledge folders).
The site is this test's own: a guide, a tree citing it, nothing of this repository's content.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kb_engine.core.configtext import parse_config_text
from kb_engine.core.paths import DEFAULT_TREES_FOLDER, trees_folder_in_config
from kb_engine.search.entries import is_tree_step
from sitebuild import BuildFailed, build_site, run_check

CONFIG = """\
site_name: Field notes
site_url: https://notes.example.net/
theme:
  name: material
plugins:
  - search
  - kb-blog:
      authors: false
  - kb-trees:
      folder: {folder}
  - kb-search
"""
GUIDE = """\
# Pricing calls

How to run a pricing call.

## Before the call

Read the account's history.
"""
TREE = """\
id: {tree_id}
title: Which call to make
intro: Two questions about the account.
start: first
nodes:
  - id: first
    question: Is the account asking about price?
    answers:
      - label: "Yes"
        next: pricing
      - label: "No"
        next: wait
  - id: pricing
    outcome: Make a pricing call
    summary: Set up the call this week.
    read_next:
      - guides/pricing.md#before-the-call
  - id: wait
    outcome: Wait for the next review
    summary: Nothing to do yet.
    read_next:
      - guides/pricing.md
"""
VOCABULARY = "price: [pricing, cost]\n"


def make_site(root: Path, folder: str, tree_id: str = "which-call") -> Path:
    (root / "docs" / "guides").mkdir(parents=True)
    (root / "docs" / folder).mkdir(parents=True)
    (root / "mkdocs.yml").write_text(CONFIG.format(folder=folder), encoding="utf-8")
    (root / "search-vocabulary.yml").write_text(VOCABULARY, encoding="utf-8")
    (root / "docs" / "index.md").write_text("# Field notes\n\nSee [pricing](guides/pricing.md).\n")
    (root / "docs" / "blog").mkdir()
    (root / "docs" / "blog" / "index.md").write_text("# Blog\n")
    (root / "docs" / "guides" / "pricing.md").write_text(GUIDE, encoding="utf-8")
    (root / "docs" / folder / f"{tree_id}.yml").write_text(TREE.format(tree_id=tree_id), encoding="utf-8")
    return root / "mkdocs.yml"


def test_trees_in_another_folder_build_check_and_are_searched(tmp_path: Path) -> None:
    config = make_site(tmp_path / "site-src", "playbooks")
    site = build_site(config, tmp_path / "site")
    assert site.warnings == []
    page = site.html("playbooks/which-call/")
    assert page.xpath("//h1")[0].text_content().strip() == "Which call to make"
    assert json.loads(site.text("playbooks/which-call.json"))["id"] == "which-call"
    assert not site.path("decisions/which-call/").exists()
    assert not site.path("playbooks/which-call.yml").exists()  # the tree file itself is not published
    guide = site.text("guides/pricing/")
    assert "../../playbooks/which-call/#step-pricing" in guide  # the "In the decision tree" box
    index = json.loads(site.text("search/search_index.json"))["docs"]
    steps = [d for d in index if is_tree_step(d["location"], "playbooks")]
    assert {d["location"] for d in steps} >= {"playbooks/which-call/#step-first",
                                              "playbooks/which-call/#step-pricing"}
    # The tree and the guide are knowledge by default (guides and the trees' folder): boosted alike.
    boosts = {d["location"]: d.get("boost") for d in index}
    assert boosts["playbooks/which-call/"] == boosts["guides/pricing/"] == 2.0
    assert boosts[""] == 0.5
    checked = run_check(config.parent)
    assert checked.returncode == 0, checked.stderr


def test_check_reads_the_tree_in_its_folder(tmp_path: Path) -> None:
    config = make_site(tmp_path, "playbooks")
    (tmp_path / "docs" / "playbooks" / "which-call.yml").write_text(
        TREE.format(tree_id="which-call").replace("guides/pricing.md\n", "guides/missing.md\n"),
        encoding="utf-8")
    checked = run_check(config.parent)
    assert checked.returncode == 1
    said = "docs/playbooks/which-call.yml:22: node 'wait': read_next 'guides/missing.md'"
    assert checked.stderr.startswith(said), checked.stderr


def test_a_tree_file_elsewhere_is_not_a_tree(tmp_path: Path) -> None:
    """With the folder set, a YAML file in decisions/ is a plain file of the site, not a tree."""
    config = make_site(tmp_path / "src", "playbooks")
    (tmp_path / "src" / "docs" / "decisions").mkdir()
    (tmp_path / "src" / "docs" / "decisions" / "old.yml").write_text("not: a tree\n")
    site = build_site(config, tmp_path / "site")
    assert site.path("decisions/old.yml").exists() and not site.path("decisions/old/").exists()


@pytest.mark.parametrize("folder", ["../elsewhere", "/abs", "."])
def test_a_folder_outside_the_docs_is_one_line(tmp_path: Path, folder: str) -> None:
    config = make_site(tmp_path / "src", "playbooks")
    config.write_text(CONFIG.format(folder=f"'{folder}'"), encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        build_site(config, tmp_path / "site")
    [line] = [e for e in failed.value.errors if "kb-trees" in e]
    assert "must be a folder inside the docs folder (relative to docs_dir, no '..')" in line


def test_tools_without_mkdocs_read_the_same_folder() -> None:
    assert trees_folder_in_config(parse_config_text(CONFIG.format(folder="playbooks/"))) == "playbooks"
    assert trees_folder_in_config(parse_config_text("site_name: x\n")) == DEFAULT_TREES_FOLDER
    with pytest.raises(ValueError, match=r"^mkdocs\.yml: plugins\.kb-trees\.folder: "):
        trees_folder_in_config(parse_config_text(CONFIG.format(folder="'../x'")))


def test_the_default_folder_is_decisions(tmp_path: Path) -> None:
    config = make_site(tmp_path / "src", "decisions")
    config.write_text(CONFIG.replace("  - kb-trees:\n      folder: {folder}\n", "  - kb-trees\n"))
    site = build_site(config, tmp_path / "site")
    assert site.path("decisions/which-call/").exists()
