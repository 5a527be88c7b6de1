"""The site's own decision tree (docs/decisions/partner-vs-vendor.yml) says what the site promises."""

from __future__ import annotations

from kb_engine.trees.model import Tree, parse_tree
from sitebuild import PROJECT


def test_the_partner_vs_vendor_tree_is_valid_and_big_enough() -> None:
    path = PROJECT / "docs" / "decisions" / "partner-vs-vendor.yml"
    tree = parse_tree(path.read_text(encoding="utf-8"), "x.yml", "partner-vs-vendor")
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
