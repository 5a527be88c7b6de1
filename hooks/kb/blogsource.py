"""Where the blog's inputs are, read from the blog plugin's own settings.

The one module that knows how Material's blog plugin is configured, so that
the build hooks, the content check and the tests agree on which files are
posts and which authors and categories exist.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError

from kb.posts import BlogRules, parse_authors
from kb.problems import Problem

if TYPE_CHECKING:
    from material.plugins.blog.plugin import BlogPlugin
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files


def project_dir(config: MkDocsConfig) -> str:
    """The folder that holds mkdocs.yml: paths in messages are relative to it."""
    return os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml"))


def display_path(config: MkDocsConfig, path: str) -> str:
    """``path`` as a user sees it from the project folder."""
    return os.path.relpath(os.path.abspath(path), project_dir(config)).replace(os.sep, "/")


def blog_plugin(config: MkDocsConfig) -> BlogPlugin:
    """The blog plugin: Material's ``blog``, or a subclass of it such as ``kb-blog``."""
    from material.plugins.blog.plugin import BlogPlugin

    for plugin in config.plugins.values():
        if isinstance(plugin, BlogPlugin):
            return plugin
    raise PluginError(f"{display_path(config, config.config_file_path)}: the blog plugin is not enabled")


def posts_dir(config: MkDocsConfig) -> str:
    """The posts folder relative to ``docs/``, with forward slashes."""
    blog = blog_plugin(config).config
    post_dir: str = blog.post_dir.format(blog=blog.blog_dir)
    return os.path.normpath(post_dir).replace(os.sep, "/")


def blog_rules(config: MkDocsConfig) -> tuple[BlogRules, list[Problem]]:
    """Authors and allowed categories, and the problems in the authors file."""
    blog = blog_plugin(config).config
    path = os.path.join(config.docs_dir, blog.authors_file.format(blog=blog.blog_dir))
    shown = display_path(config, path)
    authors: frozenset[str] = frozenset()
    problems: list[Problem] = []
    if blog.authors:
        if os.path.isfile(path):
            with open(path, encoding="utf-8-sig") as f:
                authors, problems = parse_authors(f.read(), shown)
        else:
            problems.append(Problem(shown, None, "authors file is missing"))
    rules = BlogRules(
        authors=authors,
        categories_allowed=tuple(blog.categories_allowed),
        authors_file=shown,
    )
    return rules, problems


def read_posts(files: Files, config: MkDocsConfig) -> Iterator[tuple[str, str]]:
    """``(display path, text)`` of every Markdown file in the posts folder."""
    prefix = posts_dir(config) + "/"
    for file in files.documentation_pages():
        if file.src_uri.startswith(prefix) and file.abs_src_path:
            with open(file.abs_src_path, encoding="utf-8-sig") as f:
                yield display_path(config, file.abs_src_path), f.read()
