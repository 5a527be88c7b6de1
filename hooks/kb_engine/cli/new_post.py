"""``kb-engine new-post`` (``python3 dev.py new-post``): scaffold a blog post from a title.

    python3 dev.py new-post "A good vendor review" --author kb-team --category "Vendor excellence"

Writes ``docs/blog/posts/<slug>.md`` (a draft unless ``--publish``) and
prints its path on stdout. Refuses a slug another post already has.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys

from kb_engine.blogsource import author_names, post_slugify, posts_dir
from kb_engine.cli.common import EXIT_OK, EXIT_PROBLEMS, add_config_option, report, run_with_project
from kb_engine.cli.program import command_prog
from kb_engine.newpost import Author, Context, NewPostRequest, SlugOwner, choose_author, plan_post, post_text
from kb_engine.problems import Problem
from kb_engine.project import Project


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=command_prog("new-post"),
        description="Create a blog post from a title, as a draft, and print the path of its file.",
    )
    parser.add_argument("title", help="the post's title (quote it)")
    parser.add_argument(
        "--author",
        action="append",
        default=[],
        metavar="ID",
        help="author id from docs/blog/.authors.yml (repeat for co-authors); asked for on a "
        "terminal when there are several authors",
    )
    parser.add_argument(
        "--category",
        action="append",
        default=[],
        metavar="NAME",
        help="a category from categories_allowed in mkdocs.yml (repeat for several)",
    )
    parser.add_argument("--slug", help="the post's URL slug (default: made from the title)")
    parser.add_argument(
        "--publish",
        action="store_true",
        help="do not mark the post as a draft (it is published when merged)",
    )
    add_config_option(parser)
    return parser


def main(argv: list[str] | None = None, now: dt.datetime | None = None) -> int:
    args = build_parser().parse_args(argv)
    when = now or dt.datetime.now().astimezone()
    return run_with_project(args.config_file, lambda project: _new_post(project, args, when))


def _ask(prompt: str) -> str:
    # On stderr, like every message: stdout carries only the new file's path.
    print(prompt, end="", file=sys.stderr, flush=True)
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line


def _new_post(project: Project, args: argparse.Namespace, now: dt.datetime) -> int:
    config = project.config
    blog = project.blog
    names = author_names(config)
    authors = [Author(i, names.get(i, i)) for i in names if i in blog.rules.authors]
    folder = os.path.join(config.docs_dir, posts_dir(config))
    slugify, separator = post_slugify(config)

    chosen: list[str] = list(args.author)
    if not chosen and len(authors) == 1:
        chosen = [authors[0].id]
    elif not chosen and len(authors) > 1 and sys.stdin.isatty():
        answer = choose_author(authors, _ask, lambda line: print(line, file=sys.stderr, flush=True))
        if answer is None:
            report([Problem("new-post", None, "no author chosen")])
            return EXIT_PROBLEMS
        chosen = [answer]

    in_use: dict[str, SlugOwner] = {}
    for post in blog.posts:
        in_use.setdefault(post.slug, SlugOwner(post.file, post.doc.meta.key_lines.get("slug")))
    if os.path.isdir(folder):
        for name in sorted(os.listdir(folder)):
            if name.endswith(".md"):
                # The new file's name is the slug: a file of that name blocks it too.
                in_use.setdefault(name[:-3], SlugOwner(project.display(os.path.join(folder, name)), None))
    context = Context(
        authors=authors,
        authors_file=blog.rules.authors_file,
        categories_allowed=blog.rules.categories_allowed,
        config_file=project.config_file,
        slugs_in_use=in_use,
        slugify=slugify,
        separator=separator,
    )
    request = NewPostRequest(args.title, args.slug, tuple(chosen), tuple(args.category), args.publish)
    planned = plan_post(request, context, now)
    if isinstance(planned, list):
        report(planned)
        return EXIT_PROBLEMS

    path = os.path.join(folder, f"{planned.slug}.md")
    os.makedirs(folder, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as f:
            f.write(post_text(planned))
    except FileExistsError:
        report([Problem(project.display(path), None, "file already exists; choose another title or --slug")])
        return EXIT_PROBLEMS
    print(project.display(path), flush=True)
    state = "a draft: remove `draft: true` to publish it" if planned.draft else "published when merged"
    print(f"new-post: wrote {project.display(path)} ({state}); preview it with `python3 dev.py serve`",
          file=sys.stderr, flush=True)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
