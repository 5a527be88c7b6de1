"""Post and authors-file validation: pure functions, then real builds."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb_engine.posts import BlogRules, check_post, parse_authors
from kb_engine.problems import Problem, format_problems
from sitebuild import BuildFailed, build_site, run_mkdocs_cli

RULES = BlogRules(
    authors=frozenset({"david-brock", "kb-team"}),
    categories_allowed=("Uncategorized", "Partnerships"),
    authors_file="docs/blog/.authors.yml",
)
FILE = "docs/blog/posts/p.md"


def post(front: str, body: str = "Intro.\n\n<!-- more -->\n\nMore.\n") -> str:
    return f"---\n{front}---\n\n# Title\n\n{body}"


def messages(problems: list[Problem]) -> list[str]:
    return [str(p) for p in problems]


def test_a_valid_post_has_no_problems() -> None:
    text = post("date: 2024-05-01\nauthors: [kb-team]\ncategories: [Partnerships]\n")
    assert check_post(FILE, text, RULES) == []


def test_date_may_be_a_mapping_with_created_and_updated() -> None:
    text = post("date:\n  created: 2024-05-01\n  updated: 2024-06-01T10:00:00+02:00\nauthors: [kb-team]\n")
    assert check_post(FILE, text, RULES) == []


def test_missing_date_names_file_and_line() -> None:
    text = post("title: T\nauthors: [kb-team]\n")
    assert messages(check_post(FILE, text, RULES)) == [
        f"{FILE}:2: `date` is required (for example `date: 2024-05-31`)"
    ]


@pytest.mark.parametrize("value", ["yesterday", "2024-13-01", "[2024]"])
def test_a_date_that_is_not_a_date(value: str) -> None:
    text = post(f"authors: [kb-team]\ndate: {value}\n")
    [problem] = check_post(FILE, text, RULES)
    assert problem.line == 3
    assert "is not a date" in problem.message or "is not a valid date" in problem.message


def test_date_mapping_without_created() -> None:
    text = post("authors: [kb-team]\ndate:\n  updated: 2024-01-01\n")
    assert messages(check_post(FILE, text, RULES)) == [f"{FILE}:3: `date.created` is required"]


def test_unknown_author_lists_the_known_ones() -> None:
    text = post("date: 2024-05-01\nauthors:\n  - jane\n")
    assert messages(check_post(FILE, text, RULES)) == [
        f"{FILE}:3: unknown author 'jane' (known: david-brock, kb-team; add it to docs/blog/.authors.yml)"
    ]


def test_missing_authors() -> None:
    [problem] = check_post(FILE, post("date: 2024-05-01\n"), RULES)
    assert "`authors` is required" in problem.message


def test_category_outside_the_allowed_list() -> None:
    text = post("date: 2024-05-01\nauthors: [kb-team]\ncategories:\n  - Gossip\n")
    assert messages(check_post(FILE, text, RULES)) == [
        f"{FILE}:4: category 'Gossip' is not allowed (allowed: Uncategorized, Partnerships; "
        "see `categories_allowed` in mkdocs.yml)"
    ]


def test_all_problems_are_reported_at_once() -> None:
    text = post("authors: [nobody]\ncategories: [Gossip]\ndraft: maybe\n")
    found = check_post(FILE, text, RULES)
    assert len(found) == 4
    assert [p.line for p in sorted(found)] == [2, 2, 3, 4]


def test_malformed_front_matter_gives_line_and_column() -> None:
    text = post("date: 2024-05-01\nauthors: [kb-team\n")
    [problem] = check_post(FILE, text, RULES)
    assert problem.file == FILE
    assert problem.message.startswith("malformed YAML")
    assert "column" in problem.message


def test_duplicate_front_matter_key() -> None:
    text = post("date: 2024-05-01\nauthors: [kb-team]\ndate: 2024-05-02\n")
    [problem] = check_post(FILE, text, RULES)
    assert problem.line == 4
    assert "duplicate key 'date' (first on line 2)" in problem.message


def test_post_without_front_matter() -> None:
    [problem] = check_post(FILE, "# Just a title\n", RULES)
    assert str(problem) == f"{FILE}:1: post has no front matter; it needs at least `date:` and `authors:`"


def test_authors_file_problems() -> None:
    text = (
        "authors:\n  a:\n    name: A\n    description: d\n    avatar: https://x.test/a.png\n"
        "  b:\n    name: B\n"
    )
    ids, problems = parse_authors(text, "a.yml")
    assert ids == {"a", "b"}
    assert messages(problems) == [
        "a.yml:5: author 'a': avatar must be a file of this site, not a URL",
        "a.yml:6: author 'b': `description` is required",
        "a.yml:6: author 'b': `avatar` is required",
    ]


def test_problems_format_sorted_one_per_line() -> None:
    problems = [Problem("b.md", 2, "two"), Problem("a.md", None, "one"), Problem("b.md", 1, "three")]
    assert format_problems(problems) == "a.md: one\nb.md:1: three\nb.md:2: two"


# --- real builds -----------------------------------------------------------

BAD_POSTS = {
    "no date": ("authors: [ada-baker]\n", "docs/blog/posts/bad.md:2: `date` is required"),
    "unknown author": (
        "date: 2024-01-02\nauthors: [nobody]\n",
        "docs/blog/posts/bad.md:3: unknown author 'nobody'",
    ),
    "category not allowed": (
        "date: 2024-01-02\nauthors: [ada-baker]\ncategories: [Gossip]\n",
        "docs/blog/posts/bad.md:4: category 'Gossip' is not allowed",
    ),
}


def write_bad_post(config_file: Path, front: str) -> None:
    (config_file.parent / "docs/blog/posts/bad.md").write_text(post(front), encoding="utf-8")


@pytest.mark.parametrize("case", sorted(BAD_POSTS))
def test_a_bad_post_stops_the_build_with_one_line(engine_project: Path, tmp_path: Path, case: str) -> None:
    front, expected = BAD_POSTS[case]
    write_bad_post(engine_project, front)
    with pytest.raises(BuildFailed) as raised:
        build_site(engine_project, tmp_path / "site")
    [message] = raised.value.errors
    assert message.startswith(expected)
    assert "\n" not in message


def test_mkdocs_cli_reports_a_bad_post_without_traceback(engine_project: Path, tmp_path: Path) -> None:
    write_bad_post(engine_project, "date: 2024-01-02\nauthors: [nobody]\n")
    result = run_mkdocs_cli(engine_project, tmp_path / "site")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "docs/blog/posts/bad.md:3: unknown author 'nobody'" in result.stderr
