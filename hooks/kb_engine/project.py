"""The project as the commands see it: mkdocs.yml read, without building.

The content check and the new-post command need the same facts the build
uses (where the docs are, the blog plugin's settings, the authors) but must
not pay for a build. MkDocs' own config loader reads and validates
``mkdocs.yml`` and the plugins' options in a fraction of a second; nothing
else of the build runs.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException
from mkdocs.structure.files import get_files

from kb_engine.blogsource import blog_rules, display_path, post_slugify, posts_dir, project_dir, read_posts
from kb_engine.posts import BlogRules, PostSource, check_blog_posts
from kb_engine.problems import ContentError, Problem
from kb_engine.yamlfile import config_text_problem

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files


@dataclass
class BlogContent:
    """Every post read once, the rules they follow, and what is wrong with them."""

    rules: BlogRules
    posts: list[PostSource]
    problems: list[Problem] = field(default_factory=list)



class Project:
    """A loaded ``mkdocs.yml`` and what the commands read from it (once each)."""

    def __init__(self, config: MkDocsConfig) -> None:
        self.config = config

    @property
    def root(self) -> str:
        """The folder that holds mkdocs.yml."""
        return project_dir(self.config)

    @property
    def config_file(self) -> str:
        """mkdocs.yml as shown in messages."""
        return display_path(self.config, self.config.config_file_path)

    def display(self, path: str) -> str:
        """``path`` as shown in messages: relative to the project folder."""
        return display_path(self.config, path)

    @cached_property
    def files(self) -> Files:
        """The site's source files, found the way the build finds them."""
        return get_files(self.config)

    @cached_property
    def blog(self) -> BlogContent:
        rules, problems = blog_rules(self.config)
        slugify, separator = post_slugify(self.config)
        sources, unreadable = read_posts(self.files, self.config)
        posts, post_problems = check_blog_posts(sources, rules, slugify, separator)
        return BlogContent(rules, posts, problems + unreadable + post_problems)

    @cached_property
    def post_ids(self) -> frozenset[str]:
        """The ids comment files use for posts: the path under the posts folder, without ``.md``."""
        prefix = posts_dir(self.config) + "/"
        return frozenset(
            file.src_uri[len(prefix) : -len(".md")]
            for file in self.files.documentation_pages()
            if file.src_uri.startswith(prefix) and file.src_uri.endswith(".md")
        )


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _mkdocs_log_collected() -> Iterator[_Collect]:
    logger = logging.getLogger("mkdocs")
    handler = _Collect()
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def config_file_problem(config_file: str, shown: str) -> Problem | None:
    """What in ``mkdocs.yml`` would stop MkDocs with a traceback (see kb_engine.yamlfile.config_text_problem)."""
    try:
        with open(config_file, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError):
        return None  # MkDocs says what is wrong with it
    return config_text_problem(text, shown)


def load_project(config_file: str = "mkdocs.yml") -> Project:
    """Read and validate ``config_file``; raise :class:`ContentError` if it is not usable.

    Warnings count as problems, because the site is built with ``--strict``.
    Call :func:`close_project` when done (plugins clean up temp folders then).
    """
    shown = os.path.relpath(config_file) if os.path.isabs(config_file) else config_file
    if not os.path.isfile(config_file):
        raise ContentError([Problem(shown, None, "config file not found (run this in the project folder, "
                                                 "or pass --config-file)")])
    problem = config_file_problem(config_file, shown)
    if problem is not None:
        raise ContentError([problem])
    with _mkdocs_log_collected() as log:
        try:
            config = load_config(config_file)
        except MkDocsException as error:  # MkDocs' Abort is one, and a SystemExit too
            messages = log.messages or [str(error)]
            raise ContentError([Problem(shown, None, m) for m in messages]) from None
    if log.messages:
        close_project(Project(config))
        raise ContentError([Problem(shown, None, m) for m in log.messages])
    return Project(config)


def close_project(project: Project) -> None:
    """Let the plugins release what they took when they were loaded."""
    project.config.plugins.on_shutdown()
