"""WordPress HTML to Markdown, the line-based edits of mkdocs.yml and the authors file, and staging."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
import yaml

from kb_engine.wordpress.convert import MORE, convert, escape_heading, wpautop
from kb_engine.wordpress.edits import (
    EditError,
    add_authors,
    add_categories,
    add_pattern,
    load_config_text,
    remove_pattern,
)

OLD = "https://old.example.com/2019/05/14/this-post/"


def md(html: str, resolve: dict[str, str] | None = None) -> str:
    return convert(html, OLD, lambda url: (resolve or {}).get(url)).markdown


def rendered(text: str) -> str:
    return markdown.markdown(text, extensions=["tables"])


def test_wpautop_makes_paragraphs_and_line_breaks_like_wordpress() -> None:
    html = wpautop("First line\nsecond line\n\nNext paragraph\n<ul>\n<li>item</li>\n</ul>\n<pre>a\n\nb</pre>")
    assert "<p>First line<br />\nsecond line</p>" in html
    assert "<p>Next paragraph</p>" in html
    assert "<li>item</li>" in html and "<p><li>" not in html
    assert "<pre>a\n\nb</pre>" in html  # kept verbatim


def test_block_editor_comments_are_removed_and_more_is_kept() -> None:
    text = md(
        "<!-- wp:paragraph -->\n<p>Opening.</p>\n<!-- /wp:paragraph -->\n<!-- wp:more -->\n"
        '<!--more Continue reading-->\n<!-- /wp:more -->\n<!-- wp:paragraph {"x":1} -->\n<p>Rest.</p>'
    )
    assert text == f"Opening.\n\n{MORE}\n\nRest.\n"
    assert "wp:" not in text


def test_without_more_the_excerpt_ends_after_the_first_paragraph() -> None:
    assert md("One.\n\nTwo.\n\nThree.") == f"One.\n\n{MORE}\n\nTwo.\n\nThree.\n"
    assert md("") == f"{MORE}\n"
    assert md("<h2>Heading</h2>\n\nText").startswith(f"## Heading\n\n{MORE}")


def test_unknown_shortcodes_stay_visible_text_never_links_and_are_named() -> None:
    converted = convert(
        '[gallery ids="1,2"](not a link) and [contact-form id="a"]Hi[/contact-form] [[audio]]',
        OLD,
        lambda url: None,
    )
    html = rendered(converted.markdown)
    assert '[gallery ids="1,2"](not a link)' in html  # no such attachments: kept as written
    assert '[contact-form id="a"]Hi[/contact-form]' in html
    assert "[audio]" in html and "[[audio]]" not in html  # WordPress's way to write one as text
    assert "<a " not in html
    assert converted.shortcodes == ["gallery", "contact-form"]


UPLOADS = "https://old.example.com/wp-content/uploads/2020/01"


def test_caption_gallery_embed_and_code_shortcodes_become_what_they_show() -> None:
    html = (
        "Intro.<!--more-->\n\n"
        f'[caption id="attachment_5" width="300"]<a href="{UPLOADS}/a.jpg">'
        f'<img src="{UPLOADS}/a-300x200.jpg" '
        'alt="A chart" /></a> Pipeline by <b>stage</b>[/caption]\n\n'
        '[caption caption="From the attribute"]<img src="/wp-content/uploads/b.png" alt="" />[/caption]\n\n'
        '[gallery ids="5, 6"]\n\n[gallery]\n\n'
        "[embed]https://www.youtube.com/watch?v=a_b[/embed]\n\nhttps://vimeo.com/1_2\n\n"
        '[sourcecode language="python"]\nif a &lt; b and c:\n    print("```")\n[/sourcecode]\n\n'
        "[code]plain[/code]"
    )
    converted = convert(
        html, OLD, lambda url: None,
        attachments={5: f"{UPLOADS}/a.jpg", 6: f"{UPLOADS}/c.pdf"}, children=[f"{UPLOADS}/d.png"],
    )
    text = converted.markdown
    assert f"[![A chart]({UPLOADS}/a-300x200.jpg)]({UPLOADS}/a.jpg)\n\n*Pipeline by **stage***" in text
    assert "![](https://old.example.com/wp-content/uploads/b.png)\n\n*From the attribute*" in text
    assert f"- [a.jpg]({UPLOADS}/a.jpg)\n- [c.pdf]({UPLOADS}/c.pdf)" in text
    assert f"- [d.png]({UPLOADS}/d.png)" in text  # no ids: the images attached to the post
    assert "<https://www.youtube.com/watch?v=a_b>" in text and "<https://vimeo.com/1_2>" in text
    assert '````python\nif a < b and c:\n    print("```")\n````' in text
    assert "```\nplain\n```" in text
    assert converted.shortcodes == []
    assert "gallery" not in rendered(text) and "caption" not in rendered(text)


def test_a_page_break_is_removed_and_noted() -> None:
    converted = convert("One.<!--more-->\n\nTwo.\n<!--nextpage-->\nThree.", OLD, lambda url: None)
    assert converted.had_nextpage and "nextpage" not in converted.markdown
    assert converted.markdown.endswith("Two.\n\nThree.\n")


def test_files_copied_beside_the_post_are_linked_relatively() -> None:
    converted = convert(
        f'<img src="{UPLOADS}/a.jpg" alt="A"> <a href="{UPLOADS}/c.pdf">the deck</a> '
        f'<img src="{UPLOADS}/gone.jpg">',
        OLD,
        lambda url: None,
        local=lambda url: "this-post/2020/01/a.jpg" if url.endswith("/a.jpg") else None,
    )
    assert "![A](this-post/2020/01/a.jpg)" in converted.markdown
    assert converted.copied == [f"{UPLOADS}/a.jpg"]
    assert converted.assets == [f"{UPLOADS}/c.pdf", f"{UPLOADS}/gone.jpg"]  # still on the old site: listed


@pytest.mark.parametrize(
    "text",
    [
        "# not a heading",
        "1. not a list",
        "- not a list",
        "> not a quote",
        "*not emphasis*",
        "a_b_c",
        "`not code`",
        "<b>not bold</b> as text",
        "AT&amp;amp;T &amp;copy; stays",
        "back\\slash",
        "a | b | c",
    ],
)
def test_text_stays_text(text: str) -> None:
    html = f"<p>{text.replace('<', '&lt;')}</p>"
    shown = rendered(md(html)).split("<!-- more -->")[0]
    from lxml import html as lxml_html

    expected = lxml_html.fromstring(html).text_content()
    assert lxml_html.fromstring(shown).text_content().strip() == expected.strip()


def test_links_images_and_files() -> None:
    html = (
        '<p>See <a href="https://old.example.com/2019/01/01/other/">other</a>, '
        '<a href="/2019/02/02/relative/">relative</a>, <a href="#note">a note</a>, '
        '<a href="mailto:a@example.org">mail</a>.</p>'
        '<p><img src="/wp-content/uploads/2019/05/a.png" alt="A" srcset="a-300.png 300w">'
        '<a href="https://old.example.com/wp-content/uploads/file.pdf">the PDF</a></p>'
    )
    result = convert(html, OLD, {"https://old.example.com/2019/01/01/other/": "other.md"}.get)
    text = result.markdown
    assert "[other](other.md)" in text
    assert "[relative](https://old.example.com/2019/02/02/relative/)" in text
    assert "a note" in text and "#note" not in text
    assert "](mailto:a@example.org)" in text
    assert "![A](https://old.example.com/wp-content/uploads/2019/05/a.png)" in text
    assert result.assets == [
        "https://old.example.com/wp-content/uploads/2019/05/a.png",
        "https://old.example.com/wp-content/uploads/file.pdf",
    ]


def test_non_ascii_and_emoji_survive() -> None:
    text = md("Η εμπιστοσύνη 信任需要时间 🤝")
    assert text.startswith("Η εμπιστοσύνη 信任需要时间 🤝")


def test_headings_are_escaped() -> None:
    assert (
        escape_heading("Why *partners* [sometimes] fail #2") == "Why \\*partners\\* \\[sometimes\\] fail #2"
    )


CONFIG = """\
site_name: X  # the name
plugins:
  - search
  # the blog
  - blog:
      categories_allowed:
        - Uncategorized   # default
        # more to come
        - "Value: selling"
      authors: true
