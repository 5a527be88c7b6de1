"""One vocabulary for categories and tags, and the one "did you mean" helper (kb_engine.vocabulary, .problems)."""

from __future__ import annotations

from kb_engine.posts import BlogRules, check_post
from kb_engine.problems import did_you_mean
from kb_engine.vocabulary import near_duplicate, tag_problems

CATEGORIES = ("Uncategorized", "Partnerships", "Vendor excellence", "Value selling")
RULES = BlogRules(frozenset({"kb-team", "david-brock"}), CATEGORIES, "docs/blog/.authors.yml")


def post(meta: str) -> str:
    return f"---\ndate: 2026-01-02\nauthors: [kb-team]\n{meta}---\n\n# T\n\nText.\n"


def test_did_you_mean_suggests_the_closest_name_or_nothing() -> None:
    assert did_you_mean("Partnership", CATEGORIES) == " (did you mean 'Partnerships'?)"
    assert did_you_mean("partnerships", CATEGORIES) == " (did you mean 'Partnerships'?)"
    assert did_you_mean("Gossip", CATEGORIES) == ""


def test_near_duplicates_are_other_spellings_never_the_name_itself() -> None:
    assert near_duplicate("Partnership", CATEGORIES) == "Partnerships"
    assert near_duplicate("vendor-excellence", CATEGORIES) == "Vendor excellence"
    assert near_duplicate("Vendor excellence", CATEGORIES) is None
    assert near_duplicate("Account review", CATEGORIES) is None
    assert near_duplicate("Value", CATEGORIES) is None


def test_a_tag_may_repeat_a_category_exactly_but_not_respell_it() -> None:
    assert tag_problems("p.md", [("Partnerships", 4), ("Procurement", 4)], CATEGORIES) == []
    [problem] = tag_problems("p.md", [("Partnership", 4)], CATEGORIES)
    assert str(problem) == (
        "p.md:4: tag 'Partnership' is another spelling of the category 'Partnerships'; use 'Partnerships' "
        "(tags must not repeat a category in another spelling)"
    )


def test_two_spellings_of_one_tag_name_the_more_used_one() -> None:
    counts = {"Account review": 3, "Account reviews": 1}
    assert tag_problems("a.md", [("Account review", 2)], CATEGORIES, counts) == []
    [problem] = tag_problems("b.md", [("Account reviews", 2)], CATEGORIES, counts)
    assert problem.message == (
        "tag 'Account reviews' is another spelling of the tag 'Account review'; use 'Account review'"
    )


def test_the_post_check_suggests_categories_and_authors_and_refuses_respelled_tags() -> None:
    text = post("categories: [Partnership]\ntags: [Value-selling]\n")
    found = [str(p) for p in check_post("x.md", text, RULES)]
    assert any("category 'Partnership' is not allowed (did you mean 'Partnerships'?)" in m for m in found)
    assert any("tag 'Value-selling' is another spelling of the category 'Value selling'" in m for m in found)
    found = [str(p) for p in check_post("x.md", post("").replace("[kb-team]", "[kb-tem]"), RULES)]
    assert any("unknown author 'kb-tem' (did you mean 'kb-team'?)" in m for m in found)


def test_a_post_without_categories_is_valid() -> None:
    assert check_post("x.md", post(""), RULES) == []
