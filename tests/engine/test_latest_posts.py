"""The home page's latest posts (kb_engine.latest, kb-latest-posts) and the footer links (kb_engine.footer).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import markdown

from enginesite import POST_URLS
from kb_engine.footer import relink
from kb_engine.latest import PostSummary, excerpt_markdown, latest_posts, paragraphs_text, shorten
from sitebuild import Site, build_site


def summary(n: int, description: str | None = None) -> PostSummary:
    return PostSummary(
        src_uri=f"blog/posts/p{n}.md", url=f"blog/p{n}/", title=f"Post {n}",
        created=dt.datetime(2024, 1, n, tzinfo=dt.UTC), description=description,
        excerpt_markdown=f"Lead of **post {n}**.\n\n!!! note\n    Not this.\n",
    )


def test_the_excerpt_is_the_text_before_the_marker_without_the_title() -> None:
    text = "# Title\n\nFirst paragraph.\n\n<!-- more -->\n\nRest."
    assert excerpt_markdown(text, "<!-- more -->").strip() == "First paragraph."
    assert excerpt_markdown("# T\n\nNo marker.", "<!-- more -->") == ""


def test_summaries_are_cut_at_a_word_with_an_ellipsis() -> None:
    assert shorten("  a  short\ntext ", 40) == "a short text"
    assert shorten("one two three four five", 14) == "one two three…"
    assert paragraphs_text("<p>A <b>b</b></p><div><p>not</p></div><p>c</p>") == "A b c"


def test_the_newest_posts_first_with_date_and_summary() -> None:
    entries = latest_posts(
        [summary(1), summary(3, "Described."), summary(2)], 2, "",
        relative=lambda url, base: url, date_text=lambda d: f"{d.day}/{d.month}",
        to_html=lambda text: markdown.markdown(text, extensions=["admonition"]), summary_length=100,
    )
    assert [(e.title, e.href, e.date_text, e.summary) for e in entries] == [
        ("Post 3", "blog/p3/", "3/1", "Described."),
        ("Post 2", "blog/p2/", "2/1", "Lead of post 2."),
    ]


def test_the_home_page_lists_the_newest_published_posts(engine_site: Site) -> None:
    page = engine_site.html("")
    entries = page.xpath("//article//div[@class='kb-latest']/article")
    assert [e.xpath("string(.//a/@href)") for e in entries] == list(POST_URLS[:2])  # count: 2
    assert entries[0].xpath("string(.//time)") == "1 May 2026"
    assert "<!-- kb:latest-posts -->" not in engine_site.text("")


@dataclass(eq=False)
class Node:
    name: str
    view: bool = False
    previous_page: object = None
    next_page: object = None


def test_footer_links_step_over_generated_views() -> None:
    pages = [Node("home"), Node("blog"), Node("2009", True), Node("David", True), Node("guides")]
    relink(pages, lambda p: p.view)
    home, blog, year, author, guides = pages
    assert (home.previous_page, home.next_page) == (None, blog)
    assert (blog.previous_page, blog.next_page) == (home, guides)
    assert (guides.previous_page, guides.next_page) == (blog, None)
    assert year.previous_page is year.next_page is author.previous_page is author.next_page is None


def test_no_footer_link_names_a_generated_view(engine_site: Site) -> None:
    footer = "//a[contains(@class,'md-footer__link')]/@aria-label"
    assert engine_site.html("blog/").xpath(footer)
    for url in ("blog/", "blog/archive/2026/", "blog/author/ada-baker/", "blog/category/starters/"):
        labels = engine_site.html(url).xpath(footer)
        assert all("2026" not in label and "Ada Baker" not in label and "Starters" not in label
                   for label in labels), (url, labels)


def test_drafts_and_future_posts_stay_off_the_home_page(engine_project: Path, tmp_path: Path) -> None:
    posts = engine_project.parent / "docs" / "blog" / "posts"
    for name, extra in (("a-draft", "draft: true\n"), ("the-future", ""), ("fresh", "")):
        created = "2999-01-01" if name == "the-future" else "2026-12-01"
        (posts / f"{name}.md").write_text(
            f"---\ndate: {created}\nauthors: [ada-baker]\n{extra}---\n\n# {name}\n\nLead of {name}.\n\n"
            "<!-- more -->\n\nRest.\n",
            encoding="utf-8",
        )
    site = build_site(engine_project, tmp_path / "site")
    titles = site.html("").xpath("//div[@class='kb-latest']//h3/a/text()")
    assert titles == ["fresh", "What oven spring tells you about the proof"]
    summary = site.html("").xpath("string(//div[@class='kb-latest']//p[@class='kb-latest__summary'])")
    assert summary == "Lead of fresh."