hooks:
  - hooks/a.py
"""


def test_categories_are_added_in_place_and_comments_kept() -> None:
    result = add_categories(CONFIG, ["Sales / Renewals", "Ελληνικά", "yes", "a: b"])
    assert result.startswith(CONFIG.split('        - "Value')[0])
    assert "# more to come" in result and "site_name: X  # the name" in result
    data = load_config_text(result)
    assert data["plugins"][1]["blog"]["categories_allowed"] == [
        "Uncategorized",
        "Value: selling",
        "Sales / Renewals",
        "Ελληνικά",
        "yes",
        "a: b",
    ]
    assert data["plugins"][1]["blog"]["authors"] is True
    assert (
        result.replace(result.split('        - "Value: selling"\n')[1].split("      authors")[0], "")
        == CONFIG
    )


def test_a_flow_list_of_categories_becomes_a_block_list() -> None:
    result = add_categories(
        "plugins:\n  - blog:\n      categories_allowed: [A, B]\n      draft: false\n", ["C"]
    )
    assert load_config_text(result)["plugins"][0]["blog"] == {
        "categories_allowed": ["A", "B", "C"],
        "draft": False,
    }


def test_no_categories_list_is_an_error_saying_what_to_do() -> None:
    with pytest.raises(EditError, match="add these categories to it by hand: C"):
        add_categories("plugins:\n  - blog\n", ["C"])


def test_mkdocs_tags_are_kept() -> None:
    text = CONFIG + "extra:\n  key: !ENV [KB_X, 'default']\n"
    assert "!ENV [KB_X, 'default']" in add_categories(text, ["New"])


def test_not_in_nav_is_added_once() -> None:
    once = add_pattern(CONFIG, "not_in_nav", "/pages/", "Imported pages.")
    assert load_config_text(once)["not_in_nav"] == "/pages/\n"
    assert add_pattern(once, "not_in_nav", "/pages/", "Imported pages.") == once
    other = add_pattern("site_name: X\nnot_in_nav: |\n  /drafts/\n", "not_in_nav", "/pages/", "c")
    assert load_config_text(other)["not_in_nav"].split() == ["/pages/", "/drafts/"]


def test_a_draft_page_is_added_to_draft_docs_and_removed_once_published() -> None:
    one = add_pattern(CONFIG, "draft_docs", "/pages/a.md", "Drafts.")
    two = add_pattern(one, "draft_docs", "/pages/b.md", "Drafts.")
    assert load_config_text(two)["draft_docs"].split() == ["/pages/b.md", "/pages/a.md"]
    assert load_config_text(remove_pattern(two, "draft_docs", "/pages/b.md"))["draft_docs"].split() == [
        "/pages/a.md"
    ]
    assert "draft_docs:" not in remove_pattern(one, "draft_docs", "/pages/a.md")
    assert remove_pattern(CONFIG, "draft_docs", "/pages/a.md") == CONFIG


AUTHORS = """\
# Authors; avatars are files of the site.
authors:
  kb-team:
    name: Team
    description: Editors
    avatar: assets/authors/kb-team.svg
