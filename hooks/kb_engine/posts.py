"""Validation of blog posts and the blog's authors file.

Material's blog plugin checks much of this itself, but its messages either
span several lines or do not name the file (an unknown author is reported as
``Couldn't find author 'x'``). These checks run first and say exactly which
file and line are wrong, so that the build, the content check and the tests
all report the same one-line messages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kb_engine.comments.settings import FRONT_MATTER_KEY, front_matter_problem
from kb_engine.frontmatter import Document, parse_document
from kb_engine.problems import Problem, did_you_mean
from kb_engine.vocabulary import tag_problems
from kb_engine.yamlfile import LineDict, YAMLProblem, load_yaml


@dataclass(frozen=True)
class BlogRules:
    """What a valid post may refer to."""

    authors: frozenset[str]
    categories_allowed: tuple[str, ...]  # empty: any category is allowed
    authors_file: str  # for messages
    excerpt_separator: str | None = None  # the marker every post needs; None: not required


# The fields of an author in Material's authors file (material.plugins.blog.author.Author).
AUTHOR_FIELDS = ("name", "description", "avatar", "slug", "url")


def parse_authors(
    text: str, file: str, avatar_exists: Callable[[str], bool] | None = None
) -> tuple[frozenset[str], list[Problem]]:
    """Author ids from ``.authors.yml``, and the problems found in it.

    ``avatar_exists``, when given, tells whether an avatar path names a file
    of the site; an avatar that does not is a problem.
    """
    try:
        data = load_yaml(text, file)
    except YAMLProblem as error:
        return frozenset(), [error.problem]
    if not isinstance(data, LineDict) or not isinstance(data.get("authors"), LineDict):
        return frozenset(), [Problem(file, 1, "expected a top-level `authors:` mapping")]
    authors: LineDict = data["authors"]
    problems: list[Problem] = [
        Problem(file, data.line_of(key), f"unknown top-level key `{key}` (only `authors:` is read)")
        for key in data
        if key != "authors"
    ]
    for author_id, entry in authors.items():
        line = authors.line_of(author_id)
        if not isinstance(entry, LineDict):
            problems.append(Problem(file, line, f"author '{author_id}': expected a mapping"))
            continue
        for key in entry:
            if key not in AUTHOR_FIELDS:
                problems.append(
                    Problem(
                        file,
                        entry.line_of(key),
                        f"author '{author_id}': unknown field `{key}` (allowed: {', '.join(AUTHOR_FIELDS)})",
                    )
                )
        for field in ("slug", "url"):
            if field in entry and not isinstance(entry[field], str):
                message = f"author '{author_id}': `{field}` must be text"
                problems.append(Problem(file, entry.line_of(field), message))
        for field in ("name", "description", "avatar"):
            if not isinstance(entry.get(field), str) or not entry[field].strip():
                problems.append(
                    Problem(
                        file,
                        entry.key_lines.get(field, line),
                        f"author '{author_id}': `{field}` is required",
                    )
                )
        avatar = entry.get("avatar")
        if isinstance(avatar, str) and "://" in avatar:
            problems.append(
                Problem(
                    file,
                    entry.line_of("avatar"),
                    f"author '{author_id}': avatar must be a file of this site, not a URL",
                )
            )
        elif isinstance(avatar, str) and avatar.strip() and avatar_exists and not avatar_exists(avatar):
            problems.append(
                Problem(
                    file,
                    entry.line_of("avatar"),
                    f"author '{author_id}': avatar '{avatar}' does not exist (put the image under docs/)",
                )
            )
    return frozenset(str(a) for a in authors), problems


def check_post(file: str, text: str, rules: BlogRules) -> list[Problem]:
    """Every problem in one post's front matter."""
    parsed = parse_document(text, file)
    if isinstance(parsed, Problem):
        return [parsed]
    return _check_meta(file, parsed, rules)


