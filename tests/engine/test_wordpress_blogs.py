"""Several blogs into one site, every status, tags that respell a category: nothing lost or overwritten."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kb_engine.wordpress.edits import load_config_text
from sitebuild import build_site
from wpimport import EXPORT, KEY, POSTS, Run, front_matter, run_check, run_import
from wxrgen import C, I, wxr

SECOND = "https://field.example.org"
FIRST_FILES = (
    f"{POSTS}/listening-before-pitching.md",
    f"{POSTS}/what-renewals-teach.md",
    "docs/pages/about.md",
    "comments/listening-before-pitching/wp-501.yml",
)


def second_blog() -> bytes:
    """Another blog whose ids, slugs and old paths are the first blog's (blog-1.2.xml) again."""
    return wxr(
        SECOND,
        [
            I(
                101,
                "listening-before-pitching",
                title="Listening, the other blog",
                link=f"{SECOND}/2019/05/14/listening-before-pitching/",  # the first blog's path too
                comments=[C(501, email="reader@field.example.org"), C(502, parent=501, content="A reply.")],
            ),
            I(2, "two-is-the-about-page-id-of-the-first-blog"),  # the first blog's page 2 is a page
            I(103, "what-renewals-teach", type="page", title="A page with a post's slug"),
            I(104, "about", type="page", title="About the other blog"),
        ],
        title="The other blog",
    )


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from enginesite import copy_engine_site

    monkeypatch.setenv("KB_COMMENT_KEY", KEY)
    monkeypatch.delenv("KB_COMMENT_KEY_FILE", raising=False)
    return copy_engine_site(tmp_path / "project")


def first_files(root: Path) -> dict[str, bytes]:
    return {name: (root / name).read_bytes() for name in FIRST_FILES}


def test_a_second_blog_never_touches_the_first_and_both_build(project: Path, tmp_path: Path) -> None:
    root = project.parent
    assert run_import(project, "--pages").code == 0
    before = first_files(root)
    second = write(tmp_path, "second.xml", second_blog())

    dry = run_import(project, "--pages", "--dry-run", export=second)
    assert dry.code == 0, dry.err
    assert not [
        line
        for line in dry.out.splitlines()
        if line.startswith("would update") and ("posts/" in line or "pages/" in line or "comments/" in line)
    ]

    result = run_import(project, "--pages", export=second)
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    assert first_files(root) == before
    other = front_matter(root / POSTS / "listening-before-pitching-2.md")
    assert other["title"] == "Listening, the other blog"
    assert other["wordpress"]["site"] == SECOND  # type: ignore[index]
    assert (root / POSTS / "two-is-the-about-page-id-of-the-first-blog.md").is_file()
    # pages and posts have their own slugs; a page slug taken by a page gets a suffix
    assert front_matter(root / "docs/pages/what-renewals-teach.md")["title"] == "A page with a post's slug"
    assert front_matter(root / "docs/pages/about-2.md")["title"] == "About the other blog"
    assert (root / "comments/listening-before-pitching-2/wp-501.yml").is_file()
    assert (
        "reader@field.example.org"
        not in (root / "comments/listening-before-pitching-2/wp-501.yml").read_text()
    )
    # the old addresses both blogs used stay with the first; the report says so
    assert "no redirect from /2019/05/14/listening-before-pitching/ (WordPress 101)" in result.out
    assert "no redirect from /?p=101 (WordPress 101)" in result.out
    assert "/?p=2" in other_redirects(root / POSTS / "two-is-the-about-page-id-of-the-first-blog.md")

    # each blog's re-import finds its own files only
    for export in (second, EXPORT):
        again = run_import(project, "--pages", export=export)
        assert again.code == 0, again.err
        assert "files that were written: 0" in again.out, again.out
    assert first_files(root) == before

    assert run_check(project).code == 0
    site = build_site(project, tmp_path / "site")
    # old archive, feed and comment-feed addresses lead to their new pages
    for old, new in (
        ("category/sales/", "blog/category/sales/index.html"),
        ("tag/listening/", "tags/index.html"),
        ("author/mara/", "blog/author/mara/index.html"),
        ("feed/", "rss.xml"),
        ("feed/atom/", "atom.xml"),
        ("comments/feed/", "comments.xml"),
        (
            "2019/05/14/listening-before-pitching/feed/",
            "comments-blog-2019-05-14-listening-before-pitching.xml",
        ),
    ):
        assert refresh_target(site.path(old)) == (site.site_dir / new).resolve(), old
    assert refresh_href(site.path("tag/listening/")).endswith("#tag:listening")
    table = (root / "redirects.yml").read_text(encoding="utf-8")
    assert "/category/sales/: blog/category/sales/\n" in table and table.count("\n/feed/:") == 1
    assert "listening-before-pitching" in site.text("2019/05/14/listening-before-pitching/")
    assert (
        site.path("blog/listening-before-pitching-2/").is_file()
        or site.path("blog/2019/05/14/listening-before-pitching-2/").is_file()
        or any(site.site_dir.glob("blog/**/listening-before-pitching-2/index.html"))
    )


