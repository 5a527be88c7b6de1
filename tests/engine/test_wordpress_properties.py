"""Properties of the WordPress import over generated exports: two blogs, any statuses, types and ids.

Each example writes two WXR documents (two blogs whose ids, slugs and old
paths overlap), with random statuses and post types, ids repeated within and
across the blogs, tags and categories in clashing spellings, nested
categories and comment threads, Unicode everywhere, and e-mail addresses on
every author and comment. Importing A, B, A, B must never fail with a
traceback, the second round must change nothing, the strict build must
pass, and no e-mail address may reach any file of the project or the site.

The suite runs a few examples (each is four imports and a build);
``benchmarks/wordpress_fuzz.py`` runs many more by hand.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enginesite import copy_engine_site
from sitebuild import build_site
from wpimport import KEY, run_check, run_import, snapshot
from wxrgen import C, I, wxr

SITES = ("https://a.example.com", "https://www.b.example.org/blog")
REPORT = "var/wordpress-import-report.json"
# Spellings that the site takes for one name ("template", "Templates"), and names in other scripts
VOCABULARY = (
    "Template",
    "template",
    "Templates",
    "Media",
    "média",
    "Sales tips",
    "sales-tips",
    "Sales Tip",
    "Κατηγορία",
    "κατηγορία",
    "日本語",
    "Cold calling",
    "cold-calling",
    "WordPress",
    "wordpress.tv",
)
STATUSES = ("publish", "publish", "publish", "draft", "pending", "future", "private", "trash", "auto-draft")
TYPES = ("post", "post", "post", "page", "page", "attachment", "nav_menu_item", "product")
# Characters an XML document can hold (no controls but tab and newline; no surrogates)
XML_TEXT = st.text(
    st.characters(
        blacklist_categories=("Cs", "Co"), blacklist_characters="\x00\ufffe\uffff", min_codepoint=9
    ).filter(lambda c: c in "\t\n" or ord(c) >= 32),
    max_size=24,
)
BODIES = st.one_of(
    XML_TEXT,
    st.sampled_from(
        [
            "<p>First.</p><!--more--><p>Second.</p>",
            '[caption id="a"]<img src="/wp-content/uploads/x.jpg" alt="x" /> A caption[/caption]',
            '[gallery ids="1,2,3"]\n\n[embed]https://video.example.net/v[/embed]',
            '[code lang="py"]print("<b>")[/code]<!--nextpage-->Two',
            'See <a href="https://a.example.com/?p=3">three</a> and https://b.example.org/blog/x/',
            "[unknown-shortcode x=1] text ]]> end",
        ]
    ),
)


@st.composite
def comments(draw: st.DrawFn, blog: int) -> list[C]:
    ids = draw(st.lists(st.integers(1, 15), max_size=5, unique=True))
    return [
        C(
            id,
            author=draw(st.one_of(XML_TEXT, st.just("A reader"))),
            email=f"reader{id}.blog{blog}@mail.example.net",
            content=draw(BODIES),
            approved=draw(st.sampled_from(["1", "1", "0", "spam", "trash"])),
            parent=draw(st.sampled_from([0, *ids])),
            type=draw(st.sampled_from(["", "", "comment", "pingback"])),
        )
        for id in ids
    ]


@st.composite
def items(draw: st.DrawFn, blog: int) -> list[I]:
    found: list[I] = []
    for _ in range(draw(st.integers(1, 6))):
        id = draw(st.integers(1, 8))  # few ids: repeated within a blog and across the two
        slug = draw(st.one_of(st.sampled_from(["hello-world", "about", "news", "%e6%97%a5"]), XML_TEXT))
        terms = st.lists(
            st.sampled_from(VOCABULARY).map(lambda n: (n.lower().replace(" ", "-"), n)), max_size=3
        )
        found.append(
            I(
                id,
                slug,
                title=draw(st.one_of(XML_TEXT, st.just(""))),
                type=draw(st.sampled_from(TYPES)),
                status=draw(st.sampled_from(STATUSES)),
                content=draw(BODIES),
                date=draw(
                    st.sampled_from(["2020-02-03 04:05:06", "2099-01-01 00:00:00", "2010-12-31 23:59:59"])
                ),
                link=draw(st.sampled_from(["", f"{SITES[blog]}/?p={id}", f"{SITES[blog]}//x/{id}/"])),
                password=draw(st.sampled_from(["", "", "", "secret"])),
                categories=draw(terms),
                tags=draw(terms),
                comments=draw(comments(blog)),
                creator=draw(st.sampled_from(["writer", "Writer", "κώστας"])),
            )
        )
    return found


def exports(draw_items: tuple[list[I], list[I]]) -> tuple[bytes, bytes]:
    cats = [(n.lower().replace(" ", "-"), n, "") for n in VOCABULARY[:3]] + [("child", "Child", "template")]
    first, second = (wxr(site, found, categories=cats) for site, found in zip(SITES, draw_items, strict=True))
    return first, second


def addresses(blogs: tuple[list[I], list[I]]) -> list[str]:
    found = ["writer@old.example.com"]
    for blog in blogs:
        found.extend(c.email for item in blog for c in item.comments)
    return found


def check_imports(blogs: tuple[list[I], list[I]], work: Path) -> None:
    config = copy_engine_site(work / "project")
    root = config.parent
    files = []
    for number, data in enumerate(exports(blogs)):
        path = work / f"blog-{number}.xml"
        path.write_bytes(data)
        files.append(path)
    rounds = []
    for _ in range(2):
        for export in files:
            result = run_import(config, "--pages", "--pingbacks", export=export)
            assert "Traceback" not in result.err, result.err
            assert result.code in (0, 1), result.err
            if result.code == 1:
                assert len(result.err.strip().splitlines()) == 1, result.err
        rounds.append({k: v for k, v in snapshot(root).items() if k != REPORT})
    assert rounds[0] == rounds[1], "the second round of imports changed files"
    check = run_check(config)
    assert check.code == 0, check.out + check.err
    site = build_site(config, work / "site")
    emails = [a.lower() for a in addresses(blogs)]
    for tree in (root, site.site_dir):
        for path in tree.rglob("*"):
            if path.is_file() and path.suffix in (".md", ".yml", ".yaml", ".json", ".html", ".xml", ".txt"):
                text = path.read_text(encoding="utf-8", errors="replace").lower()
                leaked = [a for a in emails if a in text]
                assert not leaked, f"{path}: {leaked}"


BLOGS = st.tuples(items(0), items(1))


@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
    database=None,
)
@given(BLOGS)
def test_two_generated_blogs_import_build_and_reimport_unchanged(blogs: tuple[list[I], list[I]]) -> None:
    run_example(blogs)


def run_example(blogs: tuple[list[I], list[I]]) -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KB_COMMENT_KEY", KEY)
        mp.delenv("KB_COMMENT_KEY_FILE", raising=False)
        with tempfile.TemporaryDirectory(prefix="kb-wp-prop-") as work:
            check_imports(blogs, Path(work))
