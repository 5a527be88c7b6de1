"""The site's own decision tree (docs/decisions/partner-vs-vendor.yml) says what the site promises, and
in the built site its page, its tab and the boxes on the guides and the essay it cites show it (a tree's
page and the build in general: tests/engine/test_trees_pages.py, tests/engine/test_trees_build.py)."""

from __future__ import annotations

from typing import Any

import yaml

from kb_engine.trees.model import Tree, parse_tree
from sitebuild import PROJECT, Site
from treecheck import article

TREE_URL = "decisions/partner-vs-vendor/"
TREE_SOURCE = PROJECT / "docs" / "decisions" / "partner-vs-vendor.yml"


def real_tree() -> dict[str, Any]:
    data = yaml.safe_load(TREE_SOURCE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_the_partner_vs_vendor_tree_is_valid_and_big_enough() -> None:
    tree = parse_tree(TREE_SOURCE.read_text(encoding="utf-8"), "x.yml", "partner-vs-vendor")
    assert isinstance(tree, Tree), tree
    assert len(tree.questions()) >= 6
    outcomes = {o.text for o in tree.outcomes()}
    assert len(outcomes) >= 4
    for expected in ("Pursue a strategic partnership", "Be a great vendor", "Limit the investment"):
        assert expected in outcomes
    assert any("revisit later" in o for o in outcomes)
    for outcome in tree.outcomes():
        assert any(c.anchor for c in outcome.read_next), outcome.id
    cited = {c.path for o in tree.outcomes() for c in o.read_next}
    assert "blog/posts/good-customers-good-vendors.md" in cited


# --- the built site ---------------------------------------------------------------------


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
