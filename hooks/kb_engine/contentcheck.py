"""The content check: every input file of the site validated at once, no build.

A checker takes the loaded :class:`~kb_engine.project.Project` and returns the
problems it found; :func:`run_checks` runs them all and returns every
problem, so an author or moderator sees the whole list in one run. Each
checker reuses the validation the build itself uses, so the check and the
build never disagree.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from kb_engine import textfile
from kb_engine.blogsource import blog_plugin, post_destination, unreadable_pages
from kb_engine.comments.model import check_comments
from kb_engine.core.paths import comments_directory, trees_folder
from kb_engine.core.settings import feature_settings, site_url_problem
from kb_engine.frontmatter import Document, parse_document
from kb_engine.mdlinks import broken_links
from kb_engine.pageurls import url_collisions
from kb_engine.plugins.base import settings_problems
from kb_engine.problems import Problem
from kb_engine.project import Project
from kb_engine.redirects.check import check_redirects
from kb_engine.search.questions import page_questions
from kb_engine.search.settings import SearchSettings
from kb_engine.search.site import load_vocabulary
from kb_engine.trees.site import check_sources, is_tree_source, json_uri, page_uri
from kb_engine.vocabulary import tag_problems

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
    """Tags that are another spelling of a category or of another tag, on every page (kb_engine.vocabulary)."""
    categories = project.blog.rules.categories_allowed
    pages: list[tuple[str, list[tuple[str, int | None]]]] = []
    counts: dict[str, int] = {}
    for shown, doc in _page_documents(project):
        if not isinstance(doc.meta.get("tags"), list):
            continue
        tags = [t for t in doc.meta["tags"] if isinstance(t, str)]
        pages.append((shown, [(t, doc.meta.line_of("tags") or 1) for t in tags]))
        for tag in set(tags):
            counts[tag] = counts.get(tag, 0) + 1
    problems: list[Problem] = []
    for file_name, page_tags in pages:
        problems.extend(tag_problems(file_name, page_tags, categories, counts))
    return problems


def check_page_questions(project: Project) -> list[Problem]:
    """Every page's front-matter ``questions:`` (kb_engine.search.questions, the rule the build applies)."""
    problems: list[Problem] = []
    for shown, doc in _page_documents(project):
        problems.extend(page_questions(doc.meta, shown)[1])
    return problems


def _page_documents(project: Project) -> Iterator[tuple[str, Document]]:
    """Every documentation page whose text and front matter read, with its name as shown.

    Pages that do not read are reported by check_page_encoding or check_blog.
    """
    for file in project.files.documentation_pages():
        if not file.abs_src_path:
            continue
        shown = project.display(file.abs_src_path)
        text = textfile.read(file.abs_src_path, shown)
        if isinstance(text, Problem):
            continue
        doc = parse_document(text, shown)
        if not isinstance(doc, Problem):
            yield shown, doc


def check_search_vocabulary(project: Project) -> list[Problem]:
    """The search vocabulary file (``plugins.kb-search.vocabulary``; kb_engine.search.synonyms)."""
    settings = feature_settings(project.config, "search", SearchSettings)
    return load_vocabulary(project.config, settings)[1]


def check_comment_files(project: Project) -> list[Problem]:
    """Every comment file under the comments folder (``plugins.kb-comments.directory``)."""
    root = Path(project.root)
    return check_comments(comments_directory(project.config), set(project.post_ids), root)


def check_settings(project: Project) -> list[Problem]:
    """``site_url`` (the feeds, the comment feeds and the reply form need it) and every engine
    plugin's settings, with the plugins' own schemas (kb_engine.plugins.base)."""
    messages = settings_problems(project.config)
    message = site_url_problem(project.config)
    return [_settings_problem(project, m) for m in ([message] if message else []) + messages]


def check_links(project: Project) -> list[Problem]:
    """Links between pages the strict build would refuse (to pages or files that do not exist)."""
    files = Files(list(project.files))
    folder = trees_folder(project.config)
    for source in project.files:
        if is_tree_source(source, folder):  # the build makes a page of each decision tree
            tree_id = posixpath.splitext(posixpath.basename(source.src_uri))[0]
            for uri in (page_uri(folder, tree_id), json_uri(folder, tree_id)):
                generated = File(uri, None, project.config.site_dir, project.config.use_directory_urls)
                generated.generated_by = "decision_trees"
                files.append(generated)
    pages = []
    for file in project.files.documentation_pages():
        if file.abs_src_path and not file.generated_by:
            text = textfile.read(file.abs_src_path, project.display(file.abs_src_path))
            if isinstance(text, str):  # otherwise reported by check_page_encoding or check_blog
                pages.append((file, project.display(file.abs_src_path), text))
    return broken_links(pages, files, project.config)


def check_page_encoding(project: Project) -> list[Problem]:
    """Pages other than posts (which :func:`check_blog` reads) that are not UTF-8 text."""
    return unreadable_pages(project.files, project.config)


def check_page_urls(project: Project) -> list[Problem]:
    """Two files with one address, posts at the address the blog plugin will give them."""
    posts = {source.file: post_destination(project.config, source) for source in project.blog.posts}
    destinations = []
    for file in project.files:
        if not file.abs_src_path:
            continue
        shown = project.display(file.abs_src_path)
        destination = posts.get(shown) if shown in posts else file.dest_uri
        if destination:
            destinations.append((shown, destination))
    return url_collisions(destinations)


def check_decision_trees(project: Project) -> list[Problem]:
    """Every decision tree file, and that the pages it cites exist (their anchors need a build)."""
    return check_sources(project.files, project.config)[1]


CHECKERS: tuple[Checker, ...] = (
    check_blog,
    check_categories,
    check_comment_files,
    check_decision_trees,
    check_page_urls,
    check_page_encoding,
    check_settings,
    check_links,
    check_redirects,
    check_vocabulary,
    check_page_questions,
    check_search_vocabulary,
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