def check_posts(posts: Iterable[tuple[str, str]], rules: BlogRules) -> list[Problem]:
    """Check ``(file, text)`` pairs; returns all problems at once."""
    front_matter, markers = check_posts_apart(posts, rules)
    return front_matter + markers


def check_posts_apart(
    posts: Iterable[tuple[str, str]], rules: BlogRules,
    parse: Callable[[str, str], Document | Problem] = parse_document,
) -> tuple[list[Problem], list[Problem]]:
    """:func:`check_posts`, with missing excerpt markers apart (a preview only warns about them).

    ``parse`` is :func:`parse_document` or one that gives what it gives
    (:class:`~kb_engine.frontmatter.KeptDocuments`).
    """
    problems: list[Problem] = []
    documents: list[tuple[str, Document]] = []
    for file, text in posts:
        parsed = parse(text, file)
        if isinstance(parsed, Problem):
            problems.append(parsed)
            continue
        problems.extend(_check_meta(file, parsed, rules))
        documents.append((file, parsed))
    return problems, excerpt_problems(documents, rules)


Slugify = Callable[[str, str], str]
"""The blog plugin's ``post_slugify``: ``(text, separator) -> slug``."""


@dataclass(frozen=True)
class PostSource:
    """One post as read for the content check: where it is and what it says."""

    file: str  # as shown in messages
    doc: Document
    slug: str


def check_blog_posts(
    posts: Iterable[tuple[str, str]], rules: BlogRules, slugify: Slugify, separator: str = "-"
) -> tuple[list[PostSource], list[Problem]]:
    """Everything :func:`check_posts` finds, and posts that share a slug.

    Also returns the posts that could be read, with their slugs, for checks
    of files that refer to posts (comments).
    """
    problems: list[Problem] = []
    sources: list[PostSource] = []
    for file, text in posts:
        parsed = parse_document(text, file)
        if isinstance(parsed, Problem):
            problems.append(parsed)
            continue
        problems.extend(_check_meta(file, parsed, rules))
        problems.extend(excerpt_problems([(file, parsed)], rules))
        name = file.rsplit("/", 1)[-1].removesuffix(".md")
        sources.append(PostSource(file, parsed, post_slug(parsed, name, slugify, separator)))
    by_slug: dict[str, list[PostSource]] = {}
    for source in sources:
        by_slug.setdefault(source.slug, []).append(source)
    for slug, sharing in by_slug.items():
        if len(sharing) < 2:
            continue
        for source in sharing:
            others = ", ".join(sorted(s.file for s in sharing if s is not source))
            line = source.doc.meta.key_lines.get("slug") or source.doc.meta.key_lines.get("title") or 1
            problems.append(
                Problem(
                    source.file,
                    line,
                    f"slug '{slug}' is also the slug of {others}; each post needs its own `slug:` or title",
                )
            )
    return sources, problems


def excerpt_problems(posts: Iterable[tuple[str, Document]], rules: BlogRules) -> list[Problem]:
    """Posts without the excerpt marker the blog requires (drafts too: they fail once published)."""
    separator = rules.excerpt_separator
    if not separator:
        return []
    return [
        Problem(
            file,
            None,
            f"no `{separator}` excerpt marker: put it on a line of its own after the opening paragraph",
        )
        for file, doc in posts
        if separator not in doc.body
    ]


def post_title(doc: Document, file_name: str) -> str:
    """The title Material gives a post: front matter, first heading, or file name."""
    title = doc.meta.get("title")
    if isinstance(title, str) and title.strip():
        return title
    for line in doc.body.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("# "):
            return line.lstrip("# ")
        break
    name = file_name.replace("-", " ").replace("_", " ")
    return name.capitalize() if name.lower() == name else name


def post_slug(doc: Document, file_name: str, slugify: Slugify, separator: str = "-") -> str:
    """The slug Material gives a post: ``slug:`` from front matter, else its slugified title."""
    slug = doc.meta.get("slug")
    if isinstance(slug, str) and slug.strip():
        return slug
    return slugify(post_title(doc, file_name), separator)


