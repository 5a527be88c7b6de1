"""The decision guides: front matter, length, navigation, links between them."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from mkdocs.config import load_config

from kb_engine.frontmatter import Document, parse_document
from sitebuild import PROJECT, Site

GUIDES_DIR = PROJECT / "docs" / "guides"
GUIDES = sorted(p for p in GUIDES_DIR.glob("*.md") if p.name != "index.md")
ALLOWED_TAGS = {
    "Diagnosis", "Partnerships", "Vendor excellence", "Value selling",
    "Strategic accounts", "Account review", "Procurement", "Reference",
}  # fmt: skip


def read(path: Path) -> Document:
    parsed = parse_document(path.read_text(encoding="utf-8"), str(path))
    assert isinstance(parsed, Document), parsed
    return parsed


def words(markdown: str) -> int:
    return len(re.findall(r"[A-Za-z0-9][\w'’-]*", markdown))


def nav_paths(items: list[object]) -> list[str]:
    found: list[str] = []
    for item in items:
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            for value in item.values():
                found.extend(nav_paths(value if isinstance(value, list) else [value]))
    return found


def test_there_are_at_least_eight_guides() -> None:
    assert len(GUIDES) >= 8


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.name)
def test_guide_front_matter_and_length(guide: Path) -> None:
    doc = read(guide)
    description = doc.meta.get("description")
    assert isinstance(description, str) and 40 <= len(description.strip()) <= 200
    tags = doc.meta.get("tags")
    assert isinstance(tags, list) and tags, "a guide needs at least one tag"
    assert set(tags) <= ALLOWED_TAGS
    assert 500 <= words(doc.body) <= 1200, words(doc.body)
    assert doc.body.lstrip().startswith(f"# {doc.meta['title']}")


def test_every_guide_and_the_index_are_in_the_navigation() -> None:
    config = load_config(str(PROJECT / "mkdocs.yml"))
    listed = set(nav_paths(config["nav"]))
    missing = {f"guides/{g.name}" for g in [*GUIDES, GUIDES_DIR / "index.md"]} - listed
    assert missing == set()


def test_guides_index_lists_every_guide_once_under_a_stage() -> None:
    body = read(GUIDES_DIR / "index.md").body
    stages = re.split(r"^## ", body, flags=re.M)[1:]
    assert len(stages) >= 4
    linked = re.findall(r"\]\(([a-z0-9-]+\.md)\)", body)
    assert sorted(set(linked)) == sorted(g.name for g in GUIDES)
    for stage in stages:
        for line in stage.splitlines()[1:]:
            if re.match(r"^\s*[-*] \[", line):
                assert re.search(r"\)\s*[:—–-]\s*\S", line), f"needs a one-line summary: {line}"


def content_links(site: Site, url: str) -> set[str]:
    """Absolute site paths linked from the article body of the page at ``url``."""
    page = site.html(url)
    base = "/" + url
    targets = set()
    for href in page.xpath("//article//a/@href"):
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith("#"):
            continue
        targets.add(urlsplit(urljoin(base, href)).path)
    return targets


def test_no_guide_is_an_orphan(real_site: Site) -> None:
    pages = [p.relative_to(real_site.site_dir).as_posix() for p in real_site.site_dir.rglob("index.html")]
    inbound: dict[str, set[str]] = {}
    for page in pages:
        url = page.removesuffix("index.html")
        for target in content_links(real_site, url):
            inbound.setdefault(target, set()).add("/" + url)
    for guide in GUIDES:
        url = f"/guides/{guide.stem}/"
        others = inbound.get(url, set()) - {url, "/guides/"}
        assert others, f"{guide.name} is linked only from the guides index (or nowhere)"


def test_guides_link_to_the_source_post_where_they_quote_it() -> None:
    for guide in GUIDES:
        body = read(guide).body
        if "Brock" in body:
            assert "../blog/posts/good-customers-good-vendors.md" in body, guide.name
