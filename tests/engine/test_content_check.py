"""The content check: pure checkers, then the command as a subprocess (its contract)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from enginesite import THREAD_POST
from kb_engine.frontmatter import Document, parse_document
from kb_engine.posts import BlogRules, check_blog_posts, parse_authors, post_slug, post_title
from kb_engine.problems import Problem
from kb_engine.yamlfile import LineDict, YAMLProblem, _LineLoader, load_yaml
from sitebuild import run_check, set_plugin_options

RULES = BlogRules(
    authors=frozenset({"kb-team"}),
    categories_allowed=("Partnerships",),
    authors_file="docs/blog/.authors.yml",
)


def slugify(text: str, separator: str) -> str:
    return separator.join(text.lower().split())


def post(front: str, body: str = "# A title\n\nIntro.\n\n<!-- more -->\n") -> str:
    return f"---\n{front}---\n\n{body}"


def doc(text: str) -> Document:
    parsed = parse_document(text, "p.md")
    assert isinstance(parsed, Document)
    return parsed


# --- pure ------------------------------------------------------------------


def test_title_comes_from_front_matter_then_heading_then_file_name() -> None:
    assert post_title(doc(post("title: From meta\n")), "f") == "From meta"
    assert post_title(doc(post("date: 2024-01-01\n")), "f") == "A title"
    late = doc(post("date: 2024-01-01\n", "Intro first.\n\n# Late heading\n"))
    assert post_title(late, "my-file") == "My file"


def test_slug_is_front_matter_slug_or_slugified_title() -> None:
    assert post_slug(doc(post("slug: pinned\ntitle: Whatever\n")), "f", slugify) == "pinned"
    assert post_slug(doc(post("title: Two Words\n")), "f", slugify) == "two-words"


def test_two_posts_with_one_slug_are_a_problem_on_the_second() -> None:
    front = "date: 2024-01-01\nauthors: [kb-team]\n"
    posts = [
        ("docs/blog/posts/b.md", post(front + "slug: same\n")),
        ("docs/blog/posts/a.md", post(front + "title: Same\n")),
    ]
    sources, problems = check_blog_posts(posts, RULES, slugify)
    assert sorted(s.slug for s in sources) == ["same", "same"]
    assert sorted(str(p) for p in problems) == [
        "docs/blog/posts/a.md:4: slug 'same' is also the slug of docs/blog/posts/b.md; "
        "each post needs its own `slug:` or title",
        "docs/blog/posts/b.md:4: slug 'same' is also the slug of docs/blog/posts/a.md; "
        "each post needs its own `slug:` or title",
    ]


def test_check_blog_posts_reports_what_check_post_reports() -> None:
    sources, problems = check_blog_posts([("p.md", post("authors: [kb-team]\n"))], RULES, slugify)
    assert [p.message for p in problems] == ["`date` is required (for example `date: 2024-05-31`)"]
    assert [s.slug for s in sources] == ["a-title"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("'2024-05-01'", "`date`: '2024-05-01' is read as text, not a date"),
        ("2024-05-01T10:00+02:00", "`date`: '2024-05-01T10:00+02:00' is read as text, not a date"),
        ("soon", "`date`: 'soon' is not a date"),
    ],
)
def test_dates_yaml_reads_as_text_are_refused(value: str, expected: str) -> None:
    _, [problem] = check_blog_posts([("p.md", post(f"date: {value}\nauthors: [kb-team]\n"))], RULES, slugify)
    assert problem.line == 2
    assert problem.message.startswith(expected)


def test_timestamps_with_offset_and_plain_dates_are_accepted() -> None:
    for value in ("2024-05-01", "2024-05-01 10:00:00+02:00", "2024-05-01T10:00:00Z"):
        text = post(f"date: {value}\nauthors: [kb-team]\n")
        _, problems = check_blog_posts([("p.md", text)], RULES, slugify)
        assert problems == []


def test_an_avatar_that_is_not_a_file_is_a_problem() -> None:
    text = "authors:\n  a:\n    name: A\n    description: d\n    avatar: assets/missing.svg\n"
    _, problems = parse_authors(text, "a.yml", lambda path: path != "assets/missing.svg")
    assert [str(p) for p in problems] == [
        "a.yml:5: author 'a': avatar 'assets/missing.svg' does not exist (put the image under docs/)"
    ]


MALFORMED = ["a: [1, 2\nb: 3\n", "a: b: c\n", "- a\nb: 1\n", "key: *alias\n", "{a: 1\n", "a: @x\n"]


@pytest.mark.parametrize("text", MALFORMED)
def test_yaml_errors_read_the_same_as_the_pure_python_parser(text: str) -> None:
    """The fast (libyaml) loader must not change any message."""
    loader = _LineLoader(text)
    with pytest.raises(yaml.MarkedYAMLError) as raised:
        loader.get_single_data()
    mark = raised.value.problem_mark
    assert mark is not None
    with pytest.raises(YAMLProblem) as ours:
        load_yaml(text, "f.yml")
    assert ours.value.problem.message == (
        f"malformed YAML: {raised.value.problem} (line {mark.line + 1}, column {mark.column + 1})"
    )


def test_fast_loader_keeps_lines_and_refuses_duplicates() -> None:
    data = load_yaml("a: 1\nb:\n  c: 2\n", "f.yml", first_line=3)
    assert isinstance(data, LineDict)
    assert data.key_lines == {"a": 3, "b": 4}
    assert data["b"].key_lines == {"c": 5}
    with pytest.raises(YAMLProblem) as raised:
        load_yaml("a: 1\na: 2\n", "f.yml")
    assert raised.value.problem == Problem("f.yml", 2, "malformed YAML: duplicate key 'a' (first on line 1) "
                                                       "(line 2, column 1)")


# --- the command -----------------------------------------------------------



def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_every_problem_in_every_file_is_reported_at_once(engine_project: Path) -> None:
    root = engine_project.parent
    posts = root / "docs/blog/posts"
    write(posts / "no-date.md", post("authors: [ada-baker]\n", "# No date\n\n<!-- more -->\n"))
    write(posts / "bad.md", post("date: 2024-01-02\nauthors: [nobody]\ncategories: [Gossip]\ndraft: maybe\n"))
    write(posts / "broken.md", post("date: 2024-01-02\nauthors: [ben-miller\n"))
    copy = f"date: 2024-01-02\nauthors: [ben-miller]\nslug: {THREAD_POST}\n"
    write(posts / "copy.md", post(copy))
    authors = root / "docs/blog/.authors.yml"
    authors.write_text(authors.read_text() + "  ghost:\n    name: Ghost\n    description: d\n"
                       "    avatar: assets/authors/ghost.svg\n")
    result = run_check(root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines == [
        "docs/blog/.authors.yml:13: author 'ghost': avatar 'assets/authors/ghost.svg' does not exist "
        "(put the image under docs/)",
        "docs/blog/posts/bad.md:3: unknown author 'nobody' (known: ada-baker, ben-miller, ghost; "
        "add it to docs/blog/.authors.yml)",
        "docs/blog/posts/bad.md:4: category 'Gossip' is not allowed (allowed: Starters, Shaping; "
        "see `categories_allowed` in mkdocs.yml)",
        "docs/blog/posts/bad.md:5: `draft` must be true or false",
        "docs/blog/posts/broken.md:4: malformed YAML: expected ',' or ']', but got '<stream end>' "
        "(line 4, column 1)",
        f"docs/blog/posts/copy.md:4: slug '{THREAD_POST}' is also the slug of "
        f"docs/blog/posts/{THREAD_POST}.md; each post needs its own `slug:` or title",
        f"docs/blog/posts/{THREAD_POST}.md:2: slug '{THREAD_POST}' is also the "
        "slug of docs/blog/posts/copy.md; each post needs its own `slug:` or title",
        "docs/blog/posts/no-date.md:2: `date` is required (for example `date: 2024-05-31`)",
    ]
    assert result.stdout == "content check: 8 problems\n"


def test_a_missing_config_file(tmp_path: Path) -> None:
    result = run_check(tmp_path)
    assert result.returncode == 1
    assert result.stderr == (
        "mkdocs.yml: config file not found (run this in the project folder, or pass --config-file)\n"
    )


def test_config_file_option(engine_project: Path, tmp_path: Path) -> None:
    result = run_check(tmp_path, "--config-file", str(engine_project))
    assert (result.returncode, result.stdout) == (0, "content check: no problems\n")


def test_a_config_error_is_one_line(engine_project: Path) -> None:
    text = engine_project.read_text().replace("site_url: https://bread.example.org/", "site_url: [1, 2]")
    engine_project.write_text(text)
    result = run_check(engine_project.parent)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith("mkdocs.yml: Config value 'site_url'")


def test_a_config_warning_is_a_problem_because_builds_are_strict(engine_project: Path) -> None:
    engine_project.write_text(engine_project.read_text() + "\nunknown_setting: 1\n")
    result = run_check(engine_project.parent)
    assert result.returncode == 1
    assert result.stderr.startswith("mkdocs.yml: Config value 'unknown_setting'")


def test_a_blog_without_the_blog_plugin(engine_project: Path) -> None:
    text = engine_project.read_text()
    start = text.index("  - kb-blog:")
    end = text.index("  - kb-site\n")
    engine_project.write_text(text[:start] + text[end:].replace("  - kb-site\n", ""))
    result = run_check(engine_project.parent)
    assert result.returncode == 1
    assert result.stderr == "mkdocs.yml: the blog plugin is not enabled\n"


def test_two_allowed_categories_with_one_url(engine_project: Path) -> None:
    allowed = "        - Starters\n"
    text = engine_project.read_text().replace(allowed, allowed + "        - starters\n")
    engine_project.write_text(text)
    result = run_check(engine_project.parent)
    assert result.returncode == 1
    assert result.stderr == (
        "mkdocs.yml: blog `categories_allowed`: 'starters' and 'Starters' would share the URL "
        "blog/category/starters/\n"
    )


def test_an_authors_file_that_is_not_yaml(engine_project: Path) -> None:
    (engine_project.parent / "docs/blog/.authors.yml").write_text("authors:\n  a: [\n")
    result = run_check(engine_project.parent)
    assert result.returncode == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith("docs/blog/.authors.yml:3: malformed YAML:")


# --- comment files (kb_engine.comments.model.check_comments, wired in as a checker) --

GOOD_COMMENT = (
    f"id: c1\npost: {THREAD_POST}\nauthor: Ann Reader\n"
    "date: 2026-11-26T10:30:00+00:00\nbody: |\n  I <strong>agree</strong>.\n"
)


def test_comment_files_are_checked_with_the_rest(engine_project: Path) -> None:
    root = engine_project.parent
    folder = root / f"comments/{THREAD_POST}"
    write(folder / "c1.yml", GOOD_COMMENT)
    write(folder / "c2.yml", GOOD_COMMENT.replace("id: c1", "id: c2").replace("author: Ann Reader\n", ""))
    write(folder / "c3.yml", GOOD_COMMENT.replace("id: c1", "id: c3") + "reply_to: nobody\n")
    write(root / "comments/no-such-post/c4.yml", GOOD_COMMENT.replace("id: c1", "id: c4")
          .replace(f"post: {THREAD_POST}", "post: no-such-post"))
    write(root / "docs/blog/posts/bad.md", post("authors: [kb-team]\n", "# Bad\n\n<!-- more -->\n"))
    result = run_check(root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    files = [line.split(":", 1)[0] for line in lines]
    assert f"comments/{THREAD_POST}/c1.yml" not in files
    assert f"comments/{THREAD_POST}/c2.yml" in files
    assert f"comments/{THREAD_POST}/c3.yml" in files
    assert "comments/no-such-post/c4.yml" in files
    assert "docs/blog/posts/bad.md" in files  # posts and comments in the same run
    c2 = [line for line in lines if line.startswith(f"comments/{THREAD_POST}/c2.yml")]
    assert any("author" in line for line in c2)
    assert result.stdout == f"content check: {len(lines)} problems\n"


def test_comments_match_the_build_s_own_check(engine_project: Path, tmp_path: Path) -> None:
    """The check and the build report the same lines for the same comment files."""
    from sitebuild import BuildFailed, build_site

    root = engine_project.parent
    write(root / f"comments/{THREAD_POST}/c9.yml",
          GOOD_COMMENT.replace("id: c1", "id: c9").replace("2026-11-26T10:30:00+00:00", "yesterday"))
    result = run_check(root)
    with pytest.raises(BuildFailed) as raised:
        build_site(engine_project, tmp_path / "site")
    assert result.stderr.splitlines() == "\n".join(raised.value.errors).splitlines()


def test_bad_comment_settings_are_one_line_and_the_other_checks_still_run(engine_project: Path) -> None:
    root = engine_project.parent
    text = engine_project.read_text().replace("    site_feed_items: 5\n", "    site_feed_items: 0\n")
    engine_project.write_text(text)
    write(root / "docs/blog/posts/bad.md", post("authors: [ada-baker]\n", "# Bad\n\n<!-- more -->\n"))
    result = run_check(root)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "docs/blog/posts/bad.md:2: `date` is required (for example `date: 2024-05-31`)",
        "mkdocs.yml: plugins.kb-comments.site_feed_items: expected a whole number of at least 1, got 0",
    ]


def test_readers_settings_are_checked_one_line_each(engine_project: Path) -> None:
    root = engine_project.parent
    text = engine_project.read_text().replace("format: d MMMM yyyy", "format: 12")
    text = text.replace("count: 2", "count: 0")
    engine_project.write_text(text)
    result = run_check(root)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "mkdocs.yml: plugins.kb-dates.format: expected a date pattern such as 'd MMMM yyyy', got 12",
        "mkdocs.yml: plugins.kb-latest-posts.count: expected a whole number of at least 1, got 0",
    ]


def test_a_tag_respelling_a_category_is_reported_with_the_spelling_to_use(engine_project: Path) -> None:
    root = engine_project.parent
    guide = root / "docs/guides/shaping.md"
    guide.write_text(guide.read_text().replace("  - Shaping\n", "  - Shapings\n", 1))
    result = run_check(root)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "docs/guides/shaping.md:3: tag 'Shapings' is another spelling of the category "
        "'Shaping'; use 'Shaping' (tags must not repeat a category in another spelling)",
    ]


def test_settings_other_checks_read_are_one_line_each_never_a_traceback(engine_project: Path) -> None:
    """Every wrong setting is its own line (MkDocs alone stops at a plugin's first), and the checks
    that read a feature's settings (the redirects table, the search vocabulary) never run on raw values."""
    root = engine_project.parent
    set_plugin_options(engine_project, "kb-redirects", netlify="x", table=5)
    set_plugin_options(engine_project, "kb-search", vocabulary=7)
    set_plugin_options(engine_project, "kb-speed", enabled="no")
    result = run_check(root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "mkdocs.yml: plugins.kb-redirects.netlify: Expected type: <class 'bool'> but received: <class 'str'>",
        "mkdocs.yml: plugins.kb-redirects.table: Expected type: <class 'str'> but received: <class 'int'>",
        "mkdocs.yml: plugins.kb-search.vocabulary: Expected type: <class 'str'> but received: <class 'int'>",
        "mkdocs.yml: plugins.kb-speed.enabled: Expected type: <class 'bool'> but received: <class 'str'>",
    ]
