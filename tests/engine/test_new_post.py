"""The new-post command: planning (pure), then the command as a subprocess, then a build."""

from __future__ import annotations

import datetime as dt
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest
from pymdownx.slugs import slugify as pymdownx_slugify

from enginesite import THREAD_POST
from kb_engine.newpost import (
    Author,
    Context,
    NewPost,
    NewPostRequest,
    SlugOwner,
    choose_author,
    plan_post,
    post_text,
)
from kb_engine.posts import BlogRules, check_post
from sitebuild import build_site

NOW = dt.datetime(2026, 3, 4, 9, 30, 15, 123456, tzinfo=dt.timezone(dt.timedelta(hours=1)))
SLUGIFY = pymdownx_slugify(case="lower")  # Material's default post_slugify
CONTEXT = Context(
    authors=[Author("david-brock", "David Brock"), Author("kb-team", "Knowledge Base Team")],
    authors_file="docs/blog/.authors.yml",
    categories_allowed=("Uncategorized", "Partnerships"),
    config_file="mkdocs.yml",
    slugs_in_use={"taken": SlugOwner("docs/blog/posts/old.md", 3)},
    slugify=SLUGIFY,
)


def request(title: str = "A New Post", **changes: object) -> NewPostRequest:
    fields: dict[str, object] = {
        "title": title, "slug": None, "authors": ("kb-team",), "categories": (), "publish": False,
    }
    fields.update(changes)
    return NewPostRequest(**fields)  # type: ignore[arg-type]


def planned(req: NewPostRequest) -> NewPost:
    result = plan_post(req, CONTEXT, NOW)
    assert isinstance(result, NewPost), result
    return result


def problems(req: NewPostRequest) -> list[str]:
    result = plan_post(req, CONTEXT, NOW)
    assert isinstance(result, list)
    return [str(p) for p in result]


# --- planning --------------------------------------------------------------


def test_slug_is_material_s_slug_of_the_title() -> None:
    assert planned(request("Partners, Vendors and You: Ça va?")).slug == "partners-vendors-and-you-ça-va"
    assert planned(request("Partners & You")).slug == "partners--you"  # as Material would have it


def test_the_date_is_now_with_its_offset_to_the_second() -> None:
    new = planned(request())
    assert new.created == NOW.replace(microsecond=0)
    assert new.created.utcoffset() == dt.timedelta(hours=1)


def test_draft_unless_publish() -> None:
    assert planned(request()).draft is True
    assert planned(request(publish=True)).draft is False


def test_the_written_text_passes_the_post_check_and_reads_back() -> None:
    new = planned(request("Quotes: \"yes\" and 'no'", categories=("Partnerships",)))
    text = post_text(new)
    rules = BlogRules(frozenset({"kb-team"}), ("Partnerships",), "docs/blog/.authors.yml")
    assert check_post("docs/blog/posts/x.md", text, rules) == []
    assert text.startswith(
        "---\ntitle: 'Quotes: \"yes\" and ''no'''\nslug: quotes-yes-and-no\ndate:\n"
        "  created: 2026-03-04 09:30:15+01:00\nauthors:\n- kb-team\ncategories:\n- Partnerships\n"
        "draft: true\n---\n\n# Quotes: \"yes\" and 'no'\n\n"
    )
    assert "\n<!-- more -->\n" in text


def test_a_published_post_leaves_draft_out_so_a_future_date_still_waits() -> None:
    assert "draft" not in post_text(planned(request(publish=True)))


def test_a_taken_slug_names_the_post_that_has_it() -> None:
    assert problems(request("Taken")) == [
        "docs/blog/posts/old.md:3: slug 'taken' is already used by this post; choose another title or --slug"
    ]
    assert problems(request("Other", slug="taken")) == [
        "docs/blog/posts/old.md:3: slug 'taken' is already used by this post; choose another title or --slug"
    ]


