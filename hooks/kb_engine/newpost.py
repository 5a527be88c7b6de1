"""Scaffold a new blog post: choose its slug, check the inputs, write its text.

Plain functions: the command (kb_engine.cli.new_post) gathers the facts (authors,
allowed categories, slugs in use) and writes the file; everything decided
in between is here and tested without a terminal or a file system.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import yaml

from kb_engine.posts import Slugify
from kb_engine.problems import Problem, did_you_mean

EXCERPT_PLACEHOLDER = (
    "Write the opening paragraph here. It is the excerpt: the blog's lists show it, "
    "with a link to the whole post."
)
BODY_PLACEHOLDER = "Write the rest of the post here."


@dataclass(frozen=True)
class Author:
    id: str
    name: str


@dataclass(frozen=True)
class SlugOwner:
    """A post that already has a slug: where it is, and the line that sets it."""

    file: str
    line: int | None


@dataclass(frozen=True)
class NewPostRequest:
    title: str
    slug: str | None
    authors: tuple[str, ...]
    categories: tuple[str, ...]
    publish: bool


@dataclass(frozen=True)
class NewPost:
    title: str
    slug: str
    created: dt.datetime
    authors: tuple[str, ...]
    categories: tuple[str, ...]
    draft: bool


@dataclass(frozen=True)
class Context:
    """What the scaffold must agree with."""

    authors: Sequence[Author]
    authors_file: str
    categories_allowed: Sequence[str]  # empty: any category
    config_file: str
    slugs_in_use: Mapping[str, SlugOwner]
    slugify: Slugify
    separator: str = "-"


def plan_post(request: NewPostRequest, context: Context, now: dt.datetime) -> NewPost | list[Problem]:
    """The post to write, or every reason it cannot be written."""
    problems: list[Problem] = []

    def argument_problem(message: str) -> None:
        problems.append(Problem("new-post", None, message))

    title = request.title.strip()
    if not title:
        argument_problem("the title is empty")
    elif "\n" in title or "\r" in title:
        argument_problem("the title must be one line")

    slug = ""
    if request.slug is not None:
        slug = request.slug.strip()
        proper = context.slugify(slug, context.separator)
        if not slug or slug != proper or "/" in slug:
            hint = f" (try '{proper}')" if proper and proper != slug else ""
            argument_problem(f"--slug '{request.slug}' is not a slug: use lowercase words joined by "
                             f"'{context.separator}'{hint}")
            slug = ""
    elif title:
        slug = context.slugify(title, context.separator)
        if not slug:
            argument_problem(f"the title '{title}' gives an empty slug; choose one with --slug")
    if slug:
        owner = context.slugs_in_use.get(slug)
        if owner is not None:
            problems.append(
                Problem(owner.file, owner.line,
                        f"slug '{slug}' is already used by this post; choose another title or --slug")
            )

    known = {author.id for author in context.authors}
    if not request.authors:
        argument_problem(f"choose an author with --author ({_known(known)})")
    for author in request.authors:
        if author not in known:
            problems.append(
                Problem(context.authors_file, None,
                        f"no author '{author}'{did_you_mean(author, known)} ({_known(known)}; add it here)")
            )

    if context.categories_allowed:
        for category in request.categories:
            if category not in context.categories_allowed:
                problems.append(
                    Problem(
                        context.config_file,
                        None,
                        f"category '{category}' is not in the blog's categories_allowed"
                        f"{did_you_mean(category, context.categories_allowed)} "
                        f"(allowed: {', '.join(context.categories_allowed)})",
                    )
                )
    if problems:
        return problems
    return NewPost(
        title=title,
        slug=slug,
        created=now.replace(microsecond=0),
        authors=tuple(dict.fromkeys(request.authors)),
        categories=tuple(dict.fromkeys(request.categories)),
        draft=not request.publish,
    )


def _known(ids: set[str]) -> str:
    return "known: " + (", ".join(sorted(ids)) or "none")


def post_text(post: NewPost) -> str:
    """The Markdown file: front matter Material's blog reads, a heading, an excerpt."""
    meta: dict[str, object] = {
        "title": post.title,
        "slug": post.slug,
        # A datetime with its UTC offset; YAML reads it back as a timestamp,
        # which is what the blog plugin needs (quoted text would not do).
        "date": {"created": post.created},
        "authors": list(post.authors),
    }
    if post.categories:
        meta["categories"] = list(post.categories)
    if post.draft:
        # Published posts leave `draft` out, so that a future date still
        # keeps them back until it has passed (`draft: false` would not).
        meta["draft"] = True
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1000)
    return (
        f"---\n{front}---\n\n"
        f"# {post.title}\n\n"
        f"{EXCERPT_PLACEHOLDER}\n\n"
        "<!-- more -->\n\n"
        f"{BODY_PLACEHOLDER}\n"
    )


def choose_author(
    authors: Sequence[Author], ask: Callable[[str], str], say: Callable[[str], None], attempts: int = 3
) -> str | None:
    """Ask on a terminal which author writes the post; None if no valid answer."""
    say("Who is writing this post?")
    for number, author in enumerate(authors, 1):
        say(f"  {number}. {author.name} ({author.id})")
    by_id = {author.id: author.id for author in authors}
    for _ in range(attempts):
        try:
            answer = ask(f"Author [1-{len(authors)} or id]: ").strip()
        except EOFError:
            return None
        if answer.isdigit() and 1 <= int(answer) <= len(authors):
            return authors[int(answer) - 1].id
        if answer in by_id:
            return answer
        say(f"'{answer}' is not one of the numbers or ids above")
    return None