def _check_meta(file: str, doc: Document, rules: BlogRules) -> list[Problem]:
    meta = doc.meta
    problems: list[Problem] = []

    def problem(key: str, message: str) -> None:
        problems.append(Problem(file, meta.line_of(key) or 1, message))

    if not meta:
        return [Problem(file, 1, "post has no front matter; it needs at least `date:` and `authors:`")]

    if "date" not in meta:
        problem("date", "`date` is required (for example `date: 2024-05-31`)")
    else:
        problems.extend(_check_date(file, meta, meta["date"]))

    authors = meta.get("authors")
    if authors is None:
        problem("authors", f"`authors` is required: a list of ids from {rules.authors_file}")
    elif not _is_list_of_str(authors) or not authors:
        problem("authors", "`authors` must be a non-empty list of author ids")
    else:
        for author in authors:
            if author not in rules.authors:
                known = ", ".join(sorted(rules.authors)) or "none"
                problem(
                    "authors",
                    f"unknown author '{author}'{did_you_mean(author, rules.authors)} "
                    f"(known: {known}; add it to {rules.authors_file})",
                )

    categories = meta.get("categories", [])
    if not _is_list_of_str(categories):
        problem("categories", "`categories` must be a list of category names")
    elif rules.categories_allowed:
        for category in categories:
            if category not in rules.categories_allowed:
                allowed = ", ".join(rules.categories_allowed)
                problem(
                    "categories",
                    f"category '{category}' is not allowed{did_you_mean(category, rules.categories_allowed)} "
                    f"(allowed: {allowed}; "
                    "see `categories_allowed` in mkdocs.yml)",
                )

    for key in ("title", "slug", "description"):
        if key in meta and not (isinstance(meta[key], str) and meta[key].strip()):
            problem(key, f"`{key}` must be a non-empty text")
    if "draft" in meta and not isinstance(meta["draft"], bool):
        problem("draft", "`draft` must be true or false")
    if "tags" in meta and not _is_list_of_str(meta["tags"]):
        problem("tags", "`tags` must be a list of tag names")
    if FRONT_MATTER_KEY in meta and (message := front_matter_problem(meta[FRONT_MATTER_KEY])):
        problem(FRONT_MATTER_KEY, message)
    if "tags" in meta and _is_list_of_str(meta["tags"]):
        line = meta.line_of("tags") or 1
        problems.extend(tag_problems(file, [(t, line) for t in meta["tags"]], rules.categories_allowed))
    return problems


def _check_date(file: str, meta: LineDict, value: Any) -> list[Problem]:
    line = meta.line_of("date")
    if isinstance(value, Mapping):
        problems: list[Problem] = []
        if "created" not in value:
            problems.append(Problem(file, line, "`date.created` is required"))
        for key, item in value.items():
            message = _date_problem(f"date.{key}", item)
            if message:
                where = value.line_of(key) if isinstance(value, LineDict) else line
                problems.append(Problem(file, where, message))
        return problems
    message = _date_problem("date", value)
    return [Problem(file, line, message)] if message else []


def _date_problem(field: str, value: Any) -> str | None:
    # Material's blog plugin takes only what YAML itself reads as a date or a
    # time: quoted text, or a time without seconds, stops its build.
    if isinstance(value, dt.date):
        return None
    if isinstance(value, str) and as_datetime(value) is not None:
        return (
            f"`{field}`: '{value}' is read as text, not a date (write it unquoted, "
            "as YYYY-MM-DD or YYYY-MM-DD HH:MM:SS+00:00)"
        )
    return f"`{field}`: '{value}' is not a date (use YYYY-MM-DD or an ISO 8601 time)"


def as_datetime(value: Any) -> dt.datetime | None:
    """A front-matter date as a datetime, or None if it is not one."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _is_list_of_str(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)
