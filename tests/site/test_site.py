"""The real site, built in-process with --strict, read with real parsers."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import lxml.html
import pytest

from sitebuild import PROJECT, Site, own_plugin_instances

POST_URL = "blog/2009/04/06/good-customers-good-vendors/"
POST_TITLE = "Sometimes All We Want Is Good Customers. Sometimes All Customers Want Is Good Vendors."
SITE_HOST = "kb.example.org"


def test_strict_build_has_no_warnings(real_site: Site) -> None:
    assert real_site.warnings == []


def test_source_post_page_has_title_author_date_and_category(real_site: Site) -> None:
    page = real_site.html(POST_URL)
    assert page.findtext(".//h1").strip() == POST_TITLE
    assert POST_TITLE in page.findtext(".//title")
    authors = [a.strip() for a in page.xpath("//div[contains(@class,'md-post__authors')]//strong//text()")]
    assert "David Brock" in authors
    dates = page.xpath("//time/@datetime")
    assert any(d.startswith("2009-04-06") for d in dates), dates
    categories = page.xpath("//ul[contains(@class,'md-post__meta')]//a[contains(@href,'category/')]")
    assert [(a.text.strip(), a.get("href")) for a in categories] == [
        ("Partnerships", "../../../../category/partnerships/")
    ]


def test_source_post_is_attributed_and_has_only_the_article(real_site: Site) -> None:
    page = real_site.html(POST_URL)
    article = page.xpath("//article")[0]
    for comments in article.xpath(".//section[@id='comments']"):
        comments.drop_tree()  # readers' comments follow the post; tests/engine/test_comments_site.py
    for box in article.xpath(".//aside[contains(@class,'kb-tree-backlinks')]"):
        box.drop_tree()  # the decision trees' backlink box, added after the post's text
    for box in article.xpath(".//aside[@id='comment-feed']"):
        box.drop_tree()  # what the post's comment feed is, after the comments
    text = article.text_content()
    assert "Republished with attribution" in text
    assert "David Brock" in text and "6 April 2009" in text
    for chrome in ("Skip to content", "Leave a Reply", "XHTML is allowed", "From →", "No comments yet"):
        assert chrome not in text
    assert "70-80% fail" in text
    assert text.strip().endswith("Then I want them to sell to me.")


def test_source_post_paragraphs_match_the_seed_verbatim(real_site: Site) -> None:
    seed = (PROJECT.parent / "shared" / "seed" / "source-post.txt")
    if not seed.exists():
        pytest.skip("shared/seed is not beside this checkout")
    lines = seed.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("by David Brock")) + 1
    end = next(i for i, line in enumerate(lines) if line.startswith("From →"))
    expected = [line.strip() for line in lines[start:end] if line.strip()]
    page = real_site.html(POST_URL)
    # The essay's paragraphs: the byline under the title is a paragraph of its own.
    paragraphs = [
        p.text_content().strip() for p in page.xpath("//article/p[not(contains(@class, 'kb-byline'))]")
    ]
    assert paragraphs == expected


@pytest.mark.parametrize(
    "url",
    ["blog/", "blog/archive/2009/", "blog/category/partnerships/", "blog/author/david-brock/"],
)
def test_blog_views_list_the_source_post(real_site: Site, url: str) -> None:
    page = real_site.html(url)
    links = [a.get("href") for a in page.xpath("//article//h2/a")]
    assert any(href.rstrip("/").endswith("2009/04/06/good-customers-good-vendors") for href in links), links
    excerpt = page.xpath("//article")[0].text_content()
    assert "With this post" in excerpt
    assert "I’m reacting" not in excerpt  # the excerpt stops at the separator


def test_search_index_contains_the_post(real_site: Site) -> None:
    index = json.loads(real_site.text("search/search_index.json"))
    locations = {doc["location"] for doc in index["docs"]}
    assert POST_URL in locations
    body = " ".join(doc["text"] for doc in index["docs"] if doc["location"].startswith(POST_URL))
    assert "Partnerships are tough" in body


def test_home_page_leads_to_blog_guides_and_decision_tree(real_site: Site) -> None:
    page = real_site.html("")
    hrefs = set(page.xpath("//article//a/@href"))
    for target in ("blog/", "guides/", "decisions/partner-vs-vendor/"):
        assert target in hrefs, sorted(hrefs)
    # The decision tree leads: the first card, with a button to start it.
    [first_card] = page.xpath("(//article//div[contains(@class,'kb-home')]/ul/li)[1]")
    assert first_card.xpath(".//a[contains(@class,'md-button')]/@href") == ["decisions/partner-vs-vendor/"]
    tabs = [t.strip() for t in page.xpath("//nav[contains(@class,'md-tabs')]//a/text()") if t.strip()]
    assert tabs[:4] == ["Home", "Blog", "Guides", "Decision tree"]


def test_palette_has_light_and_dark_schemes(real_site: Site) -> None:
    page = real_site.html("")
    schemes = page.xpath("//form[@data-md-component='palette']/input/@data-md-color-scheme")
    assert schemes == ["default", "slate"]


_URL_ATTRS = ("href", "src", "srcset", "action", "poster", "data")


def _urls_in(path_text: str, suffix: str) -> list[str]:
    if suffix == ".html":
        doc = lxml.html.fromstring(path_text)
        urls = [value for attr in _URL_ATTRS for value in doc.xpath(f"//@{attr}")]
        urls += re.findall(r"url\(\s*['\"]?([^)'\"]+)", path_text)
        return urls
    return re.findall(r"url\(\s*['\"]?([^)'\"]+)", path_text)


def test_nothing_in_the_site_refers_to_a_third_party_host(real_site: Site) -> None:
    offending = []
    for path in real_site.files():
        if path.suffix not in (".html", ".css"):
            continue
        for url in _urls_in(path.read_text(encoding="utf-8"), path.suffix):
            parts = urlsplit(url.strip())
            if parts.scheme in ("http", "https") or url.strip().startswith("//"):
                if parts.hostname != SITE_HOST:
                    offending.append(f"{path.relative_to(real_site.site_dir)}: {url}")
    assert offending == []


def test_the_shipped_site_has_no_catch_all_category(real_site: Site) -> None:
    """Every post has a real category: "Uncategorized" (WordPress's default) appears nowhere."""
    for path in real_site.files():
        if path.suffix in (".html", ".xml", ".json", ".txt"):
            text = path.read_text(encoding="utf-8", errors="replace").lower()
            assert "uncategorized" not in text, path.relative_to(real_site.site_dir)
        assert "uncategorized" not in path.relative_to(real_site.site_dir).as_posix().lower()


def test_every_markdown_extension_of_the_site_is_vetted_by_kb_blog() -> None:
    """A new extension must be read for state it keeps between conversions, then vetted
    (kb_engine.compat.fastblog.excerpts); until then every excerpt is converted twice."""
    from mkdocs.config import load_config

    from kb_engine.compat.fastblog.excerpts import vetted

    with own_plugin_instances():
        config = load_config(str(PROJECT / "mkdocs.yml"))
    assert vetted(config.markdown_extensions), config.markdown_extensions
