"""Comment files: read, validate and turn into :class:`Comment` values.

One approved comment is one YAML file, ``comments/<post-id>/<comment-id>.yml``
(see handbook/comments-and-moderation.md for the format). Every problem is reported as a
:class:`~kb_engine.problems.Problem` naming the file, the line and the field, and
all problems of all files are returned at once, so the build, the content
check and a moderator's CI run report exactly the same lines.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from kb_engine.comments.identity import is_email_hash
from kb_engine.comments.rules import (
    AUTHOR,
    BODY,
    WEBSITE,
    content_problems,
    may_hold_at_sign,
    published_text_problem,
)
from kb_engine.comments.rules import (
    shown as quoted,
)
from kb_engine.core.ids import COMMENT_ID_RULE, is_comment_id
from kb_engine.kept import Kept, text_key
from kb_engine.problems import Problem
from kb_engine.yamlfile import LineDict, YAMLProblem, load_yaml, load_yaml_quick

SUFFIX = ".yml"
# Far above what a comment within the limits of kb_engine.comments.rules takes, even
# with every character written as a YAML escape; a bigger file is not read.
FILE_MAX = 128 * 1024
FIELDS: tuple[str, ...] = (
    "id", "post", "author", "website", "date", "reply_to", "email_hash", "kind", "body",
)
# `kind`, optional: a pingback or trackback kept from an imported blog (a plain comment has none).
KINDS: frozenset[str] = frozenset({"pingback", "trackback"})
REQUIRED: frozenset[str] = frozenset({"id", "post", "author", "date", "body"})
_KNOWN = frozenset(FIELDS)
_REQUIRED_IN_ORDER = tuple(field for field in FIELDS if field in REQUIRED)
PUBLISHED_FIELDS = frozenset({AUTHOR, WEBSITE, BODY})


class Comment(NamedTuple):
    """One approved comment, validated (a named tuple: there can be tens of thousands)."""

    id: str
    post: str  # the post's path under the posts folder, without ".md"
    author: str
    website: str | None
    date: dt.datetime  # timezone-aware
    reply_to: str | None
    email_hash: str | None
    body: str  # as written: limited XHTML or plain text, not yet sanitised
    file: str  # as shown in messages
    reply_line: int | None = None  # the line of `reply_to` in the file, for messages
    kind: str | None = None  # "pingback" or "trackback" (kept from an imported blog); None for a comment


ParseKey = tuple[bytes, str, str, str, bool]
Parse = tuple[Comment | None, tuple[Problem, ...]]


class KeptParses(Kept[ParseKey, Parse]):
    """Comment files' parses kept from one build to the next (``mkdocs serve``'s rebuilds).

    Keyed on everything :func:`parse_comment` reads: the file's text (by its
    digest, :func:`~kb_engine.kept.text_key`), its name as shown, its stem and
    folder, and whether its post exists (the rules it applies are constants of
    the engine). A parse is a :class:`Comment` (an
    immutable named tuple) and a tuple of frozen :class:`Problem` values, so
    handing out the kept one gives exactly what parsing again would.
    """


def load_comments(
    comments_dir: Path, post_ids: set[str], display_root: Path, kept: KeptParses | None = None
) -> tuple[list[Comment], list[Problem]]:
    """Every valid comment under ``comments_dir`` and every problem found.

    ``post_ids`` are the posts comments may belong to; ``display_root`` is
    the folder file names in messages are relative to (the project folder).
    A missing ``comments_dir`` simply holds no comments. With ``kept`` (this
    build's store, started: :func:`kb_engine.kept.this_build`), a
    file whose parse is kept there is not parsed again (the files are still
    read, and every problem is reported as a fresh parse would).
    """
    comments: list[Comment] = []
    problems: list[Problem] = []
    shown_dir = _display(comments_dir, display_root)
    # Plain strings rather than Path objects: there can be tens of thousands.
    if os.path.islink(comments_dir):
        shown_link = os.path.relpath(comments_dir, display_root).replace(os.sep, "/")
        message = "is a symbolic link; the comments folder must be a plain folder"
        return [], [Problem(shown_link, None, message)]
    listed, links = _comment_files(comments_dir)
    for relative in links:
        problems.append(
            Problem(
                f"{shown_dir}/{_path_shown(relative)}",
                None,
                "is a symbolic link; a comment must be a plain file in the repository (replace the link "
                "with the file itself)",
            )
        )
    for relative in listed:
        shown = f"{shown_dir}/{_path_shown(relative)}"
        folder, _, name = relative.rpartition("/")
        if not name.endswith(SUFFIX):
            problems.append(Problem(shown, None, f"comment files end in `{SUFFIX}`; rename it"))
            continue
        if not folder:
            problems.append(
                Problem(shown, None, "a comment file belongs in its post's folder: comments/<post>/<id>.yml")
            )
            continue
        try:
            text = _read_text(os.path.join(comments_dir, relative))
        except UnicodeDecodeError as error:
            line = error.object[: error.start].count(b"\n") + 1
            problems.append(Problem(shown, line, "not UTF-8 text (save the file as UTF-8)"))
            continue
        except _TooBig as error:
            problems.append(
                Problem(shown, None, f"is {error.size} bytes; a comment file is at most {FILE_MAX} bytes")
            )
            continue
        except OSError as error:
            problems.append(Problem(shown, None, f"cannot be read ({error.strerror or error})"))
            continue
        stem = name[: -len(SUFFIX)]

        def parse(text: str = text, shown: str = shown, stem: str = stem, folder: str = folder) -> Parse:
            comment, found = parse_comment(text, shown, stem=stem, folder=folder, post_ids=post_ids)
            return comment, tuple(found)

        key = (text_key(text), shown, stem, folder, folder in post_ids)
        comment, found = kept.get(key, parse) if kept is not None else parse()
        problems.extend(found)
        if comment is not None:
            comments.append(comment)
    problems.extend(check_replies(comments))
    broken = {p.file for p in problems}
    return [c for c in comments if c.file not in broken], problems


class _TooBig(Exception):
    def __init__(self, size: int) -> None:
        self.size = size


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _read_text(path: str) -> str:
    """A file's text as ``open(path, encoding="utf-8-sig").read()`` gives it.

    Read with plain system calls and decoded here: with 10,000 comment files,
    Python's file objects cost more than the reading itself. Line ends are
    translated as text mode does (``\r\n`` and ``\r`` become ``\n``).
    """
    # O_NOFOLLOW: a symbolic link put in place after the folder was listed
    # is refused too (ELOOP), never followed out of the repository.
    fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
    try:
        size = os.fstat(fd).st_size
        if size > FILE_MAX:
            raise _TooBig(size)
        data = os.read(fd, size + 1)
        if len(data) != size:  # changed since, or a short read: read on to the end
            chunks = [data]
            while chunk := os.read(fd, 1 << 16):
                chunks.append(chunk)
                if sum(map(len, chunks)) > FILE_MAX:
                    raise _TooBig(sum(map(len, chunks)))
            data = b"".join(chunks)
    finally:
        os.close(fd)
    text = data.decode("utf-8-sig")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def check_comments(comments_dir: Path, post_ids: set[str], display_root: Path) -> list[Problem]:
    """All problems of all comment files under ``comments_dir`` (empty: all valid)."""
    return load_comments(comments_dir, post_ids, display_root)[1]


def parse_comment(
    text: str, file: str, *, stem: str, folder: str, post_ids: set[str]
) -> tuple[Comment | None, list[Problem]]:
    """One comment file's text: the comment, or None and its problems.

    ``stem`` and ``folder`` are the file's name without suffix and its folder
    under the comments folder: the ``id`` and ``post`` fields must match them.
    """
    # Most files are valid: read them without line bookkeeping first, and
    # only for a file with a problem parse again with lines for the messages.
    quick = load_yaml_quick(text)
    if isinstance(quick, LineDict):
        comment, problems = _validate(text, file, quick, stem=stem, folder=folder, post_ids=post_ids)
        if not problems:
            return comment, problems
    try:
        data = load_yaml(text, file)
    except YAMLProblem as error:
        return None, [_name_field(error.problem, text)]
    if not isinstance(data, LineDict):
        return None, [Problem(file, 1, "expected a mapping of `field: value` lines "
                                       "(see handbook/comments-and-moderation.md)")]
    return _validate(text, file, data, stem=stem, folder=folder, post_ids=post_ids)


def _validate(
    text: str, file: str, data: LineDict, *, stem: str, folder: str, post_ids: set[str]
) -> tuple[Comment | None, list[Problem]]:
    """The checks of :func:`parse_comment` on the parsed ``data`` of ``text``."""
    problems, address_lines = _raw_address_problems(text, file, data)

    def problem(field: str, message: str) -> None:
        problems.append(Problem(file, data.line_of(field) or 1, f"`{quoted(field)}`: {message}"))

    if not _KNOWN.issuperset(data):
        for key in data:
            if key not in _KNOWN:
                problem(key, f"unknown field (allowed: {', '.join(FIELDS)})")
    for key in _REQUIRED_IN_ORDER:
        if key not in data or data[key] is None or data[key] == "":
            problem(key, "is required")

    comment_id = _text(data, "id", problem)
    if comment_id is not None:
        if not is_comment_id(comment_id):
            problem(
                "id", f"'{quoted(comment_id)}' is not a comment id ({COMMENT_ID_RULE})"
            )
        elif comment_id != stem:
            problem("id", f"'{quoted(comment_id)}' must equal the file name ('{stem}{SUFFIX}')")

    post = _text(data, "post", problem)
    if post is not None:
        if post != folder:
            problem("post", f"'{quoted(post)}' must equal the folder the file is in ('{folder}')")
        elif post not in post_ids:
            problem("post", f"unknown post '{quoted(post)}' (no docs/.../posts/{quoted(post)}.md)")

    author = _text(data, "author", problem)
    if author is not None:
        author = author.strip()
    website = _text(data, "website", problem)
    date = _date(data, problem)

    reply_to = _text(data, "reply_to", problem)
    if reply_to is not None and not is_comment_id(reply_to):
        problem("reply_to", f"'{quoted(reply_to)}' is not a comment id")

    email_hash = _text(data, "email_hash", problem)
    if email_hash is not None and not is_email_hash(email_hash):
        problem("email_hash", "must be `hmac-sha256:` and 64 hex digits, as the intake writes it")

    kind = _text(data, "kind", problem)
    if kind is not None and kind not in KINDS:
        allowed = ", ".join(sorted(KINDS))
        problem("kind", f"'{quoted(kind)}' is not one of: {allowed} (leave it out for a comment)")

    body = _text(data, "body", problem)
    for found in content_problems(author, website, body):
        located = address_lines.get(found.field) if found.message.startswith("holds") else None
        if located:
            del address_lines[found.field]
        line = located[0] if located else data.line_of(found.field) or 1
        problems.append(Problem(file, line, f"`{found.field}`: {found.message}"))
    for field, (line, message) in address_lines.items():  # seen only in the file's text
        problems.append(Problem(file, line, f"`{quoted(field)}`: {message}"))

    if problems:
        return None, problems
    assert comment_id is not None and post is not None and author is not None
    assert date is not None and body is not None
    return Comment(
        id=comment_id,
        post=post,
        author=author,
        website=website,
        date=date,
        reply_to=reply_to,
        email_hash=email_hash,
        body=body,
        file=file,
        reply_line=_key_line(text, data, "reply_to") if reply_to is not None else None,
        kind=kind,
    ), []


def check_replies(comments: Iterable[Comment]) -> list[Problem]:
    """``reply_to`` must name a comment of the same post, without loops."""
    by_key = {(c.post, c.id): c for c in comments}
    problems: list[Problem] = []
    reported_loops: set[frozenset[tuple[str, str]]] = set()
    for comment in by_key.values():
        if comment.reply_to is None:
            continue
        parent = by_key.get((comment.post, comment.reply_to))
        if parent is None:
            problems.append(
                Problem(
                    comment.file,
                    comment.reply_line,
                    f"`reply_to`: unknown comment '{comment.reply_to}' (no comments/{comment.post}/"
                    f"{comment.reply_to}{SUFFIX})",
                )
            )
            continue
        loop = _loop_from(comment, by_key)
        if loop and frozenset((c.post, c.id) for c in loop) not in reported_loops:
            reported_loops.add(frozenset((c.post, c.id) for c in loop))
            first = min(loop, key=lambda c: c.file)
            start = loop.index(first)
            ordered = loop[start:] + loop[:start] + [first]
            chain = " -> ".join(c.id for c in ordered)
            problems.append(Problem(first.file, first.reply_line, f"`reply_to`: reply loop {chain}"))
    return problems


def _loop_from(comment: Comment, by_key: Mapping[tuple[str, str], Comment]) -> list[Comment]:
    """The comments of the loop ``comment`` is part of, in reply order; else []."""
    seen: list[Comment] = [comment]
    current = comment
    while current.reply_to is not None:
        parent = by_key.get((current.post, current.reply_to))
        if parent is None:
            return []
        if parent is comment:
            return seen
        if parent in seen:
            return []  # a loop further up; reported from one of its members
        seen.append(parent)
        current = parent
    return []


def _comment_files(comments_dir: Path) -> tuple[list[str], list[str]]:
    """Every ``.yml`` (and misnamed ``.yaml``) file under ``comments_dir``, hidden ones aside; and every link.

    As paths relative to ``comments_dir`` with ``/`` between parts, sorted
    part by part (the order of the same paths as Path objects). Symbolic
    links (to files or folders) are listed apart and never followed.
    """
    found: list[str] = []
    links: list[str] = []
    pending = [("", str(comments_dir))]
    while pending:
        prefix, folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue  # a missing comments folder holds no comments
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_symlink():
                links.append(prefix + entry.name)
            elif entry.is_dir():
                pending.append((prefix + entry.name + "/", entry.path))
            elif entry.name.endswith((SUFFIX, ".yaml")):
                found.append(prefix + entry.name)
    return sorted(found, key=_parts), sorted(links, key=_parts)


def _parts(relative: str) -> list[str]:
    return relative.split("/")


def _path_shown(relative: str) -> str:
    """A file's name for messages: a part of it that holds an address shows it elided."""
    return "/".join(quoted(part, limit=200) for part in relative.split("/"))


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _text(data: LineDict, field: str, problem: Any) -> str | None:
    """``data[field]`` if it is text; None (and a problem if present) otherwise."""
    value = data.get(field)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        problem(field, f"must be text, got {_kind(value)}")
        return None
    return value


def _date(data: LineDict, problem: Any) -> dt.datetime | None:
    value = data.get("date")
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            example = "2026-11-26T14:03:00+00:00"
            problem("date", f"'{quoted(value)}' is not an ISO 8601 date and time (e.g. {example})")
            return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            problem("date", f"'{value.isoformat()}' has no timezone (e.g. 2026-11-26T14:03:00+00:00)")
            return None
        return value
    if isinstance(value, dt.date):
        problem("date", f"'{value.isoformat()}' needs a time and a timezone (e.g. {value}T14:03:00+00:00)")
        return None
    problem("date", f"must be an ISO 8601 date and time with timezone, got {_kind(value)}")
    return None


def _kind(value: Any) -> str:
    if isinstance(value, LineDict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    return type(value).__name__


def _raw_address_problems(
    text: str, file: str, data: LineDict
) -> tuple[list[Problem], dict[str, tuple[int, str]]]:
    """An address written anywhere in the file itself (a YAML comment too), line by line.

    The published fields are checked on their decoded values by
    :func:`~kb_engine.comments.rules.content_problems`; this finds what only the
    file's text holds, and the line of an address in those fields (returned
    by field, for their messages).
    """
    problems: list[Problem] = []
    lines: dict[str, tuple[int, str]] = {}
    if not may_hold_at_sign(text) or published_text_problem(text) is None:
        return problems, lines  # no address, written or encoded (the common case)
    for number, row in enumerate(text.splitlines(), start=1):
        message = published_text_problem(row) if may_hold_at_sign(row) else None
        if message is None:
            continue
        field = _field_at(data, number)
        if field in PUBLISHED_FIELDS:
            lines.setdefault(field, (number, message))
            continue
        where = f"`{quoted(field)}`: " if field else ""
        problems.append(Problem(file, number, f"{where}{message}"))
    return problems, lines


_TOP_LEVEL_KEY = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]|$)")


