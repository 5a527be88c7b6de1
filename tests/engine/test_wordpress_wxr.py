"""Reading WXR exports: both namespaces, all three versions, and every kind of bad input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kb_engine.wordpress.wxr import WXRError, parse_export
from sitebuild import TEST_DATA

DATA = TEST_DATA / "wordpress"
MAIN = (DATA / "blog-1.2.xml").read_bytes()
LOCATED = re.compile(r"\A[^:]+:\d+:\d+: \S.*\Z")


def minimal(wp: str = "http://wordpress.org/export/1.2/", version: str = "1.2", item: str = "") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="{wp}" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>T</title>
<link>https://t.example.com</link>
<wp:wxr_version>{version}</wp:wxr_version>
{item}
</channel>
</rss>
""".encode()


ITEM = """<item><title>One</title><link>https://t.example.com/one/</link>
<content:encoded><![CDATA[Body]]></content:encoded>
<wp:post_id>1</wp:post_id><wp:post_date>2020-01-01 10:00:00</wp:post_date>
<wp:post_date_gmt>2020-01-01 09:00:00</wp:post_date_gmt>
<wp:post_type>post</wp:post_type><wp:status>publish</wp:status></item>"""


def error_of(data: bytes) -> WXRError:
    with pytest.raises(WXRError) as caught:
        parse_export(data, "export.xml")
    assert LOCATED.match(str(caught.value)), str(caught.value)
    assert "\n" not in str(caught.value)
    return caught.value


def test_the_fixture_reads_completely() -> None:
    export = parse_export(MAIN, "blog-1.2.xml")
    assert export.version == "1.2"
    assert [a.login for a in export.authors] == ["mara", "kostas"]
    assert export.authors[0].display_name == "Mara O&#039;Neill"  # entities are decoded by the importer
    assert {c.nicename: c.parent for c in export.categories}["renewals"] == "sales"
    posts = [i for i in export.items if i.post_type == "post"]
    assert [p.id for p in posts] == [101, 102, 103, 104, 105, 106, 107, 108, 109]
    first = posts[0]
    assert first.sticky and first.post_name == "listening-before-pitching"
    assert "<!--more-->" in first.content and first.excerpt.startswith("Why the first")
    assert len(first.comments) == 12
    assert first.comments[2].author == "Li Wei 李伟" and "🎧" in first.comments[2].content
    assert [c.parent for c in first.comments[:7]] == [0, 501, 502, 503, 504, 505, 506]
    assert sum(1 for t in posts[1].terms if t.domain == "post_tag") == 25


@pytest.mark.parametrize(
    ("namespace", "version"),
    [
        ("http://wordpress.org/export/1.0/", "1.0"),
        ("http://wordpress.org/export/1.1/", "1.1"),
        ("http://wordpress.org/export/1.2/", "1.2"),
        ("https://wordpress.org/export/1.0/", "1.0"),
        ("https://wordpress.org/export/1.1/", "1.1"),
        ("https://wordpress.org/export/1.2/", "1.2"),
    ],
)
def test_every_version_in_both_namespaces(namespace: str, version: str) -> None:
    export = parse_export(minimal(namespace, version, ITEM), "x.xml")
    assert export.version == version
    assert export.items[0].title == "One" and export.items[0].content == "Body"


def test_the_https_namespace_of_the_full_fixture() -> None:
    data = MAIN.replace(b"http://wordpress.org/export/1.2/", b"https://wordpress.org/export/1.2/")
    export = parse_export(data, "https.xml")
    assert len(export.items) == len(parse_export(MAIN, "http.xml").items)
    assert export.items[0].excerpt.startswith("Why the first")


def test_cdata_split_where_the_content_holds_the_end_marker() -> None:
    # WordPress writes "]]>" inside content by ending the section and starting another.
    # Other exporters split sections anywhere, even inside a word or an entity-like text.
    item = ITEM.replace(
        "<![CDATA[Body]]>",
        "<![CDATA[if a[i]]]]><![CDATA[>0 the <![CDATA[x]]><![CDATA[ te]]>"
        "<![CDATA[xt &am]]><![CDATA[p; ends]]>",
    )
    export = parse_export(minimal(item=item), "x.xml")
    assert export.items[0].content == "if a[i]]>0 the <![CDATA[x text &amp; ends"


def test_a_billion_laughs_file_is_refused_without_expanding() -> None:
    lol = (
        b'<?xml version="1.0"?>\n<!DOCTYPE rss [\n <!ENTITY a "lollollollollollollollollollol">\n'
        + b"".join(
            f' <!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">\n'.encode() for n in range(9)
        )
        + b"]>\n"
        + minimal(item=ITEM.replace("Body", "&j;")).split(b"\n", 1)[1]
    )
    error = error_of(lol)
    assert (error.line, error.column) == (2, 1)
    assert "DOCTYPE" in error.message


