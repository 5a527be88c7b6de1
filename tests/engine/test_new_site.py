"""`kb-engine new-site DIR`: a minimal site of its own, built strictly, with every feature and none
of this site's content; a folder that is not new or empty is refused with one line."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import lxml.html
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from enginesite import kb_engine, make_site
from feedcheck import check_feed
from sitebuild import PROJECT, Site, build_site

SITE_URL = "https://notes.example.org/"
POST_URL = "blog/2026/01/05/welcome/"
POST_COMMENT_FEED = "comments-blog-2026-01-05-welcome.xml"
# Words only this site's own content has: its essay, its author, its guides and its tree.
THIS_SITES_CONTENT = ("Brock", "partner-or-vendor", "partner-vs-vendor", "Partner or Vendor",
                      "good-customers", "Good Customers", "kb.example.org", "Vendor excellence")


@dataclass(frozen=True)
class NewSite:
    root: Path
    made: subprocess.CompletedProcess[str]
    site: Site


@pytest.fixture(scope="module")
def new_site(tmp_path_factory: pytest.TempPathFactory) -> NewSite:
    work = tmp_path_factory.mktemp("new-site")
    made = kb_engine("new-site", "mysite", cwd=work)
    assert made.returncode == 0, made.stderr
    root = work / "mysite"
    return NewSite(root, made, build_site(root / "mkdocs.yml", work / "built", strict=True))


def page(site: Site, url: str) -> lxml.html.HtmlElement:
    return site.html(url)


def test_it_writes_the_skeleton_and_names_the_next_two_commands(new_site: NewSite) -> None:
    from kb_engine.newsite import skeleton_files

    # The build adds .cache/ (the link cards' cache, which the skeleton's .gitignore names).
    written = sorted(p.relative_to(new_site.root).as_posix() for p in new_site.root.rglob("*")
                     if p.is_file() and ".cache" not in p.relative_to(new_site.root).parts)
    assert written == sorted(skeleton_files())
    for expected in ("mkdocs.yml", "README.md", ".gitignore", "docs/blog/.authors.yml", "docs/about.md",
                     "docs/decisions/post-or-guide.yml", "comments/welcome/20260106-5e1c0a11.yml"):
        assert expected in written
    assert (new_site.root / "overrides").is_dir()
    assert "mkdocs serve" in new_site.made.stdout and "mkdocs build --strict" in new_site.made.stdout
    readme = (new_site.root / "README.md").read_text("utf-8")
    for command in ("mkdocs serve", "mkdocs build --strict", "pip install mkdocs-kb-engine"):
        assert command in readme


def test_its_mkdocs_yml_uses_every_plugin_the_engine_registers() -> None:
    from kb_engine.newsite import skeleton_files

    registered = set(tomllib.loads((PROJECT / "pyproject.toml").read_text("utf-8"))
                     ["project"]["entry-points"]["mkdocs.plugins"])
    config = yaml.safe_load(skeleton_files()["mkdocs.yml"])
    used = {next(iter(p)) if isinstance(p, dict) else p for p in config["plugins"]}
    assert registered <= used, registered - used
    blog = next(p["kb-blog"] for p in config["plugins"] if isinstance(p, dict) and "kb-blog" in p)
    assert blog["post_excerpt"] == "required"
    assert config["theme"] == config["theme"] | {"name": "material", "custom_dir": "overrides"}


def test_it_builds_strictly_without_a_warning(new_site: NewSite) -> None:
    assert new_site.site.warnings == []
    assert (new_site.site.site_dir / "sitemap.xml").is_file()


@pytest.mark.parametrize(("name", "kind"), [("rss.xml", "rss"), ("atom.xml", "atom")])
def test_the_post_feeds_carry_the_post(new_site: NewSite, name: str, kind: str) -> None:
    data = new_site.site.path(name).read_bytes()
    assert check_feed(name, data, SITE_URL + name) == []
    parsed = feedparser.parse(data)
    assert parsed.bozo == 0 and parsed.version.startswith(kind)
    assert [e.title for e in parsed.entries] == ["Welcome to Team Notes"]
    assert parsed.entries[0].link == SITE_URL + POST_URL


def test_the_json_feed_carries_the_post(new_site: NewSite) -> None:
    data = new_site.site.path("feed.json").read_bytes()
    assert check_feed("feed.json", data, SITE_URL + "feed.json") == []
    feed = json.loads(data)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert [(i["title"], i["url"]) for i in feed["items"]] == [("Welcome to Team Notes", SITE_URL + POST_URL)]


def test_the_comment_is_under_the_post_and_in_both_comment_feeds(new_site: NewSite) -> None:
    post = page(new_site.site, POST_URL)
    authors = [a.text_content().strip() for a in post.xpath("//*[contains(@class,'kb-comment__author')]")]
    assert authors == ["Sam Example"]
    heads = post.xpath("//head/link[@rel='alternate'][@type='application/rss+xml']/@href")
    assert any(h.endswith(POST_COMMENT_FEED) for h in heads)
    for name in (POST_COMMENT_FEED, "comments.xml"):
        data = new_site.site.path(name).read_bytes()
        assert check_feed(name, data, SITE_URL + name) == []
        parsed = feedparser.parse(data)
        assert [e.author for e in parsed.entries] == ["Sam Example"], name
        assert parsed.entries[0].link == f"{SITE_URL}{POST_URL}#comment-20260106-5e1c0a11"


def test_the_tree_page_walks_its_steps_and_the_guide_links_back_to_it(new_site: NewSite) -> None:
    tree = page(new_site.site, "decisions/post-or-guide/")
    steps = {i for i in tree.xpath("//@id") if i.startswith("step-")}
    assert {"step-still-true", "step-one-question", "step-write-a-guide", "step-split-it",
            "step-write-a-post"} <= steps
    assert tree.xpath("//svg")  # the overview diagram
    assert new_site.site.path("decisions/post-or-guide.json").is_file()
    guide = page(new_site.site, "guides/writing-a-guide/")
    (box,) = guide.xpath("//aside[contains(@class,'kb-tree-backlinks')]")
    links = box.xpath(".//a/@href")
    assert "../../decisions/post-or-guide/#step-write-a-guide" in links
    assert "../../decisions/post-or-guide/#step-write-a-post" in links


def test_the_old_address_sends_readers_to_the_post(new_site: NewSite) -> None:
    moved = page(new_site.site, "news/welcome/")
    (refresh,) = moved.xpath("//meta[@http-equiv='refresh']/@content")
    assert refresh == f"0; url=../../{POST_URL}"
    assert moved.xpath("//link[@rel='canonical']/@href") == [SITE_URL + POST_URL]


def test_every_page_has_its_link_card(new_site: NewSite) -> None:
    pages = [p for p in new_site.site.files() if p.name == "index.html" and b"og:image" in p.read_bytes()]
    assert len(pages) >= 8
    for path in pages:
        (card,) = lxml.html.fromstring(path.read_bytes()).xpath("//meta[@property='og:image']/@content")
        assert card.startswith(SITE_URL + "assets/cards/") and card.endswith(".png")
        with Image.open(new_site.site.site_dir / urlsplit(card).path.lstrip("/")) as image:
            assert image.format == "PNG" and image.size == (1200, 630), path


def test_the_home_page_lists_the_latest_post(new_site: NewSite) -> None:
    home = page(new_site.site, "")
    titles = [a.text_content().strip() for a in home.xpath("//*[contains(@class,'kb-latest__title')]//a")]
    assert titles == ["Welcome to Team Notes"]
    assert "kb:latest-posts" not in new_site.site.text("")


def test_none_of_this_sites_content_is_in_it(new_site: NewSite) -> None:
    sources = [p for p in new_site.root.rglob("*") if p.is_file() and ".cache" not in p.parts]
    built = [p for p in new_site.site.files() if p.suffix in {".html", ".xml", ".json", ".txt"}]
    for path in [*sources, *built]:
        text = path.read_text("utf-8")
        for word in THIS_SITES_CONTENT:
            assert word not in text, (path, word)
        assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", text), path  # no e-mail address anywhere


def test_kb_engine_check_passes_on_it(new_site: NewSite) -> None:
    result = kb_engine("check", cwd=new_site.root)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "content check: no problems"


def test_a_folder_that_is_not_new_or_empty_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    full = tmp_path / "full"
    full.mkdir()
    (full / "notes.txt").write_text("mine\n")
    (tmp_path / "a-file").write_text("x\n")
    for target, reason in (("full", "exists and is not empty"), ("a-file", "exists and is not a folder"),
                           ("no/such/place", "does not exist")):
        before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
        result = kb_engine("new-site", target, cwd=tmp_path)
        assert result.returncode == 1 and result.stdout == ""
        assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"new-site: error: {target}: ")
        assert reason in result.stderr
        assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    assert (full / "notes.txt").read_text() == "mine\n"


def test_an_empty_folder_takes_it_and_nothing_is_written_beside_it(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "neighbour.txt").write_text("x\n")
    result = kb_engine("new-site", "empty", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty", "neighbour.txt"]
    assert (tmp_path / "empty" / "mkdocs.yml").is_file()


def test_a_template_in_the_sites_overrides_replaces_the_engines(tmp_path: Path) -> None:
    root = make_site(tmp_path / "mysite").parent
    partial = root / "overrides" / "partials" / "kb" / "latest-posts.html"
    partial.parent.mkdir(parents=True)
    partial.write_text('<ul class="our-latest">{% for post in posts %}<li>{{ post.title }}</li>{% endfor %}'
                       "</ul>\n", encoding="utf-8")
    site = build_site(root / "mkdocs.yml", tmp_path / "built", strict=True)
    home = site.html("")
    ours = home.xpath("//ul[@class='our-latest']/li")
    assert [li.text_content() for li in ours] == ["Welcome to Team Notes"]
    assert not home.xpath("//*[contains(@class,'kb-latest__post')]")


def test_a_sites_own_main_html_keeps_the_engines_additions(tmp_path: Path) -> None:
    root = make_site(tmp_path / "mysite").parent
    (root / "overrides" / "main.html").write_text(
        '{% extends "kb-main.html" %}\n{% block announce %}<p class="our-banner">Hello</p>{% endblock %}\n',
        encoding="utf-8")
    site = build_site(root / "mkdocs.yml", tmp_path / "built", strict=True)
    home = site.html("")
    assert home.xpath("//p[@class='our-banner']")  # the site's block
    assert home.xpath("//meta[@property='og:image']")  # the engine's head (partials/kb/head-meta.html)
    assert home.xpath("//link[@rel='alternate' and @type='application/rss+xml']")  # its feed links
    assert any("search-latest.js" in src for src in home.xpath("//script/@src"))  # its scripts block


# Names a folder may hold: any text a file system takes (no "/" or NUL, not "." or "..").
FILE_NAMES = st.text(st.characters(exclude_characters="/\x00", exclude_categories=("Cs",)), min_size=1,
                     max_size=30).filter(lambda n: n not in {".", ".."} and len(n.encode()) <= 200)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(FILE_NAMES, min_size=1, max_size=4, unique=True), folder=st.booleans())
def test_any_folder_with_anything_in_it_is_refused_untouched(tmp_path: Path, names: list[str],
                                                             folder: bool) -> None:
    from kb_engine.cli.new_site import main

    target = Path(tempfile.mkdtemp(dir=tmp_path))
    for name in names:
        if folder:
            (target / name).mkdir()
        else:
            (target / name).write_bytes(b"")
    before = sorted(p.relative_to(target) for p in target.rglob("*"))
    assert main([str(target)]) == 1
    assert sorted(p.relative_to(target) for p in target.rglob("*")) == before


def test_in_a_git_repository_it_builds_and_leaves_nothing_to_commit(tmp_path: Path) -> None:
    """The skeleton's .gitignore names what the build writes (site/, the link cards' cache)."""
    assert kb_engine("new-site", "mysite", cwd=tmp_path).returncode == 0
    root = tmp_path / "mysite"
    git = ["git", "-c", "user.name=Site Owner", "-c", "user.email=owner@example.org",
           "-c", "commit.gpgsign=false"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "A new site"]):
        subprocess.run([*git, *args], cwd=root, check=True, capture_output=True, timeout=60)
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q"], cwd=root,
                           capture_output=True, text=True, check=False, timeout=300)
    assert built.returncode == 0, built.stderr
    assert (root / "site" / "index.html").is_file() and (root / ".cache").is_dir()
    status = subprocess.run(["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True,
                            check=True, timeout=60)
    assert status.stdout == ""