def refresh_href(page: Path) -> str:
    import lxml.html

    (content,) = lxml.html.parse(str(page)).xpath("//meta[@http-equiv='refresh']/@content")
    return str(content).split("url=", 1)[1]


def refresh_target(page: Path) -> Path:
    href = refresh_href(page).split("#", 1)[0]
    target = (page.parent / href).resolve()
    return target / "index.html" if href.endswith("/") or target.is_dir() else target


def other_redirects(path: Path) -> list[str]:
    record = front_matter(path)["wordpress"]
    assert isinstance(record, dict)
    return list(record.get("redirect_from", []))


def test_files_of_an_older_import_without_the_site_are_told_apart_by_their_address(
    project: Path, tmp_path: Path
) -> None:
    root = project.parent
    assert run_import(project, "--pages").code == 0
    for name in FIRST_FILES[:3]:  # as an import that did not record the blog wrote them
        path = root / name
        path.write_text(path.read_text(encoding="utf-8").replace("  site: https://notes.example.com\n", ""))
    before = first_files(root)
    result = run_import(project, "--pages", export=write(tmp_path, "second.xml", second_blog()))
    assert result.code == 0, result.err
    assert first_files(root) == before
    assert (root / POSTS / "listening-before-pitching-2.md").is_file()
    again = run_import(project, "--pages")  # the first blog still finds its own files
    assert again.code == 0 and "posts: " in again.out and " created" not in again.out.split("\n")[0]


STATUSES = [
    I(1, "published-post"),
    I(2, "draft-post", status="draft"),
    I(3, "pending-post", status="pending"),
    I(4, "scheduled-post", status="future", date="2099-06-01 09:00:00"),
    I(5, "private-post", status="private"),
    I(6, "protected-post", password="secret"),  # noqa: S106 - a WordPress post password, not ours
    I(7, "trashed-post", status="trash"),
    I(8, "automatic-draft", status="auto-draft"),
    I(9, "published-page", type="page"),
    I(10, "draft-page", type="page", status="draft"),
    I(11, "private-page", type="page", status="private"),
    I(12, "a-product", type="product"),
    I(
        13,
        "commented",
        comments=[
            C(90, approved="0"),
            C(91, parent=90, content="Replying to a comment that was never approved."),
            C(92, approved="spam"),
            C(93, author="A very long name " * 9 + "\u200b"),  # WordPress keeps 255 characters
        ],
    ),
]


