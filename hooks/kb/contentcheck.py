"""The content check: every input file of the site validated at once, no build.

A checker takes the loaded :class:`~kb.project.Project` and returns the
problems it found; :func:`run_checks` runs them all and returns every
problem, so an author or moderator sees the whole list in one run. Each
checker reuses the validation the build itself uses, so the check and the
build never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from mkdocs.exceptions import PluginError

from kb.blogsource import blog_plugin
from kb.comments.model import check_comments
from kb.comments.settings import CommentSettings
from kb.dates import DatesSettings
from kb.frontmatter import parse_document
from kb.latest import LatestPostsSettings
from kb.linkcards import LinkCardSettings
from kb.problems import Problem
from kb.project import Project
from kb.settings import load_extra_section
from kb.trees.site import check_sources
from kb.vocabulary import tag_problems

Checker = Callable[[Project], list[Problem]]


def check_blog(project: Project) -> list[Problem]:
    """Every post's front matter, the authors file, slugs that two posts share."""
    return list(project.blog.problems)


def check_categories(project: Project) -> list[Problem]:
    """The allowed categories themselves: no blanks, no two with one URL."""
    blog = blog_plugin(project.config).config
    slugify, separator = blog.categories_slugify, blog.categories_slugify_separator
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for name in project.blog.rules.categories_allowed:
        if not name.strip():
            problems.append(Problem(project.config_file, None, "blog `categories_allowed` has an empty name"))
            continue
        slug = slugify(name, separator)
        if slug in seen:
            problems.append(
                Problem(
                    project.config_file,
                    None,
                    f"blog `categories_allowed`: '{name}' and '{seen[slug]}' would share the URL "
                    f"{blog.blog_dir}/{blog.categories_url_format.format(slug=slug)}/",
                )
            )
        seen.setdefault(slug, name)
    return problems


def check_vocabulary(project: Project) -> list[Problem]:
    """Tags that are another spelling of a category or of another tag, on every page (kb.vocabulary)."""
    categories = project.blog.rules.categories_allowed
    pages: list[tuple[str, list[tuple[str, int | None]]]] = []
    counts: dict[str, int] = {}
    for file in project.files.documentation_pages():
        text = Path(file.abs_src_path or "").read_text(encoding="utf-8-sig")
        doc = parse_document(text, project.display(file.abs_src_path or file.src_uri))
        if isinstance(doc, Problem) or not isinstance(doc.meta.get("tags"), list):
            continue
        tags = [t for t in doc.meta["tags"] if isinstance(t, str)]
        pages.append((project.display(file.abs_src_path or file.src_uri),
                      [(t, doc.meta.line_of("tags") or 1) for t in tags]))
        for tag in set(tags):
            counts[tag] = counts.get(tag, 0) + 1
    problems: list[Problem] = []
    for file_name, page_tags in pages:
        problems.extend(tag_problems(file_name, page_tags, categories, counts))
    return problems


READER_SETTINGS = (
    ("dates", DatesSettings), ("latest_posts", LatestPostsSettings), ("link_cards", LinkCardSettings),
)


def check_reader_settings(project: Project) -> list[Problem]:
    """``extra.dates``, ``extra.latest_posts`` and ``extra.link_cards``, with the schemas the build uses."""
    problems: list[Problem] = []
    for key, schema in READER_SETTINGS:
        try:
            load_extra_section(project.config, key, schema)
        except PluginError as error:
            problems.append(_settings_problem(project, str(error)))
    return problems


def check_comment_files(project: Project) -> list[Problem]:
    """Every comment file under the comments folder (``extra.comments.directory``)."""
    settings = load_extra_section(project.config, "comments", CommentSettings)
    root = Path(project.root)
    return check_comments(root / settings.directory, set(project.post_ids), root)


def check_decision_trees(project: Project) -> list[Problem]:
    """Every decision tree file, and that the pages it cites exist (their anchors need a build)."""
    return check_sources(project.files, project.config)[1]


CHECKERS: tuple[Checker, ...] = (
    check_blog, check_categories, check_vocabulary, check_reader_settings, check_comment_files,
    check_decision_trees,
)


def run_checks(project: Project, checkers: Sequence[Checker] = CHECKERS) -> list[Problem]:
    """All problems every checker finds, sorted by file and line, without duplicates."""
    found: set[Problem] = set()
    for checker in checkers:
        try:
            found.update(checker(project))
        except PluginError as error:  # bad settings in mkdocs.yml: report them, run the other checkers
            found.add(_settings_problem(project, str(error)))
    return sorted(found, key=lambda p: (p.file, p.line or 0, p.message))


def _settings_problem(project: Project, message: str) -> Problem:
    file, separator, rest = message.partition(": ")
    if separator and file == project.config_file:
        return Problem(file, None, rest)
    return Problem(project.config_file, None, message)
