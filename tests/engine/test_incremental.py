"""kb_engine.compat.incremental: a preview rebuild equals a fresh build, after every kind of edit.

On the engine's fixture site with generated posts, guides, comments and a tree.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import lxml.html
import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from enginesite import AUTHORS, CATEGORIES, copy_engine_site_with_posts
from kb_engine.compat.incremental import BuildCache, build_site
from kb_engine.compat.incremental import build as incremental_build
from sitebuild import captured_logs, own_plugin_instances, site_files

SERVE_URL = "http://127.0.0.1:8000/"



def _fresh(config_file: Path, site_dir: Path) -> dict[str, bytes]:
    """MkDocs' own build (`mkdocs serve`'s first build), with new plugin instances."""
    with own_plugin_instances():
        config = load_config(str(config_file), site_dir=str(site_dir))
        config.plugins.on_startup(command="serve", dirty=False)
        build(config, serve_url=SERVE_URL)
        config.plugins.on_shutdown()
    return site_files(site_dir)


def _project(root: Path) -> Path:
    return copy_engine_site_with_posts(root, 10, comments_per_post=2, tree_nodes=12)


def _replace(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _edits(root: Path) -> list[tuple[str, Callable[[], None]]]:
    posts = root / "docs" / "blog" / "posts"
    first = sorted(posts.glob("post-*.md"))[3]
    comments = root / "comments" / first.stem

    def text() -> None:
        _replace(first, "\n## ", "\nAn edited sentence.\n\n## ")

    def title() -> None:
        _replace(first, "\n# ", "\n# Retitled: ")

    def date() -> None:
        text = first.read_text(encoding="utf-8")
        line = next(line for line in text.splitlines() if line.startswith("date:"))
        first.write_text(text.replace(line, "date: 2011-06-15", 1), encoding="utf-8")

    def category() -> None:  # it is in both of the fixture site's categories, then in one
        _replace(first, f"categories:\n  - {CATEGORIES[1]}\n  - {CATEGORIES[0]}\n",
                 f"categories:\n  - {CATEGORIES[1]}\n")

    def new_post() -> None:
        (posts / "a-new-post.md").write_text(
            f"---\ndate: 2025-02-03\nauthors: [{AUTHORS[0]}]\ncategories: [{CATEGORIES[0]}]\n---\n\n"
            "# A new post\n\nIts opening, linking [a guide](../../guides/index.md).\n\n"
            "<!-- more -->\n\nMore.\n",
            encoding="utf-8",
        )

    def deleted_post() -> None:
        victim = sorted(posts.glob("post-*.md"))[-1]
        victim.unlink()
        for comment in (root / "comments" / victim.stem).glob("*.yml"):
            comment.unlink()

    def comment_file() -> None:
        comment = sorted(comments.glob("*.yml"))[0]
        _replace(comment, "body: |\n  ", "body: |\n  An edited comment. ")

    def new_comment() -> None:
        source = sorted(comments.glob("*.yml"))[0]
        text = source.read_text(encoding="utf-8").replace(source.stem, "c-added-in-preview")
        (comments / "c-added-in-preview.yml").write_text(text.replace("body: |\n  ", "body: |\n  Added. "),
                                                         encoding="utf-8")

    def broken_comment() -> None:  # the rebuild fails, as a fresh build does, with the same message
        _replace(comments / "c-added-in-preview.yml", "date: ", "date: not a date ")

    def fixed_comment() -> None:
        _replace(comments / "c-added-in-preview.yml", "date: not a date ", "date: ")

    def front_matter() -> None:
        _replace(first, "---\n", "---\ndescription: An edited description.\n")

    def tree_file() -> None:
        tree = root / "docs" / "decisions" / "bench-tree.yml"
        _replace(tree, "title: Benchmark", "title: Edited benchmark")

    def config_file() -> None:
        _replace(root / "mkdocs.yml", "site_name: Crumb & Crust", "site_name: Crumb & Crust, edited")

    return [("text", text), ("title", title), ("date", date), ("category", category), ("new post", new_post),
            ("deleted post", deleted_post), ("comment file", comment_file), ("new comment file", new_comment),
            (BROKEN, broken_comment), ("fixed comment file", fixed_comment), ("front matter", front_matter),
            ("tree file", tree_file), ("mkdocs.yml", config_file)]


BROKEN = "broken comment file"
POST_EDITS = ("text", "title", "date", "category", "new post", "front matter")


def _failure(build: Callable[[], object]) -> list[str]:
    """The errors a build that must fail logs."""
    with captured_logs() as logs, pytest.raises(Abort):
        build()
    return [record.getMessage() for record in logs.records if record.levelname == "ERROR"]


@pytest.mark.timeout(1800)  # twenty-eight builds: slow on a busy machine
def test_every_rebuild_equals_a_fresh_build(tmp_path: Path) -> None:
    root = tmp_path / "project"
    config_file = _project(root)
    cache = BuildCache()
    plugins: dict[str, Any] = {}

    def rebuild(out: Path) -> dict[str, bytes]:
        # What the preview server does: a fresh config, the same plugin instances.
        config = load_config(str(config_file))
        if not plugins:
            config.plugins.on_startup(command="serve", dirty=False)
        for name, plugin in config.plugins.items():
            kept = hasattr(plugin, "on_startup") or hasattr(plugin, "on_shutdown")  # what MkDocs keeps
            assert plugins.setdefault(name, plugin) is plugin or not kept, name
        build_site(config, out, cache, serve_url=SERVE_URL)
        return site_files(out)

    with captured_logs(), own_plugin_instances():
        assert rebuild(tmp_path / "site-0") == _fresh(config_file, tmp_path / "fresh-0")
        assert cache.stats.get("pages copied", 0) == 0
        pages = cache.stats["rendered"]
        for number, (name, edit) in enumerate(_edits(root), 1):
            edit()
            # Alternately into a new folder (the preview server's way) and into the last one.
            out = tmp_path / (f"site-{number}" if number % 2 else f"site-{number - 1}")
            if name == BROKEN:
                failed = _failure(lambda: rebuild(out))  # noqa: B023 - called at once
                assert failed and "`date`" in failed[0] and "c-added-in-preview.yml" in failed[0], failed
                assert failed == _failure(lambda: _fresh(config_file, tmp_path / f"fresh-{number}"))  # noqa: B023
                continue
            built = rebuild(out)
            fresh = _fresh(config_file, tmp_path / f"fresh-{number}")
            assert sorted(built) == sorted(fresh), name
            assert [path for path in fresh if built[path] != fresh[path]] == [], name
            kept = plugins["kb-comments"].kept  # comment files parsed: only the new or changed one
            assert (kept.parsed, kept.reused > 10) == ((1, True) if "comment file" in name else (0, True)), name
            documents = plugins["kb-site"].documents  # posts' front matter parsed: only the edited post's
            assert documents.parsed == (1 if name in POST_EDITS else 0), name
            assert documents.reused >= 9, name
            if name == "text":  # the posts and the views listing the edited one are rendered; the rest is copied
                outside = [path for path, body in built.items() if path.endswith(".html") and path != "404.html"
                           and not path.startswith("blog/") and b'http-equiv="refresh"' not in body]
                assert cache.stats["pages copied"] >= len(outside) > 10, cache.stats
                assert cache.stats["rendered"] < pages / 2, cache.stats
                assert cache.stats["converted"] <= 2, cache.stats


def _views_listing(site: dict[str, bytes], post_url: str) -> set[str]:
    """The pages of ``site`` that show ``post_url``'s excerpt (its "continue reading" link leads to it)."""
    found = set()
    for path, body in site.items():
        if not path.endswith(".html") or b"md-post--excerpt" not in body:
            continue
        here = "/" + path.removesuffix("index.html")
        links = lxml.html.fromstring(body).xpath(
            "//article[contains(concat(' ', @class, ' '), ' md-post--excerpt ')]"
            "//nav[contains(@class, 'md-post__action')]//a/@href")
        if any(urljoin(here, link) == "/" + post_url for link in links):
            found.add(path)
    return found


