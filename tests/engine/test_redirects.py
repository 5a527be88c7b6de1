"""Redirects from old addresses: the rules as data, and the hook in real builds.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from enginesite import CODE_URL, copy_engine_site
from kb_engine.problems import Problem
from kb_engine.redirects.model import (
    Redirect,
    feed_sources,
    netlify_lines,
    parse,
    parse_table,
    relative_href,
    resolve,
    sources,
)
from kb_engine.yamlfile import load_yaml
from sitebuild import BuildFailed, Site, build_site

FILE = "docs/blog/posts/x.md"
URL = "blog/2019/05/14/x/"


def redirect(source: str, url: str = URL, file: str = FILE) -> Redirect:
    found = parse(source, url, "X", file)
    assert isinstance(found, Redirect), found
    return found


def test_sources_from_the_import_record_and_from_the_top_level() -> None:
    meta = {"redirect_from": "/a/", "wordpress": {"id": 1, "redirect_from": ["/b/", "/?p=1", "/a/"]}}
    assert sources(meta) == ["/a/", "/b/", "/?p=1"]
    assert sources({"title": "none"}) == []


@pytest.mark.parametrize(
    ("source", "dest", "query"),
    [
        ("/2009/04/06/slug/", "2009/04/06/slug/index.html", None),
        ("/2009/04/06/slug", "2009/04/06/slug/index.html", None),
        ("/old/page.html", "old/page.html", None),
        ("/2020/03/01/η-εμπιστοσύνη/", "2020/03/01/η-εμπιστοσύνη/index.html", None),
        ("/?p=123", "wp/p/123/index.html", ("p", "123")),
        ("/index.php?page_id=45", "wp/page_id/45/index.html", ("page_id", "45")),
    ],
)
def test_where_each_redirect_page_goes(source: str, dest: str, query: tuple[str, str] | None) -> None:
    found = redirect(source)
    assert (found.dest, found.query) == (dest, query)


@pytest.mark.parametrize(
    "source", ["https://old.example.com/a/", "a/", "/?cat=3", "/?p=1&x=2", "/?p=abc", "/a/../b/", "/"]
)
def test_what_cannot_be_a_static_redirect(source: str) -> None:
    found = parse(source, URL, "X", FILE)
    assert isinstance(found, Problem) and found.file == FILE and "redirect_from" in found.message


def test_the_link_from_the_redirect_page_is_relative() -> None:
    assert (
        relative_href("2009/04/06/slug/index.html", "blog/2009/04/06/slug/")
        == "../../../../blog/2009/04/06/slug/"
    )
    assert relative_href("wp/p/1/index.html", "pages/about/") == "../../../pages/about/"
    assert relative_href("old.html", "blog/") == "blog/"


def test_collisions_and_the_pages_own_address() -> None:
    own = redirect("/blog/2019/05/14/x/")
    first = redirect("/a/")
    same_again = redirect("/a/")
    other = redirect("/a/", url="blog/other/", file="docs/blog/posts/other.md")
    clash = redirect("/guides/")
    kept, problems = resolve([own, first, same_again, other, clash], ["guides/index.html"])
    assert kept == [first]
    assert problems == [
        Problem("docs/blog/posts/other.md", None, f"redirect_from '/a/' is also claimed by {FILE}"),
        Problem(
            FILE, None, "redirect_from '/guides/': the site already has a page there (guides/index.html)"
        ),
    ]


def test_netlify_lines() -> None:
    lines = netlify_lines(
        [redirect("/a/"), redirect("/?p=1"), redirect("/?page_id=2"), redirect("/é/")], "/kb/"
    )
    assert lines[1:] == [
        "/a/ /kb/blog/2019/05/14/x/ 301",
        "/%C3%A9/ /kb/blog/2019/05/14/x/ 301",
        "/ p=:id /kb/wp/p/:id/ 301",
        "/ page_id=:id /kb/wp/page_id/:id/ 301",
    ]


POST = """---
title: Moved here
date: 2024-02-03
authors: [ada-baker]
redirect_from:
  - /old/moved-here/
  - /?p=7
---

# Moved here

Opening.

<!-- more -->