def test_every_status_as_wordpress_means_it(project: Path, tmp_path: Path) -> None:
    root = project.parent
    export = write(tmp_path, "statuses.xml", wxr("https://statuses.example.net", STATUSES))
    result = run_import(project, "--pages", export=export)
    assert result.code == 0, result.err
    posts = root / POSTS
    assert "draft" not in front_matter(posts / "published-post.md")
    assert front_matter(posts / "draft-post.md")["draft"] is True
    assert front_matter(posts / "pending-post.md")["draft"] is True
    scheduled = front_matter(posts / "scheduled-post.md")
    assert "draft" not in scheduled and scheduled["date"]["created"].year == 2099  # type: ignore[index]
    for gone in ("private-post", "protected-post", "trashed-post", "automatic-draft", "a-product"):
        assert not (posts / f"{gone}.md").exists()
    for line in (
        "skipped post 5 ('Private post'): private (use --private-as-drafts",
        "skipped post 6 ('Protected post'): password-protected",
        "skipped post 7 ('Trashed post'): in the trash",
        "skipped post 8 ('Automatic draft'): an automatic draft",
        "skipped page 11 ('Private page'): private",
        "skipped product 12 ('A product'): type 'product'",
        "comment 91 replied to 90, which is not imported: it now replies to the post (top level)",
        "comment 93 on commented: name shortened or cleaned for the comment rules",
    ):
        assert line in result.out, result.out
    # the summary table closes the report
    table = result.out.split("\n\n")[-1]
    assert "found  imported  left out" in table
    assert [line.split() for line in table.splitlines() if line.startswith(("post ", "page "))] == [
        ["post", "9", "5", "4"],
        ["page", "3", "2", "1"],
    ]
    config = load_config_text(project.read_text(encoding="utf-8"))
    assert config["draft_docs"].split() == ["/pages/draft-page.md"]
    site = build_site(project, tmp_path / "site")
    assert site.path("pages/published-page/").is_file()
    assert not site.path("pages/draft-page/").exists()

    # published since: the next import takes it out of draft_docs
    published = [I(10, "draft-page", type="page")]
    export2 = write(tmp_path, "published.xml", wxr("https://statuses.example.net", published))
    assert run_import(project, "--pages", export=export2).code == 0
    assert "draft_docs" not in (load_config_text(project.read_text(encoding="utf-8")) or {})

    private = run_import(project, "--pages", "--private-as-drafts", export=export)
    assert private.code == 0, private.err
    assert front_matter(posts / "private-post.md")["draft"] is True
    assert "/pages/private-page.md" in load_config_text(project.read_text(encoding="utf-8"))["draft_docs"]


def test_a_tag_that_respells_a_category_is_merged_into_it(project: Path, tmp_path: Path) -> None:
    root = project.parent
    cats = [("template", "Template", ""), ("media", "Media", "")]
    items = [
        I(n, f"post-{n}", categories=[("template", "Template")], tags=[("template-2", "template")])
        for n in range(1, 4)
    ]
    items.append(
        I(
            4,
            "post-4",
            categories=[("media", "Media")],
            tags=[("media-2", "media"), ("cold-calling", "Cold calling")],
        )
    )
    items.append(I(5, "post-5", tags=[("cold-calling-2", "cold-calling"), ("cold-calling", "Cold calling")]))
    export = write(tmp_path, "vocabulary.xml", wxr("https://vocabulary.example.net", items, categories=cats))
    result = run_import(project, export=export)
    assert result.code == 0, result.err
    assert "posts: 5 created" in result.out
    assert (
        "tag 'template' is another spelling of the category 'Template': merged into it (3 posts)"
        in result.out
    )
    assert (
        "tag 'cold-calling' is another spelling of the tag 'Cold calling': merged into it (1 posts)"
        in result.out
    )
    four = front_matter(root / POSTS / "post-4.md")
    assert four["categories"] == ["Media"] and four["tags"] == ["Cold calling"]
    assert "tags" not in front_matter(root / POSTS / "post-1.md")
    assert front_matter(root / POSTS / "post-5.md")["tags"] == ["Cold calling"]
    assert run_check(project).code == 0


def test_nothing_imported_exits_1_with_the_reasons(project: Path, tmp_path: Path) -> None:
    export = write(
        tmp_path, "private.xml", wxr("https://private.example.net", [I(1, "secret", status="private")])
    )
    result: Run = run_import(project, export=export)
    assert result.code == 1
    assert "nothing could be imported" in result.err
    assert "skipped post 1 ('Secret'): private" in result.out
    assert "Traceback" not in result.err


def test_an_item_without_an_id_is_left_out_with_its_line_and_the_rest_imported(
    project: Path, tmp_path: Path
) -> None:
    data = wxr("https://broken.example.net", [I(1, "fine"), I(2, "broken")])
    data = data.replace(b"<wp:post_id>2</wp:post_id>", b"")
    result = run_import(project, export=write(tmp_path, "broken.xml", data))
    assert result.code == 0, result.err
    assert "posts: 1 created" in result.out
    assert "skipped an item at line" in result.out and "has no <wp:post_id>" in result.out