def test_the_first_rebuild_renders_only_the_edited_post_and_its_views(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The first rebuild after a first build (every page converted then) copies as much as later ones.

    A post whose Markdown is converted in the build and one whose conversion comes from the
    cache must look the same to the page fingerprint; they once did not (the conversion left
    an attribute behind), so the first rebuild rendered every post again.
    """
    root = tmp_path / "project"
    config_file = _project(root)
    rendered: list[str] = []
    render = incremental_build.page_output

    def counted(config: Any, page: Any, *args: Any) -> str:
        rendered.append(page.file.dest_uri)
        return render(config, page, *args)

    monkeypatch.setattr(incremental_build, "page_output", counted)
    last_pages: list[weakref.ref[Any]] = []
    alive_at_conversion: list[int] = []
    populate = incremental_build.populate_page

    def populating(*args: Any, **kwargs: Any) -> None:
        if not alive_at_conversion:
            gc.collect()
            alive_at_conversion.append(sum(page() is not None for page in last_pages))
        populate(*args, **kwargs)

    monkeypatch.setattr(incremental_build, "populate_page", populating)
    cache = BuildCache()
    with captured_logs(), own_plugin_instances():
        config = load_config(str(config_file))
        config.plugins.on_startup(command="serve", dirty=False)
        build_site(config, tmp_path / "site-0", cache, serve_url=SERVE_URL)
        first_build = len(rendered)
        assert cache.last is not None
        last_pages = [weakref.ref(file.page) for file in cache.last.doc_files]
        del config
        alive_at_conversion.clear()
        # One sentence more in one post: its read time (which its neighbours' pages see in
        # their previous and next links) stays, its excerpt's Markdown changes.
        post = sorted((root / "docs" / "blog" / "posts").glob("post-*.md"))[3]
        _replace(post, "\n## ", "\nAn edited sentence.\n\n## ")
        rendered.clear()
        build_site(load_config(str(config_file)), tmp_path / "site-1", cache, serve_url=SERVE_URL)
        built = site_files(tmp_path / "site-1")
        fresh = _fresh(config_file, tmp_path / "fresh")
    assert sorted(built) == sorted(fresh)
    assert [path for path in fresh if built[path] != fresh[path]] == []
    post_page = next(path for path in fresh if path.endswith("-note-4/index.html"))
    views = _views_listing(fresh, post_page.removesuffix("index.html"))
    # Its blog index page, its year's archive, its author's and each of its two categories' pages.
    assert len(views) == 5 and {path.split("/")[1] for path in views} == {"page", "archive", "author", "category"}
    assert sorted(rendered) == sorted({post_page} | views)
    assert cache.stats["rendered"] == 6 and cache.stats["pages copied"] == first_build - 6, cache.stats
    # The last build's pages (their HTML, tables of contents, excerpts) are let go before this
    # build converts its own: nothing the rebuild keeps (the compiled templates) reaches them.
    assert len(last_pages) == first_build and alive_at_conversion == [0]


def test_a_failed_build_forgets_the_last_one(tmp_path: Path) -> None:
    root = tmp_path / "project"
    config_file = _project(root)
    cache = BuildCache()
    with captured_logs(), own_plugin_instances():
        config = load_config(str(config_file))
        config.plugins.on_startup(command="serve", dirty=False)
        build_site(config, tmp_path / "site", cache, serve_url=SERVE_URL)
        assert cache.outputs and cache.previous_dir == (tmp_path / "site").resolve()
        post = sorted((root / "docs" / "blog" / "posts").glob("post-*.md"))[0]
        _replace(post, "authors:\n", "authors:\n  - nobody\n")
        served = site_files(tmp_path / "site")
        # Into the folder of the last build: the last build is put back.
        with pytest.raises(Exception):  # noqa: B017 - whatever the build raises
            build_site(load_config(str(config_file)), tmp_path / "site", cache, serve_url=SERVE_URL)
        assert site_files(tmp_path / "site") == served
        assert cache.previous_dir is None and not cache.outputs and not cache.conversions
