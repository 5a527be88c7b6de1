"""The WordPress import end to end: into a copy of the engine's fixture site, then `check` and a strict
build. The export (tests/data/wordpress/blog-1.2.xml) has a post whose slug the fixture's
``THREAD_POST`` already uses, a page at the fixture's About page's address, and a category that
differs from one of the fixture's only in case."""

from __future__ import annotations

import io
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import feedparser
import pytest
import yaml

from enginesite import SITE_URL, THREAD_POST, copy_engine_site
from kb_engine.feeds.paths import post_comments_feed_path
from sitebuild import PROJECT, Site, build_site
from wpimport import DATA, EXPORT, KEY, POSTS, Run, front_matter, run_check, run_import, snapshot

# Every address in the fixture: none may reach a file of the site.
ADDRESSES = (
    "mara@notes.example.com",
    "kostas@notes.example.com",
    "jo.sam@buyers.example.org",
    "open.reader@mail.example.com",
)

sys.path.insert(0, str(PROJECT / "benchmarks"))


def comment(root: Path, post: str, wp_id: int) -> dict[str, object]:
    data = yaml.safe_load((root / "comments" / post / f"wp-{wp_id}.yml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KB_COMMENT_KEY", KEY)
    monkeypatch.delenv("KB_COMMENT_KEY_FILE", raising=False)
    return copy_engine_site(tmp_path / "project")


@dataclass
class Imported:
    root: Path
    run: Run
    before: dict[str, bytes]
    site: Site


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Imported:
    mp = pytest.MonkeyPatch()
    mp.setenv("KB_COMMENT_KEY", KEY)
    try:
        root = tmp_path_factory.mktemp("wordpress")
        config = copy_engine_site(root / "project")
        before = snapshot(config.parent)
        result = run_import(config, "--pages", "--pingbacks")
        assert result.code == 0, result.err
        site = build_site(config, root / "site")
    finally:
        mp.undo()
    return Imported(config.parent, result, before, site)


# --- posts -------------------------------------------------------------------------------------


def test_posts_have_front_matter_the_site_accepts(imported: Imported) -> None:
    meta = front_matter(imported.root / POSTS / "listening-before-pitching.md")
    assert meta["title"] == "Listening before pitching"
    assert meta["slug"] == "listening-before-pitching"
    dates = meta["date"]
    assert isinstance(dates, dict)
    assert (
        dates["created"].isoformat() == "2019-05-14T10:30:00+02:00"
    )  # post_date_gmt, in the writer's offset
    assert dates["updated"].isoformat() == "2021-01-10T13:00:00+02:00"
    assert meta["authors"] == ["mara"]
    assert meta["categories"] == ["Sales", "Starters"]  # "starters" is the site's "Starters"
    assert meta["tags"] == ["Listening"]
    assert meta["pin"] is True  # sticky
    assert meta["description"] == "Why the first five minutes belong to the customer."
    assert meta["wordpress"] == {
        "site": "https://notes.example.com",
        "id": 101,
        "type": "post",
        "status": "publish",
        "link": "https://notes.example.com/2019/05/14/listening-before-pitching/",
        "redirect_from": ["/2019/05/14/listening-before-pitching/", "/?p=101"],
        "comment_feed_from": ["/2019/05/14/listening-before-pitching/feed/"],
    }
    assert "draft" not in meta


def test_body_is_clean_markdown_with_the_excerpt_marker(imported: Imported) -> None:
    text = (imported.root / POSTS / "listening-before-pitching.md").read_text(encoding="utf-8")
    body = text.split("---\n", 2)[2]
    assert body.startswith("\n# Listening before pitching\n\nMost first meetings go wrong")
    assert body.count("<!-- more -->") == 1
    assert "wp:paragraph" not in body and "<p>" not in body
    assert "[what renewals teach](what-renewals-teach.md)" in body  # internal links point at the new files
    assert "[the Greek post](η-εμπιστοσύνη.md)" in body  # also from a ?p= link
    # [gallery]: the images it shows that the export lists (8 is not in it)
    assert body.endswith("\n\n- [whiteboard.jpg](https://notes.example.com/wp-content/uploads/2019/05/whiteboard.jpg)\n")
    renewals = (imported.root / POSTS / "what-renewals-teach.md").read_text(encoding="utf-8")
    assert "A renewal is the customer's verdict on the year.\n\n<!-- more -->" in renewals
    assert "It arrives whether or not you asked for it.  \nPlan for it" in renewals  # wpautop's <br>
    assert "[listening](listening-before-pitching.md)" in renewals


def test_drafts_scheduled_sticky_and_categories(imported: Imported) -> None:
    assert front_matter(imported.root / POSTS / "half-written-thoughts.md")["draft"] is True  # no slug: title
    assert front_matter(imported.root / POSTS / "awaiting-review.md")["draft"] is True  # pending
    scheduled = front_matter(imported.root / POSTS / "next-quarters-plan.md")
    assert "draft" not in scheduled and scheduled["date"]["created"].year == 2099  # type: ignore[index]
    renewals = front_matter(imported.root / POSTS / "what-renewals-teach.md")
    assert renewals["categories"] == ["Sales / Renewals", "Service / Renewals"]  # same name, two parents
    assert len(renewals["tags"]) == 25  # type: ignore[arg-type]
    greek = front_matter(imported.root / POSTS / "η-εμπιστοσύνη.md")
    assert greek["title"] == "Η εμπιστοσύνη χτίζεται αργά" and greek["authors"] == ["kostas"]
    # Categories nested seven deep keep their own names, none of their parents.
    assert greek["categories"] == ["Uncategorized", *(f"Area {n:02d}" for n in range(1, 25))]


def test_private_and_password_protected_posts_are_skipped_and_reported(imported: Imported) -> None:
    posts = {p.name for p in (imported.root / POSTS).iterdir()}
    assert "members-only.md" not in posts and "board-notes.md" not in posts
    assert "skipped post 107 ('Members only'): password-protected" in imported.run.out
    assert "skipped post 108 ('Board notes'): private" in imported.run.out


def test_a_slug_clash_gets_a_new_slug_and_the_existing_post_is_untouched(imported: Imported) -> None:
    source = f"docs/blog/posts/{THREAD_POST}.md"
    assert (imported.root / source).read_bytes() == imported.before[source]
    clash = front_matter(imported.root / POSTS / f"{THREAD_POST}-2.md")
    assert clash["slug"] == f"{THREAD_POST}-2"
    assert f"slug '{THREAD_POST}' is taken: WordPress post 109 is '{THREAD_POST}-2'" in imported.run.out


def test_pages_go_to_their_own_folder(imported: Imported) -> None:
    about = (imported.root / "docs/pages/about.md").read_text(encoding="utf-8")
    assert "[listening](../blog/posts/listening-before-pitching.md)" in about
    # The site has an About page of its own at /about/: that old address gets no redirect, and says so.
    assert front_matter(imported.root / "docs/pages/about.md")["wordpress"]["redirect_from"] == [  # type: ignore[index]
        "/?page_id=2",
    ]
    assert (
        "no redirect from /about/ (WordPress 2): the site already has a page there (about/index.html)"
        in imported.run.out
    )


def test_authors_and_categories_are_added_and_the_rest_of_the_files_kept(imported: Imported) -> None:
    authors = yaml.safe_load((imported.root / "docs/blog/.authors.yml").read_text(encoding="utf-8"))[
        "authors"
    ]
    assert authors["mara"]["name"] == "Mara O'Neill"  # entity decoded
    assert authors["kostas"]["name"] == "Κώστας Παπαδόπουλος"
    assert (imported.root / "docs" / authors["mara"]["avatar"]).is_file()
    old = imported.before["mkdocs.yml"].decode().splitlines()
    new = (imported.root / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    areas = [f"        - Area {n:02d}" for n in range(1, 25)]  # a post with two dozen categories
    assert [line for line in new if line not in old] == [
        "        - Sales",
        "        - Sales / Renewals",
        "        - Service / Renewals",
        "        - Uncategorized",  # WordPress's default, which the site does not list
        *areas,
        "        - Service",
        "# Pages imported from WordPress: built and linkable, not in the navigation.",
        "not_in_nav: |",
        "  /pages/",
    ]
    assert [line for line in old if line not in new] == []
    assert (
        imported.before["docs/blog/.authors.yml"].decode()
        in (imported.root / "docs/blog/.authors.yml").read_text()
    )


# --- comments ----------------------------------------------------------------------------------


def test_approved_comments_are_threaded_deeper_than_five_levels(imported: Imported) -> None:
    post = "listening-before-pitching"
    chain = [comment(imported.root, post, n).get("reply_to") for n in range(501, 508)]
    assert chain == [None, "wp-501", "wp-502", "wp-503", "wp-504", "wp-505", "wp-506"]
    first = comment(imported.root, post, 501)
    assert first["author"] == "Jo & Sam “the buyers”"
    assert first["website"] == "https://buyers.example.org/"
    assert first["date"] == "2019-05-14T10:00:00+00:00"  # comment_date_gmt
    assert str(first["email_hash"]).startswith("hmac-sha256:")
    assert "<script>" not in str(first["body"]) and "<strong>one question</strong>" in str(first["body"])
    assert "website" not in comment(imported.root, post, 502)  # javascript: dropped
    assert comment(imported.root, post, 503)["author"] == "Li Wei 李伟"


def test_pending_spam_and_trash_are_skipped_and_counted(imported: Imported) -> None:
    names = {p.name for p in (imported.root / "comments").rglob("wp-*.yml")}
    assert not names & {"wp-508.yml", "wp-509.yml", "wp-601.yml"}
    assert "comments skipped: 1 pending, 1 spam, 1 trash" in imported.run.out


def test_a_comment_the_rules_refuse_is_reported_and_its_reply_moved_up(imported: Imported) -> None:
    assert not (imported.root / "comments/listening-before-pitching/wp-510.yml").exists()
    assert re.search(
        r"refused comment 510 on listening-before-pitching: `body`: holds an e-mail address", imported.run.out
    )
    assert "reply_to" not in comment(imported.root, "listening-before-pitching", 511)
    assert "comment 511 replied to 510, which is not imported: it now replies to the post" in imported.run.out
    assert "reply_to" not in comment(imported.root, "what-renewals-teach", 602)  # its parent was binned


def test_pingbacks_and_trackbacks_are_kept_marked_with_the_option(imported: Imported) -> None:
    ping = comment(imported.root, "listening-before-pitching", 512)
    assert ping["kind"] == "pingback" and ping["author"] == "Another Blog » Notes on first meetings"
    assert comment(imported.root, "what-renewals-teach", 603)["kind"] == "trackback"


def test_no_address_reaches_any_file(imported: Imported) -> None:
    for root in (imported.root, imported.site.site_dir):
        for path in root.rglob("*"):
            if path.is_file() and path.suffix in (".md", ".yml", ".html", ".xml", ".json"):
                text = path.read_text(encoding="utf-8", errors="replace")
                for address in ADDRESSES:
                    assert address not in text, path


# --- report, check, build ------------------------------------------------------------------------


def test_the_json_report(imported: Imported) -> None:
    report = json.loads((imported.root / "var/wordpress-import-report.json").read_text(encoding="utf-8"))
    assert report["posts"] == {"created": 7}
    assert report["pages"] == {"created": 1}
    assert report["comments"] == {"comment": 9, "pingback": 1, "trackback": 1}
    assert report["comments_refused"][0]["wordpress_id"] == 510
    assert {
        "from": "/2019/05/14/listening-before-pitching/",
        "to": "blog/posts/listening-before-pitching.md",
        "wordpress_id": "101",
    } in report["redirects"]
    urls = {a["url"] for a in report["assets"]}
    assert urls == {
        "https://notes.example.com/wp-content/uploads/2019/05/whiteboard.jpg",
        "https://notes.example.com/wp-content/uploads/2020/02/renewal-checklist.pdf",
    }
    assert set(report["authors_added"]) == {"mara", "kostas"}
    assert "mkdocs.yml" in report["files_written"]


def test_check_passes_after_the_import(imported: Imported) -> None:
    result = run_check(imported.root / "mkdocs.yml")
    assert result.code == 0, result.err
    assert "no problems" in result.out


def test_the_strict_build_has_the_posts_comments_feeds_and_redirects(imported: Imported) -> None:
    site = imported.site
    assert site.warnings == []
    page = site.html("blog/2019/05/14/listening-before-pitching/")
    assert page.xpath("//h1/text()") == ["Listening before pitching"]
    ids = page.xpath("//*[starts-with(@id, 'comment-wp-')]/@id")
    assert {"comment-wp-501", "comment-wp-507", "comment-wp-512"} <= set(ids)
    # A pingback kept with --pingbacks is marked as one on the page, as WordPress marks it.
    assert page.xpath("string(//*[@id='comment-wp-512']//*[@class='kb-comment__kind'])") == "Pingback:"
    assert page.xpath("//*[@id='comment-wp-501']//*[@class='kb-comment__kind']") == []
    links = page.xpath("//article//a[contains(., 'what renewals teach')]/@href")
    assert links == ["../../../../2020/02/03/what-renewals-teach/"]
    feed_path = post_comments_feed_path("blog/2019/05/14/listening-before-pitching/")
    feed = feedparser.parse(site.path(feed_path).read_bytes())
    assert not feed.bozo and len(feed.entries) == 9
    assert site.path("blog/2020/03/01/η-εμπιστοσύνη/index.html").is_file()
    greek = site.html("2020/03/01/η-εμπιστοσύνη/")  # the old, percent-encoded permalink, decoded
    assert greek.xpath("//a/text()") == ["Η εμπιστοσύνη χτίζεται αργά"]
    assert not site.path("blog/2021/06/01/half-written-thoughts/").exists()  # a draft
    assert not list(site.site_dir.glob("blog/2099/**/index.html"))  # scheduled
    redirect = site.html("2019/05/14/listening-before-pitching/")
    assert redirect.xpath("//meta[@http-equiv='refresh']/@content") == [
        "0; url=../../../../blog/2019/05/14/listening-before-pitching/"
    ]
    assert redirect.xpath("//link[@rel='canonical']/@href") == [
        f"{SITE_URL}blog/2019/05/14/listening-before-pitching/"
    ]
    by_id = site.html("wp/p/101/")
    assert by_id.xpath("//a/@href") == ["../../../blog/2019/05/14/listening-before-pitching/"]
    assert site.path("wp/page_id/2/index.html").is_file()
    assert not site.html("about/").xpath("//meta[@http-equiv='refresh']")  # the site's own About page
    assert not site.path("wp/p/105/index.html").exists()  # drafts get no redirect


# --- safety and idempotence --------------------------------------------------------------------------


def test_a_second_run_changes_nothing(project: Path) -> None:
    assert run_import(project, "--pages", "--pingbacks").code == 0
    first = snapshot(project.parent)
    again = run_import(project, "--pages", "--pingbacks")
    assert again.code == 0
    assert "files that were written: 0" in again.out
    after = snapshot(project.parent)
    report = "var/wordpress-import-report.json"
    assert {k: v for k, v in after.items() if k != report} == {k: v for k, v in first.items() if k != report}


def test_a_changed_export_updates_the_same_files(project: Path, tmp_path: Path) -> None:
    assert run_import(project).code == 0
    changed = tmp_path / "changed.xml"
    changed.write_bytes(
        EXPORT.read_bytes()
        .replace(b"<title>What renewals teach</title>", b"<title>What renewals taught us</title>")
        .replace(b"Level 4.", b"Level four.")
    )
    again = run_import(project, export=changed)
    assert again.code == 0, again.err
    assert "posts: 1 updated, 6 unchanged" in again.out
    assert "is the existing author" not in again.out  # the authors the first run added
    assert (
        front_matter(project.parent / POSTS / "what-renewals-teach.md")["title"] == "What renewals taught us"
    )
    assert len(list((project.parent / POSTS).glob("what-renewals-*.md"))) == 1
    assert "Level four." in str(comment(project.parent, "listening-before-pitching", 504)["body"])


def test_dry_run_writes_nothing(project: Path) -> None:
    before = snapshot(project.parent)
    result = run_import(project, "--dry-run", "--pages")
    assert result.code == 0
    assert "would create docs/blog/posts/listening-before-pitching.md" in result.out
    assert "would update mkdocs.yml" in result.out
    assert "files that would be written" in result.out
    assert snapshot(project.parent) == before


def test_dry_run_without_a_key_still_shows_the_comments(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KB_COMMENT_KEY")
    result = run_import(project, "--dry-run")
    assert result.code == 0 and "comments imported: 9 comment" in result.out
    assert "the import itself needs it" in result.out


def test_comments_are_refused_without_the_key(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KB_COMMENT_KEY")
    before = snapshot(project.parent)
    result = run_import(project)
    assert result.code == 1
    assert result.err.count("\n") == 1
    assert "approved comments need the comment key" in result.err and "--no-comments" in result.err
    assert snapshot(project.parent) == before
    posts_only = run_import(project, "--no-comments")
    assert posts_only.code == 0
    assert (project.parent / POSTS / "listening-before-pitching.md").is_file()
    assert not list((project.parent / "comments").rglob("wp-*.yml"))
    assert "not imported (--no-comments)" in posts_only.out


def test_defaults_skip_pages_and_pingbacks(project: Path) -> None:
    result = run_import(project)
    assert result.code == 0
    assert not (project.parent / "docs/pages").exists()
    assert "skipped page 2 ('About these notes'): a page (use --pages to import pages)" in result.out
    assert not (project.parent / "comments/listening-before-pitching/wp-512.yml").exists()
    assert "1 pingback (use --pingbacks to keep them)" in result.out
    assert "not_in_nav" not in (project.parent / "mkdocs.yml").read_text()


def test_only_published(project: Path) -> None:
    result = run_import(project, "--only-published")
    assert result.code == 0
    posts = {p.name for p in (project.parent / POSTS).iterdir()}
    assert "half-written-thoughts.md" not in posts and "awaiting-review.md" not in posts
    assert "next-quarters-plan.md" in posts  # scheduled posts are published, later


def test_author_map(project: Path, tmp_path: Path) -> None:
    mapping = tmp_path / "authors.yml"
    mapping.write_text("mara: ada-baker\n")
    result = run_import(project, "--author-map", str(mapping))
    assert result.code == 0, result.err
    assert front_matter(project.parent / POSTS / "listening-before-pitching.md")["authors"] == ["ada-baker"]
    assert "mara:" not in (project.parent / "docs/blog/.authors.yml").read_text()
    mapping.write_text("mara: nobody\n")
    bad = run_import(project, "--author-map", str(mapping))
    assert (
        bad.code == 1
        and "--author-map names authors that are not in docs/blog/.authors.yml: nobody" in bad.err
    )


def test_an_existing_file_not_from_the_import_is_never_overwritten(project: Path) -> None:
    mine = project.parent / POSTS / "listening-before-pitching.md"
    mine.write_text("---\ntitle: Mine\ndate: 2024-01-01\nauthors: [ada-baker]\n---\n\nMine.\n\n<!-- more -->\n")
    mine_comment = project.parent / "comments/listening-before-pitching/wp-501.yml"
    result = run_import(project)
    assert result.code == 0, result.err
    assert mine.read_text().startswith("---\ntitle: Mine")
    assert front_matter(project.parent / POSTS / "listening-before-pitching-2.md")["wordpress"]["id"] == 101  # type: ignore[index]
    assert not mine_comment.exists()
    assert (project.parent / "comments/listening-before-pitching-2/wp-501.yml").is_file()


@pytest.mark.parametrize(
    "content",
    [b"not xml", b"<?xml version='1.0'?><rss><channel/></rss>", EXPORT.read_bytes()[:5000]],
    ids=["text", "plain-rss", "truncated"],
)
def test_bad_input_exits_1_with_one_line_and_writes_nothing(
    project: Path, tmp_path: Path, content: bytes
) -> None:
    export = tmp_path / "export.xml"
    export.write_bytes(content)
    before = snapshot(project.parent)
    result = run_import(project, export=export)
    assert result.code == 1
    assert re.fullmatch(rf"{re.escape(str(export))}:\d+:\d+: [^\n]+\n", result.err)
    assert snapshot(project.parent) == before


def test_a_missing_export_is_one_line(project: Path, tmp_path: Path) -> None:
    result = run_import(project, export=tmp_path / "nope.xml")
    assert result.code == 1 and result.err.count("\n") == 1 and "cannot be read" in result.err


def test_a_generated_export_imports_and_passes_the_check(project: Path, tmp_path: Path) -> None:
    from wordpress_benchmark import generate

    export = tmp_path / "generated.xml"
    export.write_bytes(generate(30, 300))
    result = run_import(project, export=export)
    assert result.code == 0, result.err
    assert "posts: 30 created" in result.out
    assert len(list((project.parent / "comments").rglob("wp-*.yml"))) > 150
    checked = run_check(project)
    assert checked.code == 0, checked.err


def test_an_old_wxr_1_0_export_in_the_https_namespace(project: Path) -> None:
    result = run_import(project, export=DATA / "blog-1.0-https.xml")
    assert result.code == 0, result.err
    meta = front_matter(project.parent / POSTS / "three-questions.md")
    assert meta["authors"] == ["old-hand"]  # from dc:creator: WXR 1.0 lists no authors
    assert meta["categories"] == ["Strategy & planning"]
    assert meta["date"]["created"].isoformat() == "2008-11-03T17:45:00-05:00"  # type: ignore[index]
    assert meta["wordpress"]["redirect_from"] == ["/blog/2008/11/03/three-questions/", "/?p=12"]  # type: ignore[index]
    renee = comment(project.parent, "three-questions", 30)
    assert renee["author"] == "Renée" and "website" not in renee  # ftp: is not a website
    assert renee["date"] == "2008-11-04T13:00:00+00:00"  # no GMT date: the local one at the blog's offset
    assert run_check(project).code == 0


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_progress_bar_on_a_terminal_only() -> None:
    from kb_engine.cli.import_wordpress import _progress_bar

    assert _progress_bar(io.StringIO()) is None
    screen = _Terminal()
    show = _progress_bar(screen)
    assert show is not None
    show(25, 100)
    show(100, 100)
    assert screen.getvalue() == (
        "\rimporting [#######.......................] 25/100"
        "\rimporting [##############################] 100/100\n"
    )


def _two_logins_export(tmp_path: Path) -> Path:
    items = "".join(
        f"""<item><title>Post by {login}</title><link>https://x.example.com/{n}/</link>
<dc:creator>{login}</dc:creator><content:encoded><![CDATA[Text {n}.]]></content:encoded>
<wp:post_id>{n}</wp:post_id><wp:post_date>2020-01-0{n} 10:00:00</wp:post_date>
<wp:post_date_gmt>2020-01-0{n} 10:00:00</wp:post_date_gmt><wp:post_name>post-{n}</wp:post_name>
<wp:post_type>post</wp:post_type><wp:status>publish</wp:status>
<category domain="category" nicename="blank"><![CDATA[ ]]></category></item>"""
        for n, login in ((1, "john.doe"), (2, "john_doe"), (3, "κώστας"), (4, "μαρία"))
    )
    export = tmp_path / "logins.xml"
    export.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.1/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<channel><title>x</title><link>https://x.example.com</link><wp:wxr_version>1.1</wp:wxr_version>{items}"
        "</channel></rss>",
        encoding="utf-8",
    )
    return export


def test_logins_that_make_the_same_id_get_their_own_authors(project: Path, tmp_path: Path) -> None:
    export = _two_logins_export(tmp_path)
    result = run_import(project, export=export)
    assert result.code == 0, result.err
    authors = [front_matter(project.parent / POSTS / f"post-{n}.md")["authors"] for n in range(1, 5)]
    assert authors == [["john-doe"], ["john-doe-2"], ["author"], ["author-2"]]
    assert "categories" not in front_matter(
        project.parent / POSTS / "post-1.md"
    )  # a blank name is no category
    assert run_check(project).code == 0
    again = run_import(project, export=export)
    assert "files that were written: 0" in again.out


def test_a_file_that_cannot_be_read_is_not_overwritten_either(project: Path) -> None:
    broken = project.parent / POSTS / "what-renewals-teach.md"
    broken.write_text("---\ntitle: [unclosed\n---\nMine.\n")
    result = run_import(project, "--no-comments")
    assert result.code == 0, result.err
    assert broken.read_text() == "---\ntitle: [unclosed\n---\nMine.\n"
    assert (project.parent / POSTS / "what-renewals-teach-2.md").is_file()