Rest.
"""


def _project(tmp_path: Path, post: str, netlify: bool) -> Path:
    config = copy_engine_site(tmp_path / "project")
    (config.parent / "docs/blog/posts/moved-here.md").write_text(post, encoding="utf-8")
    if netlify:
        text = config.read_text(encoding="utf-8").replace(
            "  - kb-redirects\n", "  - kb-redirects:\n      netlify: true\n", 1
        )
        config.write_text(text, encoding="utf-8")
    return config


def test_the_fixture_sites_old_addresses_lead_to_its_pages(engine_site: Site) -> None:
    post = engine_site.html("2026/04/first-batard/")
    assert post.xpath("//meta[@http-equiv='refresh']/@content") == [f"0; url=../../../{CODE_URL}"]
    guide = engine_site.html("baking/shaping.html")
    assert guide.xpath("//meta[@http-equiv='refresh']/@content") == ["0; url=../guides/shaping/"]


def test_a_build_writes_redirect_pages_and_the_netlify_file(tmp_path: Path) -> None:
    site = build_site(_project(tmp_path, POST, netlify=True), tmp_path / "site")
    page = site.html("old/moved-here/")
    assert page.xpath("//meta[@http-equiv='refresh']/@content") == [
        "0; url=../../blog/2024/02/03/moved-here/"
    ]
    assert page.xpath("//meta[@name='robots']/@content") == ["noindex"]
    assert page.xpath("//a/text()") == ["Moved here"]
    assert site.path("wp/p/7/index.html").is_file()
    assert (site.site_dir / "_redirects").read_text().splitlines()[1:] == [
        "/2026/04/first-batard/ /blog/2026/04/10/first-batard/ 301",
        "/baking/shaping.html /guides/shaping/ 301",
        "/old/moved-here/ /blog/2024/02/03/moved-here/ 301",
        "/ p=:id /wp/p/:id/ 301",
    ]
    assert "old/moved-here" not in site.text("sitemap.xml")


def test_a_redirect_onto_a_page_of_the_site_stops_the_build(tmp_path: Path) -> None:
    config = _project(tmp_path, POST.replace("/old/moved-here/", "/guides/"), netlify=False)
    with pytest.raises(BuildFailed) as failed:
        build_site(config, tmp_path / "site")
    assert (
        "docs/blog/posts/moved-here.md: redirect_from '/guides/': the site already has a page there"
        in str(failed.value)
    )


def test_a_wrong_setting_is_one_line(tmp_path: Path) -> None:
    config = _project(tmp_path, POST, netlify=True)
    config.write_text(config.read_text().replace("netlify: true", "netlify: sometimes"))
    with pytest.raises(BuildFailed) as failed:
        build_site(config, tmp_path / "site")
    assert "plugins.kb-redirects.netlify" in str(failed.value)


def test_the_content_check_finds_what_the_build_would_refuse(tmp_path: Path) -> None:
    import subprocess
    import sys

    post = POST.replace("  - /?p=7\n", "  - /?cat=7\n  - /assets/authors/ada-baker.svg\n")
    config = _project(tmp_path, post, netlify=False)
    (config.parent / "docs/blog/posts/twin.md").write_text(
        POST.replace("Moved here", "Twin"), encoding="utf-8"
    )
    # The real content check (`dev.py check` runs this module), with every other checker.
    result = subprocess.run(
        [sys.executable, "-m", "kb_engine.cli.check", "-f", str(config)], capture_output=True, text=True,
        check=False, cwd=config.parent,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    lines = [line for line in result.stderr.strip().splitlines() if "redirect_from" in line]
    assert lines == [
        "docs/blog/posts/moved-here.md: redirect_from '/?cat=7': a static site can only redirect "
        "/?p=<number> and /?page_id=<number> among queries",
        "docs/blog/posts/moved-here.md: redirect_from '/assets/authors/ada-baker.svg': the site already has "
        "a page there (assets/authors/ada-baker.svg)",
        "docs/blog/posts/twin.md: redirect_from '/old/moved-here/' is also claimed by "
        "docs/blog/posts/moved-here.md",
    ]


def test_the_redirects_table_of_archives_and_feeds() -> None:
    data = load_yaml(
        "/category/sales/: blog/category/sales/\n/feed/: rss.xml\n/tag/x/: tags/#tag:x\n"
        "/bad/: https://elsewhere.example.com/\n/?s=query: blog/\n/rooted/: /blog/\n",
        "redirects.yml",
    )
    redirects, problems = parse_table(data, "redirects.yml")
    assert [(r.dest, r.target_url) for r in redirects] == [
        ("category/sales/index.html", "blog/category/sales/"),
        ("feed/index.html", "rss.xml"),
        ("tag/x/index.html", "tags/#tag:x"),
    ]
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [
        (4, "'/bad/'"),
        (5, "redirect_from '/?s=query'"),
        (6, "'/rooted/'"),
    ]
    assert relative_href("tag/x/index.html", "tags/#tag:x") == "../../tags/#tag:x"
    assert parse_table(None, "redirects.yml") == ([], [])
    assert parse_table(["a"], "redirects.yml")[1][0].message.startswith("expected")


def test_a_posts_old_comment_feed() -> None:
    meta = {"wordpress": {"comment_feed_from": ["/2019/05/14/x/feed/", 3]}}
    assert feed_sources(meta) == ["/2019/05/14/x/feed/"]
    assert feed_sources({"comment_feed_from": ["/x/feed/"]}) == []  # only as the import records it