def test_two_items_with_one_id_both_import_and_build(project: Path, tmp_path: Path) -> None:
    items = [
        I(175, "first-of-two"),
        I(175, "second-of-two"),
        I(176, "greek", link="https://dup.example.net//greek/x/"),
    ]
    export = write(tmp_path, "dup.xml", wxr("https://dup.example.net", items))
    result = run_import(project, export=export)
    assert result.code == 0, result.err
    assert "posts: 3 created" in result.out
    assert "no redirect from /?p=175 (WordPress 175)" in result.out
    assert other_redirects(project.parent / POSTS / "greek.md")[0] == "/greek/x/"
    again = run_import(project, export=export)
    assert "files that were written: 0" in again.out
    build_site(project, tmp_path / "site")
    assert yaml.safe_load((project.parent / "var/wordpress-import-report.json").read_text())["site"] == (
        "https://dup.example.net"
    )


CONTENT = "https://content.example.net"


def test_content_as_the_owner_wrote_it_with_uploads_copied_beside_the_post(
    project: Path, tmp_path: Path
) -> None:
    root = project.parent
    uploads = tmp_path / "uploads" / "2020" / "01"
    uploads.mkdir(parents=True)
    (uploads / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n chart")
    (uploads / "deck.pdf").write_bytes(b"%PDF-1.4 deck")
    up = f"{CONTENT}/wp-content/uploads/2020/01"
    body = (
        f"Opening.<!--more-->\n\n"
        f'[caption id="attachment_50"]<img src="{up}/chart.png" alt="Chart" /> '
        "Pipeline by stage[/caption]\n\n"
        f'[gallery ids="50,51"]\n\nSee <a href="{CONTENT}/?p=2">the second post</a>.\n\n'
        f'<img src="{up}/missing.jpg" alt="Gone">\n\n[contact-form-7 id="9"]\n<!--nextpage-->\nPage two.'
    )
    items = [
        I(1, "first", content=body),
        I(2, "second"),
        I(50, "chart", type="attachment", status="inherit", parent=1),
        I(51, "deck", type="attachment", status="inherit", parent=1),
    ]
    data = wxr(CONTENT, items)
    for number, name in ((50, "chart.png"), (51, "deck.pdf")):  # where WordPress lists an attachment's file
        data = data.replace(
            f"<wp:post_id>{number}</wp:post_id>".encode(),
            f"<wp:post_id>{number}</wp:post_id><wp:attachment_url>{up}/{name}</wp:attachment_url>".encode(),
        )
    result = run_import(
        project, "--uploads", str(tmp_path / "uploads"), export=write(tmp_path, "c.xml", data)
    )
    assert result.code == 0, result.err
    text = (root / POSTS / "first.md").read_text(encoding="utf-8")
    assert "![Chart](first/2020/01/chart.png)\n\n*Pipeline by stage*" in text
    assert "- [chart.png](first/2020/01/chart.png)\n- [deck.pdf](first/2020/01/deck.pdf)" in text
    assert "[the second post](second.md)" in text
    assert f"![Gone]({up}/missing.jpg)" in text
    assert (root / POSTS / "first/2020/01/chart.png").read_bytes() == (uploads / "chart.png").read_bytes()
    assert "shortcodes kept as text in blog/posts/first.md (WordPress 1): contact-form-7" in result.out
    assert "page breaks (<!--nextpage-->) removed in blog/posts/first.md (WordPress 1)" in result.out
    assert "images and files copied from --uploads: 2" in result.out
    assert "images and files still on the old site: 1 linked from posts and pages, 0 more" in result.out
    again = run_import(project, "--uploads", str(tmp_path / "uploads"), export=tmp_path / "c.xml")
    assert "files that were written: 0" in again.out
    site = build_site(project, tmp_path / "site")
    page = next(site.site_dir.glob("blog/**/first/index.html"))
    html = page.read_text(encoding="utf-8")
    assert 'src="../../../../' in html or "chart.png" in html
    sources = [s for s in __import__("re").findall(r'src="([^"]*chart\.png)"', html)]
    assert sources and all((page.parent / s).resolve().is_file() for s in sources)