@pytest.mark.parametrize(
    ("req", "expected"),
    [
        (request("   "), "new-post: the title is empty"),
        (request("Two\nlines"), "new-post: the title must be one line"),
        (request("!!!"), "new-post: the title '!!!' gives an empty slug; choose one with --slug"),
        (request(slug="Not A Slug"),
         "new-post: --slug 'Not A Slug' is not a slug: use lowercase words joined by '-' (try 'not-a-slug')"),
        (request(slug="a/b"),
         "new-post: --slug 'a/b' is not a slug: use lowercase words joined by '-' (try 'ab')"),
        (request(authors=()), "new-post: choose an author with --author (known: david-brock, kb-team)"),
        (request(authors=("jane",)),
         "docs/blog/.authors.yml: no author 'jane' (known: david-brock, kb-team; add it here)"),
        (request(categories=("Gossip",)),
         "mkdocs.yml: category 'Gossip' is not in the blog's categories_allowed (allowed: Uncategorized, "
         "Partnerships)"),
    ],
)
def test_each_bad_input_has_its_message(req: NewPostRequest, expected: str) -> None:
    assert problems(req) == [expected]


def test_all_bad_inputs_are_reported_together() -> None:
    found = problems(request(slug="Bad Slug", authors=("jane",), categories=("Gossip",)))
    assert len(found) == 3


def test_choose_author_by_number_or_id_and_asks_again() -> None:
    said: list[str] = []
    answers = iter(["9", "kb-team"])
    assert choose_author(CONTEXT.authors, lambda _: next(answers), said.append) == "kb-team"
    assert said == [
        "Who is writing this post?",
        "  1. David Brock (david-brock)",
        "  2. Knowledge Base Team (kb-team)",
        "'9' is not one of the numbers or ids above",
    ]
    assert choose_author(CONTEXT.authors, lambda _: "1", said.append) == "david-brock"


def test_choose_author_gives_up_on_end_of_input() -> None:
    def eof(_: str) -> str:
        raise EOFError

    assert choose_author(CONTEXT.authors, eof, lambda _: None) is None
    assert choose_author(CONTEXT.authors, lambda _: "x", lambda _: None) is None  # three wrong answers


# --- the command -----------------------------------------------------------


def new_post(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kb_engine.cli.new_post", *args],
        cwd=project,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_command_writes_the_post_and_prints_its_path(engine_project: Path) -> None:
    root = engine_project.parent
    result = new_post(root, "How We Review Vendors", "--author", "ben-miller", "--category", "Shaping")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "docs/blog/posts/how-we-review-vendors.md\n"
    text = (root / "docs/blog/posts/how-we-review-vendors.md").read_text()
    assert "authors:\n- ben-miller\ncategories:\n- Shaping\ndraft: true\n" in text
    created = dt.datetime.fromisoformat(text.split("created: ")[1].split("\n")[0])
    assert created.tzinfo is not None
    assert abs(dt.datetime.now(dt.UTC) - created) < dt.timedelta(minutes=5)
    check = subprocess.run([sys.executable, "-m", "kb_engine.cli.check"], cwd=root, capture_output=True, text=True,
                           check=False, timeout=120)
    assert (check.returncode, check.stderr) == (0, "")


def test_command_refuses_an_existing_slug(engine_project: Path) -> None:
    root = engine_project.parent
    result = new_post(
        root, "Feeding", "--slug", THREAD_POST, "--author", "ben-miller"
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"docs/blog/posts/{THREAD_POST}.md:2: slug '{THREAD_POST}' is already "
        "used by this post; choose another title or --slug\n"
    )


def test_command_refuses_a_slug_declared_by_a_post_with_another_file_name(engine_project: Path) -> None:
    root = engine_project.parent
    (root / "docs/blog/posts/renamed.md").write_text(
        "---\ndate: 2024-01-01\nauthors: [ben-miller]\nslug: pinned-name\n---\n\n# X\n\nA.\n\n<!-- more -->\n"
    )
    result = new_post(root, "Pinned Name", "--author", "ben-miller")
    assert result.returncode == 1
    assert result.stderr.startswith("docs/blog/posts/renamed.md:4: slug 'pinned-name' is already used")


def test_command_refuses_a_file_of_that_name_even_if_unreadable(engine_project: Path) -> None:
    root = engine_project.parent
    (root / "docs/blog/posts/broken-one.md").write_text("---\ndate: [\n---\n")
    result = new_post(root, "Broken One", "--author", "ben-miller")
    assert result.returncode == 1
    assert result.stderr.startswith("docs/blog/posts/broken-one.md: slug 'broken-one' is already used")


def test_command_without_author_and_without_a_terminal(engine_project: Path) -> None:
    result = new_post(engine_project.parent, "Some Title")
    assert result.returncode == 1
    assert result.stderr == "new-post: choose an author with --author (known: ada-baker, ben-miller)\n"
    assert not (engine_project.parent / "docs/blog/posts/some-title.md").exists()


def test_command_uses_the_only_author_when_there_is_one(engine_project: Path) -> None:
    root = engine_project.parent
    (root / "docs/blog/.authors.yml").write_text(
        "authors:\n  ben-miller:\n    name: BM\n    description: d\n    avatar: assets/authors/ben-miller.svg\n"
    )
    for post in ("feeding-a-starter.md", "oven-spring.md"):  # by the author taken out
        (root / "docs/blog/posts" / post).unlink()
    result = new_post(root, "Solo")
    assert result.returncode == 0, result.stderr
    assert "authors:\n- ben-miller\n" in (root / "docs/blog/posts/solo.md").read_text()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["T", "--author", "jane"], "docs/blog/.authors.yml: no author 'jane'"),
        (["T", "--author", "ben-miller", "--category", "Gossip"], "mkdocs.yml: category 'Gossip' is not in"),
        (["T", "--author", "ben-miller", "--category", "Starter"],
         "mkdocs.yml: category 'Starter' is not in the blog's categories_allowed "
         "(did you mean 'Starters'?)"),
        (["T", "--author", "ben-miler"], "docs/blog/.authors.yml: no author 'ben-miler' (did you mean 'ben-miller'?)"),
        (["T", "--author", "ben-miller", "--slug", "Bad Slug"], "new-post: --slug 'Bad Slug' is not a slug"),
        (["", "--author", "ben-miller"], "new-post: the title is empty"),
    ],
)
def test_command_bad_inputs(engine_project: Path, args: list[str], expected: str) -> None:
    result = new_post(engine_project.parent, *args)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith(expected)


