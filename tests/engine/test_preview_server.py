"""``python3 dev.py serve`` as an author uses it: edit, save, and the served site follows.

The preview runs as its own process on a copy of the project. After each edit
of a sequence (text, title, date, category, a new post, a deleted post, a
comment file, a decision tree file, mkdocs.yml) the whole served site is
compared, byte for byte over HTTP, with a fresh build of the edited sources
made by another process with the same settings. A broken edit leaves the
previous site served and is reported in one line; a change to the code
restarts the preview on the same address.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest

from commentfixtures import comment_text, write_comment
from enginesite import POST_URLS
from enginesite import THREAD_POST as SOURCE_POST
from kb_engine.feeds.paths import post_comments_feed_path
from preview_process import PreviewProcess, fresh_build, running_preview, without_live_reload

POST_FILE = Path(f"docs/blog/posts/{SOURCE_POST}.md")
TREE_FILE = Path("docs/decisions/which-loaf.yml")
NEW_POST = ("---\ndate: 2026-11-20\nauthors: [ada-baker]\ncategories: [Starters]\n---\n\n"
            "# {title}\n\nAn excerpt about value.\n\n<!-- more -->\n\nThe rest of it.\n")


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path} has no {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def served_build(project: Path) -> Path:
    """The folder the preview serves from now: its newest build."""
    [run] = list((project / "var" / "preview").iterdir())
    return max(run.glob("build-*"), key=lambda p: int(p.name.split("-")[1]))


def assert_served_equals_fresh_build(preview: PreviewProcess, project: Path, tmp: Path) -> None:
    fresh = tmp / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    fresh_build(project / "mkdocs.yml", fresh, preview.origin)
    expected = sorted(p.relative_to(fresh).as_posix() for p in fresh.rglob("*") if p.is_file())
    served = served_build(project)
    assert sorted(p.relative_to(served).as_posix() for p in served.rglob("*") if p.is_file()) == expected
    for name in expected:
        status, headers, body = preview.get("/" + quote(name))
        assert status == 200, name
        if headers["content-type"].startswith("text/html"):
            assert without_live_reload(body) != body, f"{name}: no live reload script"
            body = without_live_reload(body)
        assert body == (fresh / name).read_bytes(), f"{name} differs from a fresh build"


def text_edit(project: Path) -> None:
    replace(project / POST_FILE, "A starter does not need", "An edited starter does not need")


def title_edit(project: Path) -> None:
    replace(project / POST_FILE, "# Feeding a starter on a schedule that suits you", "# Starters Come First.")
    replace(project / POST_FILE, "title: Feeding a starter", "title: Edited, feeding a starter")


def date_edit(project: Path) -> None:
    replace(project / POST_FILE, "created: 2026-03-02", "created: 2026-03-05")


def category_edit(project: Path) -> None:
    replace(project / POST_FILE, "categories:\n  - Starters\n", "categories:\n  - Shaping\n")


def new_posts(project: Path) -> None:
    for slug in ("value-first", "short-lived"):
        (project / "docs/blog/posts" / f"{slug}.md").write_text(NEW_POST.format(title=slug.title()),
                                                                 encoding="utf-8")


def deleted_post(project: Path) -> None:
    (project / "docs/blog/posts/short-lived.md").unlink()


def comment_file(project: Path) -> None:
    text = comment_text(SOURCE_POST, "20261128-0c0c0001", author="Pat Preview",
                        date="2026-11-28T10:00:00+00:00", body="Seen <em>in the preview</em>.")
    write_comment(project, SOURCE_POST, "20261128-0c0c0001", text)


def tree_edit(project: Path) -> None:
    replace(project / TREE_FILE, "title: Which loaf tonight?", "title: Which loaf, decided")


def config_edit(project: Path) -> None:
    replace(project / "mkdocs.yml", "site_name: Crumb & Crust", "site_name: Crumb and Crust, edited")


EDITS: list[tuple[str, Callable[[Path], None], str, str]] = [
    # (what, edit, a page that shows it, what it shows)
    ("text", text_edit, "/blog/2026/03/02/feeding-a-starter/", "An edited starter"),
    ("title", title_edit, "/blog/2026/03/02/feeding-a-starter/", "Starters Come First."),
    ("date", date_edit, "/blog/2026/03/05/feeding-a-starter/", "Starters Come First."),
    ("category", category_edit, "/blog/category/shaping/", "Starters Come First."),
    ("new post", new_posts, "/blog/2026/11/20/short-lived/", "Short-Lived"),
    ("deleted post", deleted_post, "/blog/", "Value-First"),
    ("comment file", comment_file,
     "/" + post_comments_feed_path("blog/2026/03/05/feeding-a-starter/"), "Pat Preview"),
    ("tree file", tree_edit, "/decisions/which-loaf/", "Which loaf, decided"),
    ("mkdocs.yml", config_edit, "/", "Crumb and Crust, edited"),
]


@pytest.fixture
def project(engine_project: Path) -> Path:
    return engine_project.parent


def test_after_each_edit_the_served_site_equals_a_fresh_build(project: Path, tmp_path: Path) -> None:
    with running_preview(project / "mkdocs.yml") as preview:
        assert_served_equals_fresh_build(preview, project, tmp_path)
        for what, edit, page, shown in EDITS:
            before = preview.get(page)
            edit(project)
            # Until the rebuild is published, the page is the previous build's, whole.
            while (answer := preview.get(page))[2].find(shown.encode()) < 0 and answer[0] == before[0]:
                assert without_live_reload(answer[2]) == without_live_reload(before[2]), what
            preview.built()
            status, _, body = preview.get(page)
            assert status == 200 and shown.encode() in body, f"after the {what} edit: {page}"
            assert_served_equals_fresh_build(preview, project, tmp_path)
        status, _, _ = preview.get("/blog/2026/11/20/short-lived/")
        assert status == 404  # the deleted post is gone from the served site
        assert preview.get("/blog/2026/03/02/feeding-a-starter/")[0] == 404  # its old date too


def test_a_broken_edit_keeps_the_previous_site_and_says_why_in_one_line(project: Path) -> None:
    with running_preview(project / "mkdocs.yml") as preview:
        page = "/blog/2026/03/02/feeding-a-starter/"
        before = without_live_reload(preview.get(page)[2])
        replace(project / POST_FILE, "authors:\n  - ada-baker", "authors:\n  - nobody-known")
        failed = preview.next_line(r"^preview: build failed")
        line = failed.string
        assert line.startswith("preview: build failed (still serving the previous build): ")
        assert f"{SOURCE_POST}.md" in line and "nobody-known" in line
        assert without_live_reload(preview.get(page)[2]) == before
        replace(project / POST_FILE, "  - nobody-known", "  - ada-baker")
        preview.built()
        replace(project / "mkdocs.yml", "site_name: Crumb & Crust", "site_name: [unclosed")
        line = preview.next_line(r"^preview: build failed").string
        assert "mkdocs.yml" in line and "Traceback" not in "\n".join(preview.log)
        assert without_live_reload(preview.get(page)[2]) == before
        replace(project / "mkdocs.yml", "site_name: [unclosed", "site_name: Crumb & Crust")
        preview.built()
        assert without_live_reload(preview.get(page)[2]) == before
        # The posts manifest the intake reads is the current build's.
        [run] = list((project / "var" / "preview").iterdir())
        manifest = json.loads((run / "posts.json").read_text(encoding="utf-8"))
        assert manifest["site_url"] == preview.origin + "/"
        assert sorted(p["url"] for p in manifest["posts"]) == sorted(f"{preview.origin}/{url}" for url in POST_URLS)


def test_a_code_change_restarts_the_preview_on_the_same_address(project: Path) -> None:
    hook = project / "hooks" / "local.py"  # the site's own code, beside the engine's
    hook.parent.mkdir()
    hook.write_text("\n", encoding="utf-8")
    with running_preview(project / "mkdocs.yml") as preview:
        hook.write_text(hook.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        preview.next_line(r"^preview: the project's code changed: restarting")
        again = preview.next_line(r"^preview: serving (http://127\.0\.0\.1:\d+)/")
        assert again[1] == preview.origin
        preview.built()
        assert preview.get("/")[0] == 200
        assert re.search(rb"livereload\(\d+", preview.get("/")[2])


def test_the_preview_settings_never_reach_mkdocs_yml(project: Path) -> None:
    from kb_engine.preview.site import load_preview_config

    config_file = project / "mkdocs.yml"
    replace(config_file, "site_url: https://bread.example.org/", "site_url: https://example.org/kb/")
    replace(config_file, "kb-reply:\n      intake_url: https://bread.example.org/comment\n",
            "kb-reply:\n      intake_url: https://intake.example.org/c\n")
    before = config_file.read_bytes()
    config = load_preview_config(config_file, "http://127.0.0.1:8123")
    assert config.site_url == "http://127.0.0.1:8123/kb/"  # the site's path, on the preview's origin
    assert config.plugins["kb-reply"].config.intake_url == "http://127.0.0.1:8123/comment"
    assert config_file.read_bytes() == before


def test_a_failure_is_one_line_naming_where_it_happened(project: Path) -> None:
    from mkdocs.exceptions import Abort

    from kb_engine.preview.server import failure_line

    assert failure_line(Abort("Aborted with a BuildError!"), ["a.md:3: bad\n  detail"], project) == (
        "a.md:3: bad detail")
    assert failure_line(Abort("Aborted"), [], project) == "Aborted"
    hook = project / "hooks" / "broken.py"
    hook.parent.mkdir()
    hook.write_text("def fail() -> None:\n    raise ValueError('no value')\n", encoding="utf-8")
    namespace: dict[str, object] = {}
    exec(compile(hook.read_text(encoding="utf-8"), str(hook), "exec"), namespace)  # noqa: S102
    try:
        namespace["fail"]()  # type: ignore[operator]
    except ValueError as error:
        assert failure_line(error, [], project) == "ValueError: no value (hooks/broken.py:2)"


def test_an_edit_to_a_pages_text_is_shown_before_the_rebuild_and_then_the_site_is_rebuilt(
    project: Path, tmp_path: Path,
) -> None:
    with running_preview(project / "mkdocs.yml") as preview:
        replace(project / "docs/about.md", "Two home bakers write here",
                "Two home bakers (edited in the preview) write here")
        preview.next_line(r"^preview: showing the edit to docs/about\.md after [0-9.]+ s; rebuilding")
        status, _, body = preview.get("/about/")
        assert status == 200 and b"edited in the preview" in body
        preview.built()
        assert_served_equals_fresh_build(preview, project, tmp_path)
        # A page the decision tree cites: its "In the decision tree" box is added again.
        replace(project / "docs/guides/starter.md", "Mix equal weights", "Mix (edited in the preview) equal weights")
        preview.next_line(
            r"^preview: showing the edit to docs/guides/starter\.md after [0-9.]+ s; rebuilding")
        status, _, body = preview.get("/guides/starter/")
        assert status == 200 and b"edited in the preview" in body and b"In the decision tree" in body
        preview.built()
        assert_served_equals_fresh_build(preview, project, tmp_path)
        # Front matter that only the page shows (a description, tags, a post's categories...) is.
        replace(project / "docs/about.md", "description: Who", "description: Edited in the preview, who")
        preview.next_line(r"^preview: showing the edit to docs/about\.md after [0-9.]+ s; rebuilding")
        status, _, body = preview.get("/about/")
        assert status == 200 and b'content="Edited in the preview, who' in body
        preview.built()
        assert_served_equals_fresh_build(preview, project, tmp_path)
        # Other front matter is not shown early: it can change other pages (here the page's title).
        seen = len(preview.log)
        replace(project / "docs/about.md", "title: About Crumb & Crust", "title: About Crumb & Crust, edited")
        preview.built()
        assert not any("showing the edit" in line for line in preview.log[seen:]), preview.log[seen:]
        assert_served_equals_fresh_build(preview, project, tmp_path)