"""


def test_authors_are_appended_with_the_file_kept() -> None:
    result = add_authors(
        AUTHORS,
        [
            ("mara", {"name": "Mara O'Neill", "description": "d", "avatar": "a.svg"}),
            ("k", {"name": "Κώστας: #1", "description": "d", "avatar": "k.svg"}),
        ],
        "a.yml",
    )
    assert result.startswith(AUTHORS)
    assert yaml.safe_load(result)["authors"]["k"]["name"] == "Κώστας: #1"
    assert list(yaml.safe_load(result)["authors"]) == ["kb-team", "mara", "k"]


def test_embeds_and_empty_links() -> None:
    text = md(
        '<iframe src="https://video.example.org/embed/42"></iframe><p><a name="top">Top</a> '
        '<img src="" alt="nothing"> <a href="">empty</a></p>'
    )
    assert "<https://video.example.org/embed/42>" in text  # an autolink
    assert "Top" in text and "empty" in text and "![" not in text and "]()" not in text


def test_staging_writes_all_files_or_none(tmp_path: Path) -> None:
    from kb_engine.wordpress.staging import StagingError, write_all

    done = write_all(tmp_path, {tmp_path / "a/b.md": b"B", tmp_path / "c.md": b"C"})
    assert sorted(p.name for p in done) == ["b.md", "c.md"] and (tmp_path / "a/b.md").read_bytes() == b"B"
    (tmp_path / "blocker").write_text("a file where a folder must go")
    with pytest.raises(StagingError, match="blocker"):
        write_all(tmp_path, {tmp_path / "d.md": b"D", tmp_path / "blocker/e.md": b"E"})
    assert not (tmp_path / "d.md").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "blocker", "c.md"]  # no staging folder left
    with pytest.raises(StagingError, match="outside the project"):
        write_all(tmp_path / "a", {tmp_path / "c.md": b"X"})