def _name_field(problem: Problem, text: str) -> Problem:
    """A YAML error with the field it is in: the one whose value the parser was reading."""
    try:
        yaml.load(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.context_mark or error.problem_mark
        line = mark.line + 1 if mark else problem.line
    except (yaml.YAMLError, ValueError, RecursionError):  # an impossible date, a huge number, deep nesting
        line = problem.line
    else:
        line = problem.line
    field = None
    for number, row in enumerate(text.splitlines(), start=1):
        if line is None or number > line:
            break
        match = _TOP_LEVEL_KEY.match(row)
        if match:
            field = match.group(1)
    if field is None:
        return problem
    return Problem(problem.file, problem.line, f"`{quoted(field)}`: {problem.message}")


def _key_line(text: str, data: LineDict, key: str) -> int | None:
    """The line of a top-level ``key``: recorded by the parser, else found in the text (quick parse)."""
    if key in data.key_lines:
        return data.key_lines[key]
    at = 0 if text.startswith(key + ":") else text.find("\n" + key + ":") + 1
    return text.count("\n", 0, at) + 1 if at or text.startswith(key + ":") else None


def _field_at(data: LineDict, line: int) -> str | None:
    """The top-level field whose value spans ``line``."""
    best: tuple[int, str] | None = None
    for key, key_line in data.key_lines.items():
        if key_line <= line and (best is None or key_line > best[0]):
            best = (key_line, key)
    return best[1] if best else None