def test_an_external_entity_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read me")
    data = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>\n'.encode()
        + minimal(item=ITEM.replace("One", "&x;")).split(b"\n", 1)[1]
    )
    error = error_of(data)
    assert "DOCTYPE" in error.message and "do not read me" not in str(error)


def test_an_undeclared_entity_is_an_error_with_its_place() -> None:
    error = error_of(minimal(item=ITEM.replace("<title>One", "<title>One&nbsp;")))
    assert error.line == 8 and "nbsp" in error.message


@pytest.mark.parametrize(
    ("data", "line", "fragment"),
    [
        (b"", 1, "empty"),
        (b"This is not XML at all.\n", 1, "not well-formed"),
        (b'{"posts": []}', 1, "not well-formed"),
        (b'<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom"></feed>', 2, "<feed>"),
        (
            b'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Plain RSS</title></channel></rss>',
            2,
            "namespace",
        ),
        (minimal(version="2.0"), 7, "not supported"),
        (minimal(item=ITEM)[:-40], 12, "not well-formed"),
        (minimal(item=ITEM.replace("]]></content:encoded>", "</content:encoded>")), 15, "not well-formed"),
    ],
    ids=[
        "empty",
        "text",
        "json",
        "atom",
        "plain-rss",
        "version-2",
        "truncated",
        "unclosed-cdata",
    ],
)
def test_bad_input_is_one_located_line(data: bytes, line: int, fragment: str) -> None:
    error = error_of(data)
    assert error.line == line, str(error)
    assert fragment in error.message
    assert str(error).startswith(f"export.xml:{line}:")


@pytest.mark.parametrize(
    ("item", "line", "fragment"),
    [
        (ITEM.replace("<wp:post_id>1</wp:post_id>", ""), 8, "post_id"),
        (ITEM.replace("<wp:post_id>1<", "<wp:post_id>one<"), 10, "number"),
        (ITEM.replace("2020-01-01 09:00:00", "yesterday"), 11, "not a date"),
        (ITEM.replace("<wp:post_type>post</wp:post_type>", ""), 8, "post_type"),
    ],
    ids=["no-post-id", "bad-post-id", "bad-date", "no-post-type"],
)
def test_an_item_that_cannot_be_read_is_left_out_located_and_the_rest_is_read(
    item: str, line: int, fragment: str
) -> None:
    export = parse_export(minimal(item=item + ITEM.replace("<wp:post_id>1<", "<wp:post_id>2<")), "export.xml")
    assert [i.id for i in export.items] == [2]
    (error,) = export.unreadable
    assert error.line == line and fragment in error.message
    assert str(error).startswith(f"export.xml:{line}:")


def test_no_wxr_version_takes_the_namespace_s() -> None:
    export = parse_export(minimal(wp="http://wordpress.org/export/1.0/").replace(
        b"<wp:wxr_version>1.2</wp:wxr_version>", b""), "x.xml")
    assert export.version == "1.0"


def test_the_column_points_at_the_element() -> None:
    export = parse_export(minimal(item=ITEM.replace("<wp:post_id>1<", "<wp:post_id>one<")), "x.xml")
    assert export.unreadable[0].column == 1  # "<wp:post_id>" starts the line
    indented = "   " + ITEM.replace("<wp:post_type>post</wp:post_type>", "")
    export = parse_export(minimal(item=indented), "x.xml")
    assert export.unreadable[0].column == 4  # "<item>" after three spaces


def test_another_encoding_declared_is_read_and_a_wrong_one_is_refused() -> None:
    latin = minimal(item=ITEM.replace("One", "Caf\u00e9")).replace(b"UTF-8", b"ISO-8859-1")
    latin = latin.decode("utf-8").encode("latin-1")
    assert parse_export(latin, "x.xml").items[0].title == "Café"
    mislabelled = latin.replace(b"ISO-8859-1", b"UTF-8")
    error = error_of(mislabelled)
    assert error.line == 8 and "not valid UTF-8, the encoding it declares" in error.message
    utf16 = minimal(item=ITEM).decode().replace("UTF-8", "UTF-16").encode("utf-16")
    assert parse_export(utf16, "x.xml").items[0].title == "One"


def test_an_item_without_wordpress_dates_takes_its_rss_date() -> None:
    rss_date = "<pubDate>Tue, 14 May 2019 08:30:00 +0200</pubDate>"
    item = ITEM.replace("<wp:post_date>2020-01-01 10:00:00</wp:post_date>", "").replace(
        "<wp:post_date_gmt>2020-01-01 09:00:00</wp:post_date_gmt>", rss_date
    )
    (read,) = parse_export(minimal(item=item), "x.xml").items
    assert (read.date_local, read.date_gmt) == ("", "2019-05-14 06:30:00")
    undated = minimal(item=item.replace(rss_date, ""))
    assert "no <wp:post_date>" in parse_export(undated, "x.xml").unreadable[0].message