def test_command_line_errors_exit_2(engine_project: Path) -> None:
    result = new_post(engine_project.parent)
    assert result.returncode == 2
    assert "the following arguments are required: title" in result.stderr
    assert "Traceback" not in result.stderr


def test_command_without_a_project(tmp_path: Path) -> None:
    result = new_post(tmp_path, "T", "--author", "ben-miller")
    assert result.returncode == 1
    assert result.stderr.startswith("mkdocs.yml: config file not found")


def test_command_asks_for_the_author_on_a_terminal(engine_project: Path) -> None:
    root = engine_project.parent
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "kb_engine.cli.new_post", "Asked On A Terminal"],
        cwd=root, stdin=follower, stdout=subprocess.PIPE, stderr=follower, text=True,
    )
    os.close(follower)
    seen = b""
    while b"Author [1-2 or id]:" not in seen:
        ready, _, _ = select.select([leader], [], [], 60)
        assert ready, seen
        seen += os.read(leader, 1024)
    assert b"2. Ben Miller (ben-miller)" in seen
    os.write(leader, b"2\n")
    out, _ = process.communicate(timeout=60)
    os.close(leader)
    assert process.returncode == 0
    assert out == "docs/blog/posts/asked-on-a-terminal.md\n"
    assert "authors:\n- ben-miller\n" in (root / "docs/blog/posts/asked-on-a-terminal.md").read_text()


# --- a scaffolded post builds ----------------------------------------------


def test_a_published_scaffold_builds_and_a_draft_stays_out(engine_project: Path, tmp_path: Path) -> None:
    root = engine_project.parent
    assert new_post(root, "Scaffold Published", "--author", "ben-miller", "--publish").returncode == 0
    assert new_post(root, "Scaffold Draft", "--author", "ben-miller").returncode == 0
    site = build_site(engine_project, tmp_path / "site")
    built = [p.relative_to(site.site_dir).as_posix() for p in site.files()]
    published = [p for p in built if p.endswith("/scaffold-published/index.html")]
    assert len(published) == 1
    page = site.html(published[0])
    assert page.xpath("string(//h1)").rstrip("¶") == "Scaffold Published"
    assert not [p for p in built if "scaffold-draft" in p]
    assert site.warnings == []
