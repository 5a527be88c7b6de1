"""Comment files: the model's validation, one problem per mistake, all at once."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hostile_strategies import hostile_texts
from kb_engine.comments.model import (
    Comment,
    KeptParses,
    check_comments,
    check_replies,
    load_comments,
    parse_comment,
)
from kb_engine.problems import Problem

POSTS = {"good-customers-good-vendors", "2024/nested-post"}
FILE = "comments/good-customers-good-vendors/20261126-1a2b3c4d.yml"
HASH = "hmac-sha256:" + "0123456789abcdef" * 4

VALID = f"""\
id: 20261126-1a2b3c4d
post: good-customers-good-vendors
author: Ann Reader
website: https://ann.example.net/
date: 2026-11-26T14:03:00+00:00
reply_to: 20261125-00000000
email_hash: {HASH}
body: |
  First paragraph.

  Second <em>paragraph</em>.
"""


def parse(text: str, stem: str = "20261126-1a2b3c4d", folder: str = "good-customers-good-vendors"):
    file = f"comments/{folder}/{stem}.yml"
    return parse_comment(text, file, stem=stem, folder=folder, post_ids=POSTS)


def lines(problems: list[Problem]) -> list[str]:
    return [str(p) for p in problems]


def replace(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new)


def test_a_valid_comment() -> None:
    comment, problems = parse(VALID)
    assert problems == []
    assert comment == Comment(
        id="20261126-1a2b3c4d",
        post="good-customers-good-vendors",
        author="Ann Reader",
        website="https://ann.example.net/",
        date=dt.datetime(2026, 11, 26, 14, 3, tzinfo=dt.UTC),
        reply_to="20261125-00000000",
        email_hash=HASH,
        body="First paragraph.\n\nSecond <em>paragraph</em>.\n",
        file=FILE,
        reply_line=6,
    )


def test_optional_fields_may_be_left_out() -> None:
    text = (
        "id: c1\npost: good-customers-good-vendors\nauthor: A\ndate: '2026-11-26T14:03:00+02:00'\nbody: Hi\n"
    )
    comment, problems = parse(text, stem="c1")
    assert problems == [] and comment is not None
    assert comment.website is None and comment.reply_to is None and comment.email_hash is None
    assert comment.date.utcoffset() == dt.timedelta(hours=2)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("author: Ann Reader\n", "", f"{FILE}:1: `author`: is required"),
        ("body: |\n  First paragraph.\n\n  Second <em>paragraph</em>.\n", "body: '   '\n",
         f"{FILE}:8: `body`: the comment is empty"),
        ("id: 20261126-1a2b3c4d", "id: other-id", f"{FILE}:1: `id`: 'other-id' must equal the file name "
         "('20261126-1a2b3c4d.yml')"),
        ("id: 20261126-1a2b3c4d", "id: Bad_Id", f"{FILE}:1: `id`: 'Bad_Id' is not a comment id "
         "(lower-case letters, digits and '-', 1-64)"),
        ("post: good-customers-good-vendors", "post: another-post",
         f"{FILE}:2: `post`: 'another-post' must equal the folder the file is in "
         "('good-customers-good-vendors')"),
        ("website: https://ann.example.net/", "website: javascript:alert(1)",
         f"{FILE}:4: `website`: 'javascript:alert(1)' is not an http:// or https:// URL (e.g. https://example.net/)"),
        ("website: https://ann.example.net/", "website: https://",
         f"{FILE}:4: `website`: 'https://' is not an http:// or https:// URL (e.g. https://example.net/)"),
        ("date: 2026-11-26T14:03:00+00:00", "date: 2026-11-26T14:03:00",
         f"{FILE}:5: `date`: '2026-11-26T14:03:00' has no timezone (e.g. 2026-11-26T14:03:00+00:00)"),
        ("date: 2026-11-26T14:03:00+00:00", "date: 2026-11-26",
         f"{FILE}:5: `date`: '2026-11-26' needs a time and a timezone (e.g. 2026-11-26T14:03:00+00:00)"),
        ("date: 2026-11-26T14:03:00+00:00", "date: yesterday",
         f"{FILE}:5: `date`: 'yesterday' is not an ISO 8601 date and time (e.g. 2026-11-26T14:03:00+00:00)"),
        ("date: 2026-11-26T14:03:00+00:00", "date: [2026]",
         f"{FILE}:5: `date`: must be an ISO 8601 date and time with timezone, got a list"),
        ("reply_to: 20261125-00000000", "reply_to: ../../etc",
         f"{FILE}:6: `reply_to`: '../../etc' is not a comment id"),
        (f"email_hash: {HASH}", "email_hash: 5d41402abc4b2a76b9719d911017c592",
         f"{FILE}:7: `email_hash`: must be `hmac-sha256:` and 64 hex digits, as the intake writes it"),
        ("author: Ann Reader", "author: [Ann]", f"{FILE}:3: `author`: must be text, got a list"),
        ("author: Ann Reader", "author: " + "A" * 101,
             f"{FILE}:3: `author`: the name is 101 characters long; shorten it to at most 100"),
        ("author: Ann Reader", "author: \"Ann\\nReader\"",
             f"{FILE}:3: `author`: must be one line of text; join the lines"),
        ("author: Ann Reader", "author: Ann Reader\nrating: 5",
         f"{FILE}:4: `rating`: unknown field (allowed: id, post, author, website, date, reply_to, "
         "email_hash, kind, body)"),
        ("author: Ann Reader", "author: Ann Reader\nkind: like",
         f"{FILE}:4: `kind`: 'like' is not one of: pingback, trackback (leave it out for a comment)"),
    ],
)  # fmt: skip
def test_each_mistake_is_one_line_naming_file_line_and_field(old: str, new: str, expected: str) -> None:
    comment, problems = parse(replace(VALID, old, new))
    assert comment is None
    assert lines(problems) == [expected]


def test_an_impossible_date_is_a_yaml_problem_with_line() -> None:
    _, problems = parse(replace(VALID, "2026-11-26T14:03:00+00:00", "2026-13-26T14:03:00+00:00"))
    [problem] = problems
    assert problem.line == 5 and "is not a valid date" in problem.message
    assert problem.message.startswith("`date`: malformed YAML")


def test_unknown_post() -> None:
    text = replace(replace(VALID, "post: good-customers-good-vendors", "post: gone"), "", "")
    _, problems = parse(text, folder="gone")
    assert lines(problems) == [
        "comments/gone/20261126-1a2b3c4d.yml:2: `post`: unknown post 'gone' (no docs/.../posts/gone.md)"
    ]


def test_a_post_in_a_subfolder() -> None:
    text = replace(VALID, "post: good-customers-good-vendors", "post: 2024/nested-post")
    comment, problems = parse(text, folder="2024/nested-post")
    assert problems == [] and comment is not None and comment.post == "2024/nested-post"


def test_malformed_yaml_gives_line_and_column() -> None:
    _, problems = parse(replace(VALID, "author: Ann Reader", "author: [Ann"))
    [problem] = problems
    assert problem.file == FILE and problem.message.startswith("`author`: malformed YAML")
    assert "column" in problem.message


def test_duplicate_field() -> None:
    _, problems = parse(VALID + "author: Someone Else\n")
    [problem] = problems
    assert "duplicate key 'author' (first on line 3)" in problem.message
    assert problem.message.startswith("`author`: ")


def test_not_a_mapping() -> None:
    assert lines(parse("- just\n- a list\n")[1]) == [
        f"{FILE}:1: expected a mapping of `field: value` lines (see handbook/comments-and-moderation.md)"
    ]


def test_all_problems_of_a_file_at_once() -> None:
    text = "id: x\npost: nope\nauthor: ''\ndate: 2026-01-01\ncolour: red\n"
    _, problems = parse(text, stem="y")
    fields = sorted(p.message.split("`")[1] for p in problems)
    assert fields == ["author", "body", "colour", "date", "id", "post"]


@pytest.mark.parametrize(
    ("line", "where"),
    [
        ("author: ann.reader@example.com", "`author`"),
        ("website: https://example.net/?from=ann.reader@example.com", "`website`"),
        ("body: write to me at Ann.Reader@Example.COM", "`body`"),
        ("body: write to ann&#46;reader&#64;example&#46;com", "`body`"),
        ("body: write to ann.reader&commat;example.com", "`body`"),
        ("body: write to ann.reader%40example.com", "`body`"),
        ('body: <a href="mailto:ann.reader@example.com">mail</a>', "`body`"),
        ("# a note: ann.reader@example.com", None),
    ],
)
def test_an_email_address_anywhere_is_an_error(line: str, where: str | None) -> None:
    base = "id: c1\npost: good-customers-good-vendors\nauthor: A\ndate: 2026-11-26T14:03:00+00:00\nbody: Hi\n"
    if line.startswith("body:"):
        text = base.replace("body: Hi\n", line + "\n")
    elif line.startswith("#"):
        text = line + "\n" + base
    else:
        key = line.split(":")[0]
        text = "\n".join(line if row.startswith(key + ":") else row for row in base.splitlines()) + "\n"
        if key not in base:
            text = base + line + "\n"
    comment, problems = parse(text, stem="c1")
    assert comment is None
    [problem] = problems
    assert "holds an e-mail address (a…@example.com)" in problem.message.lower()
    assert "reader@" not in str(problem)  # the address is not repeated in logs
    if where:
        assert problem.message.startswith(where)


def test_an_at_sign_that_is_not_an_address_is_fine() -> None:
    text = replace(VALID, "First paragraph.", "Meet me @ the fair, or @someone on social media.")
    assert parse(text)[1] == []


# --- reply_to across files -------------------------------------------------


def comment(cid: str, reply_to: str | None = None, post: str = "p") -> Comment:
    return Comment(cid, post, "A", None, dt.datetime(2026, 1, 1, tzinfo=dt.UTC), reply_to, None, "b",
                   f"comments/{post}/{cid}.yml")  # fmt: skip


def test_reply_to_an_unknown_comment() -> None:
    assert lines(check_replies([comment("a"), comment("b", "zzz")])) == [
        "comments/p/b.yml: `reply_to`: unknown comment 'zzz' (no comments/p/zzz.yml)"
    ]


def test_reply_to_a_comment_of_another_post_is_unknown() -> None:
    assert len(check_replies([comment("a", post="other"), comment("b", "a")])) == 1


def test_a_reply_loop_is_reported_once() -> None:
    found = check_replies([comment("a", "c"), comment("b", "a"), comment("c", "b"), comment("d", "a")])
    assert lines(found) == ["comments/p/a.yml: `reply_to`: reply loop a -> c -> b -> a"]


def test_a_comment_replying_to_itself() -> None:
    assert lines(check_replies([comment("a", "a")])) == ["comments/p/a.yml: `reply_to`: reply loop a -> a"]


# --- a folder of comment files ---------------------------------------------


def write(root: Path, relative: str, text: str) -> None:
    path = root / "comments" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def good(cid: str, reply_to: str | None = None) -> str:
    extra = f"reply_to: {reply_to}\n" if reply_to else ""
    return (f"id: {cid}\npost: good-customers-good-vendors\nauthor: A\n"
            f"date: 2026-11-26T14:03:00+00:00\n{extra}body: Hi\n")  # fmt: skip


def test_check_comments_reports_every_file(tmp_path: Path) -> None:
    write(tmp_path, "good-customers-good-vendors/c1.yml", good("c1"))
    write(tmp_path, "good-customers-good-vendors/c2.yml", good("c2", reply_to="c1"))
    write(tmp_path, "good-customers-good-vendors/c3.yml", good("c3", reply_to="nope"))
    write(tmp_path, "good-customers-good-vendors/c4.yml", good("c4").replace("author: A\n", ""))
    write(tmp_path, "good-customers-good-vendors/c5.yaml", good("c5"))
    write(tmp_path, "stray.yml", good("stray"))
    write(tmp_path, "README.md", "notes for moderators")
    write(tmp_path, ".hidden/x.yml", "not: read")
    problems = check_comments(tmp_path / "comments", POSTS, tmp_path)
    assert lines(sorted(problems)) == [
        "comments/good-customers-good-vendors/c3.yml:5: `reply_to`: unknown comment 'nope' "
        "(no comments/good-customers-good-vendors/nope.yml)",
        "comments/good-customers-good-vendors/c4.yml:1: `author`: is required",
        "comments/good-customers-good-vendors/c5.yaml: comment files end in `.yml`; rename it",
        "comments/stray.yml: a comment file belongs in its post's folder: comments/<post>/<id>.yml",
    ]


def test_load_comments_returns_the_valid_ones(tmp_path: Path) -> None:
    write(tmp_path, "good-customers-good-vendors/c1.yml", good("c1"))
    write(tmp_path, "good-customers-good-vendors/c2.yml", good("c2", reply_to="c1"))
    comments, problems = load_comments(tmp_path / "comments", POSTS, tmp_path)
    assert problems == []
    assert [(c.id, c.reply_to) for c in comments] == [("c1", None), ("c2", "c1")]


def test_kept_parses_are_reused_only_while_their_inputs_are_the_same(tmp_path: Path) -> None:
    folder = tmp_path / "comments"
    write(tmp_path, "good-customers-good-vendors/c1.yml", good("c1"))
    write(tmp_path, "good-customers-good-vendors/c2.yml", good("c2", reply_to="c1"))
    write(tmp_path, "good-customers-good-vendors/c3.yml", good("c3").replace("author: A\n", ""))
    kept = KeptParses()

    def load(post_ids: set[str] = POSTS) -> tuple[list[Comment], list[Problem]]:
        kept.start()  # a build (kb-comments' on_config)
        loaded = load_comments(folder, post_ids, tmp_path, kept)
        assert loaded == load_comments(folder, post_ids, tmp_path)  # what a fresh parse gives
        return loaded

    first = load()
    assert (kept.parsed, kept.reused) == (3, 0)
    assert lines(first[1]) == ["comments/good-customers-good-vendors/c3.yml:1: `author`: is required"]
    assert load() == first and (kept.parsed, kept.reused) == (0, 3)  # a file still broken: the same problem
    write(tmp_path, "good-customers-good-vendors/c1.yml", good("c1").replace("body: Hi", "body: Edited"))
    write(tmp_path, "good-customers-good-vendors/c4.yml", good("c4"))
    edited = load()
    assert (kept.parsed, kept.reused) == (2, 2)
    assert [c.body for c in edited[0]] == ["Edited", "Hi", "Hi"]
    (folder / "good-customers-good-vendors" / "c2.yml").unlink()  # its parse is dropped with it
    load()
    assert (kept.parsed, kept.reused) == (0, 3) and len(kept._now) == 3
    # The post gone: every file of its folder is parsed again, and says so.
    gone = load({"2024/nested-post"})
    assert (kept.parsed, kept.reused) == (3, 0) and gone[0] == []
    assert all("unknown post" in p.message or "is required" in p.message for p in gone[1])


@st.composite
def comment_files(draw: st.DrawFn) -> list[tuple[str, str]]:
    """``(name, text)`` of a few comment files: valid ones, hostile field values, hostile text."""
    files = []
    for number in range(draw(st.integers(1, 4))):
        cid = f"c{number}"
        body, _ = draw(hostile_texts(max_pieces=3))
        text = draw(st.sampled_from((
            good(cid),
            good(cid, reply_to=f"c{number - 1}") if number else good(cid),
            good(cid).replace("body: Hi", "body: " + repr(body)),
            good(cid).replace("author: A", "author: '" + body.replace("'", "''") + "'"),
            body,
        )))
        files.append((f"{cid}.yml", text))
    return files


@settings(max_examples=25, deadline=None)
@given(comment_files(), st.data())
def test_a_kept_parse_gives_what_a_fresh_one_gives(files: list[tuple[str, str]], data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        kept = KeptParses()
        for name, text in files:
            (root / "comments" / "good-customers-good-vendors").mkdir(parents=True, exist_ok=True)
            (root / "comments" / "good-customers-good-vendors" / name).write_bytes(
                text.encode("utf-8", "surrogatepass"))

        def build() -> tuple[list[Comment], list[Problem]]:
            kept.start()  # kb-comments' on_config
            return load_comments(root / "comments", POSTS, root, kept)

        fresh = load_comments(root / "comments", POSTS, root)
        assert build() == fresh
        assert build() == fresh and kept.parsed == 0
        name, _ = data.draw(st.sampled_from(files))  # one file edited: parsed again, the rest kept
        write(root, f"good-customers-good-vendors/{name}", data.draw(st.sampled_from((good("c0"), "x: [", ""))))
        assert build() == load_comments(root / "comments", POSTS, root)
        assert kept.parsed <= 1


def test_a_missing_folder_holds_no_comments(tmp_path: Path) -> None:
    assert load_comments(tmp_path / "comments", POSTS, tmp_path) == ([], [])


@pytest.mark.parametrize(
    "data",
    [
        VALID.encode(),
        b"\xef\xbb\xbf" + VALID.encode(),  # a byte order mark
        VALID.replace("\n", "\r\n").encode(),  # Windows line ends
        VALID.replace("\n", "\r").encode(),  # old Mac line ends
        VALID.replace("First paragraph.", "First\r\rparagraph\r\n\r\n.").encode(),  # mixed
        "body: caf\u00e9 \u2028 \u0085 end\n".encode(),  # Unicode line separators are not line ends
        b"",  # empty
        ("body: " + "x" * 120_000 + "\n").encode(),  # larger than one read of a pipe or socket
    ],
)
def test_files_read_as_text_mode_reads_them(tmp_path: Path, data: bytes) -> None:
    from kb_engine.comments.model import _read_text

    path = tmp_path / "c.yml"
    path.write_bytes(data)
    with open(path, encoding="utf-8-sig") as stream:
        assert _read_text(str(path)) == stream.read()


def test_a_file_that_is_not_utf8_is_one_problem(tmp_path: Path) -> None:
    folder = tmp_path / "comments" / "good-customers-good-vendors"
    folder.mkdir(parents=True)
    (folder / "20261126-1a2b3c4d.yml").write_bytes(VALID.encode().replace(b"Ann", b"\xc1nn"))
    comments, problems = load_comments(tmp_path / "comments", POSTS, tmp_path)
    assert comments == [] and lines(problems) == [f"{FILE}:3: not UTF-8 text (save the file as UTF-8)"]


def test_a_file_that_cannot_be_read_is_one_problem(tmp_path: Path) -> None:
    folder = tmp_path / "comments" / "good-customers-good-vendors"
    folder.mkdir(parents=True)
    (folder / "20261126-1a2b3c4d.yml").mkdir()  # a folder with a comment file's name
    (folder / "20261126-1a2b3c4d.yml" / "x.yml").write_text(VALID, encoding="utf-8")
    comments, problems = load_comments(tmp_path / "comments", POSTS, tmp_path)
    assert comments == [] and problems


LINK = (
    "is a symbolic link; a comment must be a plain file in the repository "
    "(replace the link with the file itself)"
)


def test_symbolic_links_are_refused_never_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yml").write_text(VALID, encoding="utf-8")
    folder = tmp_path / "repo" / "comments" / "good-customers-good-vendors"
    folder.mkdir(parents=True)
    (folder / "20261126-1a2b3c4d.yml").symlink_to(outside / "secret.yml")  # a file outside the repository
    (folder / "20261126-00000000.yml").symlink_to(tmp_path / "nowhere.yml")  # a dangling link
    (tmp_path / "repo" / "comments" / "linked-post").symlink_to(outside, target_is_directory=True)
    comments, problems = load_comments(tmp_path / "repo" / "comments", POSTS, tmp_path / "repo")
    assert comments == []
    assert lines(problems) == [
        f"comments/good-customers-good-vendors/20261126-00000000.yml: {LINK}",
        f"{FILE}: {LINK}",
        f"comments/linked-post: {LINK}",
    ]
    (tmp_path / "linked").symlink_to(outside, target_is_directory=True)
    assert lines(load_comments(tmp_path / "linked", POSTS, tmp_path)[1]) == [
        "linked: is a symbolic link; the comments folder must be a plain folder"
    ]


def test_a_link_put_in_place_after_listing_is_not_followed(tmp_path: Path) -> None:
    from kb_engine.comments.model import _read_text

    (tmp_path / "target.yml").write_text(VALID, encoding="utf-8")
    (tmp_path / "link.yml").symlink_to(tmp_path / "target.yml")
    with pytest.raises(OSError):
        _read_text(str(tmp_path / "link.yml"))


def test_a_huge_file_is_refused_unread(tmp_path: Path) -> None:
    folder = tmp_path / "comments" / "good-customers-good-vendors"
    folder.mkdir(parents=True)
    (folder / "20261126-1a2b3c4d.yml").write_text(VALID + "  " + "x" * 200_000 + "\n", encoding="utf-8")
    comments, problems = load_comments(tmp_path / "comments", POSTS, tmp_path)
    assert comments == [] and len(problems) == 1
    assert problems[0].message.endswith("bytes; a comment file is at most 131072 bytes")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("reply_to", '"ann\\x40gmail.com"'),
        ("reply_to", '"ann\\u0040gm\\u0430il.com"'),
        ("reply_to", "' ann.45@<b></b>gmail.com '"),
        ("id", '"ann@gmail.com"'),
        ("kind", "ann@bücher.de"),
        ("date", '"ann@gmail.com"'),
        ("ann@gmail.com", "x"),
    ],
)
def test_messages_show_an_address_elided(field: str, value: str) -> None:
    """A message quoting what a file holds never repeats an address: CI logs are read by many."""
    base = "id: c1\npost: good-customers-good-vendors\nauthor: A\ndate: 2026-11-26T14:03:00+00:00\nbody: Hi\n"
    rows = [row for row in base.splitlines() if not row.startswith(field + ":")]
    text = "\n".join([*rows, f"{field}: {value}"]) + "\n"
    comment, problems = parse(text, stem="c1")
    assert comment is None and problems
    for problem in problems:
        assert "…@" in problem.message, problem.message
        assert "ann" not in problem.message.replace("…", ""), problem.message
