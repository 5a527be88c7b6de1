"""Closing comments and the Reply link: the rules, and the built site.

Comments close per post (front matter ``comments: closed``) or site-wide
some days after a post was published (``plugins.kb-comments.close_after_days``,
which a post's ``comments: open`` overrides). A closed post keeps its thread
and feed, says "Comments are closed." instead of the form, offers no Reply
link, and is marked closed in the posts manifest for the intake service.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import feedparser
import pytest

from commentfixtures import THREAD, Fixture, add_thread
from enginesite import COMMENTS_POST as SOURCE_POST
from enginesite import COMMENTS_URL as SOURCE_URL
from htmlcheck import validate
from kb_engine.comments.settings import CommentSettings, comments_closed, front_matter_problem
from kb_engine.feeds.paths import post_comments_feed_path
from kb_engine.posts import BlogRules, check_post
from sitebuild import BuildFailed, Site, build_site, set_plugin_options

NOW = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)
POST_FILE = f"docs/blog/posts/{SOURCE_POST}.md"
INTAKE = "https://bread.example.org/comment"


# -- the rules ----------------------------------------------------------------

@pytest.mark.parametrize(
    ("front_matter", "published", "days", "closed"),
    [
        (None, dt.datetime(2009, 4, 6), None, False),  # no setting: open for ever
        ("closed", dt.datetime(2026, 11, 29), None, True),
        ("closed", None, 30, True),
        (None, dt.datetime(2026, 10, 30, 12, 0), 30, True),  # exactly 30 days: closed
        (None, dt.datetime(2026, 10, 30, 12, 1), 30, False),
        (None, dt.datetime(2026, 10, 30, 13, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))), 30, True),
        ("open", dt.datetime(2009, 4, 6), 30, False),  # kept open by hand
        (None, None, 30, False),  # no date known: open
    ],
)
def test_when_a_post_is_closed(front_matter: object, published: dt.datetime | None, days: int | None,
                               closed: bool) -> None:
    assert comments_closed(front_matter, published, NOW, days) is closed


@pytest.mark.parametrize("value", ["open", "closed"])
def test_the_front_matter_values(value: str) -> None:
    assert front_matter_problem(value) is None


@pytest.mark.parametrize("value", [True, False, "Closed", "no", 0, None, ["closed"]])
def test_other_front_matter_values_are_refused(value: object) -> None:
    assert front_matter_problem(value) == f"`comments` must be `open` or `closed`, got {value!r}"


def test_the_content_check_names_the_file_and_line_of_a_bad_value() -> None:
    text = "---\ndate: 2026-01-01\nauthors: [a]\ncomments: shut\n---\n\n# T\n\nText.\n\n<!-- more -->\n"
    problems = check_post("docs/blog/posts/t.md", text, BlogRules(frozenset({"a"}), (), ".authors.yml"))
    assert [str(p) for p in problems] == [
        "docs/blog/posts/t.md:4: `comments` must be `open` or `closed`, got 'shut'"
    ]


@pytest.mark.parametrize(
    ("raw", "value", "error"),
    [
        ({}, None, None),
        ({"close_after_days": None}, None, None),
        ({"close_after_days": 14}, 14, None),
        ({"close_after_days": 0}, None, "expected a whole number of at least 1, got 0"),
        ({"close_after_days": -3}, None, "expected a whole number of at least 1, got -3"),
        ({"close_after_days": True}, None, "expected a whole number of at least 1, got True"),
        ({"close_after_days": "14"}, None, "Expected type: <class 'int'> but received: <class 'str'>"),
    ],
)
def test_close_after_days_setting(raw: dict[str, object], value: int | None, error: str | None) -> None:
    settings = CommentSettings()
    settings.load_dict(raw)
    errors, warnings = settings.validate()
    assert warnings == []
    if error is None:
        assert errors == [] and settings.close_after_days == value
    else:
        assert [(name, str(e)) for name, e in errors] == [("close_after_days", error)]


# -- the built site -------------------------------------------------------------

def configure(config_file: Path, *, intake: bool = True, close_after_days: int | None = None) -> None:
    set_plugin_options(config_file, "kb-reply", intake_url=INTAKE if intake else None)
    if close_after_days is not None:
        set_plugin_options(config_file, "kb-comments", close_after_days=close_after_days)


def set_front_matter(project: Path, line: str) -> None:
    path = project / POST_FILE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"slug: {SOURCE_POST}\n", f"slug: {SOURCE_POST}\n{line}\n", 1), encoding="utf-8")


def manifest_closed(site: Site) -> bool:
    manifest = json.loads((site.site_dir / "comments" / "posts.json").read_text(encoding="utf-8"))
    [post] = [p for p in manifest["posts"] if p["id"] == SOURCE_POST]
    closed: bool = post["closed"]
    return closed


def test_an_open_post_has_a_reply_link_on_every_comment(engine_project: Path, tmp_path: Path) -> None:
    add_thread(engine_project.parent, SOURCE_POST)
    configure(engine_project)
    site = build_site(engine_project, tmp_path / "site")
    page = site.html(SOURCE_URL)
    links = page.xpath("//article[contains(@class, 'kb-comment')]//p[@class='kb-comment__reply']/a")
    assert [a.get("href") for a in links] == [f"?replytocom={c.id}#respond" for c in walk_order()]
    assert {a.text_content() for a in links} == {"Reply"}
    labels = [a.get("aria-label") for a in links]
    assert labels == [f"Reply to {c.author}" for c in walk_order()]
    # Each link's comment can be chosen in the form it leads to.
    options = page.xpath("//section[@id='respond']//select[@name='reply_to']/option/@value")
    assert {a.get("data-reply-to") for a in links} <= set(options)
    assert not manifest_closed(site)
    assert_valid_html(site, tmp_path / "open")


def assert_valid_html(site: Site, folder: Path) -> None:
    """The post page is valid HTML5 (the shipped site, with no form, is checked in test_html_valid)."""
    folder.mkdir()
    (folder / "post.html").write_bytes(site.path(SOURCE_URL).read_bytes())
    assert validate(folder) == []


def walk_order() -> list[Fixture]:
    """The fixture thread in page order (depth first, replies under their parent, oldest first)."""
    children: dict[str | None, list[Fixture]] = {}
    for fixture in sorted(THREAD, key=lambda f: (dt.datetime.fromisoformat(f.date), f.id)):
        children.setdefault(fixture.reply_to, []).append(fixture)
    found: list[Fixture] = []

    def walk(parent: str | None) -> None:
        for child in children.get(parent, []):
            found.append(child)
            walk(child.id)

    walk(None)
    return found


def assert_closed(site: Site) -> None:
    page = site.html(SOURCE_URL)
    assert page.xpath("//p[@id='respond'][@class='kb-reply__closed']/text()") == ["Comments are closed."]
    assert page.xpath("//form[contains(@class, 'kb-reply__form')] | //*[@id='reply-pending']") == []
    assert page.xpath("//a[@data-reply-to]") == []
    # The thread and its feed stay.
    assert len(page.xpath("//article[contains(@class, 'kb-comment')]")) == len(THREAD)
    feed = feedparser.parse(site.path(post_comments_feed_path(SOURCE_URL)).read_bytes())
    assert not feed.bozo and len(feed.entries) == len(THREAD)
    assert manifest_closed(site)


def test_a_post_closed_in_its_front_matter(engine_project: Path, tmp_path: Path) -> None:
    add_thread(engine_project.parent, SOURCE_POST)
    configure(engine_project)
    set_front_matter(engine_project.parent, "comments: closed")
    assert_closed(build_site(engine_project, tmp_path / "site"))


def test_posts_close_some_days_after_publication(engine_project: Path, tmp_path: Path) -> None:
    add_thread(engine_project.parent, SOURCE_POST)
    configure(engine_project, close_after_days=30)  # the post is from April 2026
    assert_closed(build_site(engine_project, tmp_path / "site"))


def test_a_post_kept_open_past_the_site_wide_limit(engine_project: Path, tmp_path: Path) -> None:
    add_thread(engine_project.parent, SOURCE_POST)
    configure(engine_project, close_after_days=30)
    set_front_matter(engine_project.parent, "comments: open")
    site = build_site(engine_project, tmp_path / "site")
    assert site.html(SOURCE_URL).xpath("//section[@id='respond']//form")
    assert not manifest_closed(site)


def test_a_bad_front_matter_value_stops_the_build_naming_the_line(engine_project: Path, tmp_path: Path) -> None:
    set_front_matter(engine_project.parent, "comments: false")
    with pytest.raises(BuildFailed) as failed:
        build_site(engine_project, tmp_path / "site")
    assert any(f"{POST_FILE}:3: `comments` must be `open` or `closed`, got False" in e
               for e in failed.value.errors), failed.value.errors


def test_a_bad_close_after_days_stops_the_build(engine_project: Path, tmp_path: Path) -> None:
    configure(engine_project, intake=False, close_after_days=0)
    with pytest.raises(BuildFailed) as failed:
        build_site(engine_project, tmp_path / "site")
    assert any("mkdocs.yml: plugins.kb-comments.close_after_days: expected a whole number of at least 1, got 0"
               in e for e in failed.value.errors), failed.value.errors
