"""Where the blog's inputs are, read from the blog plugin's own settings.

The one module that knows how Material's blog plugin is configured, so that
the build hooks, the content check and the tests agree on which files are
posts and which authors and categories exist.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from kb_engine import textfile
from kb_engine.compat.blogpaths import post_path
from kb_engine.posts import BlogRules, PostSource, Slugify, parse_authors, post_title
from kb_engine.problems import Problem
from kb_engine.yamlfile import YAMLProblem, load_yaml

if TYPE_CHECKING:
    from material.plugins.blog.plugin import BlogPlugin
    from material.plugins.blog.structure import Post
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


def authors_path(config: MkDocsConfig) -> str:
    """The blog's authors file (``.authors.yml``)."""
    blog = blog_plugin(config).config
    return os.path.join(config.docs_dir, blog.authors_file.format(blog=blog.blog_dir))


def author_names(config: MkDocsConfig) -> dict[str, str]:
    """``{id: name}`` from the authors file, in its order; {} if it cannot be read."""
    text = textfile.read(authors_path(config), display_path(config, authors_path(config)))
    if isinstance(text, Problem):
        return {}
    try:
        data = load_yaml(text, display_path(config, authors_path(config)))
    except YAMLProblem:
        return {}
    authors = data.get("authors") if isinstance(data, dict) else None
    if not isinstance(authors, dict):
        return {}
    return {
        str(key): str(entry.get("name") or key) if isinstance(entry, dict) else str(key)
        for key, entry in authors.items()
    }


def blog_rules(config: MkDocsConfig) -> tuple[BlogRules, list[Problem]]:
    """Authors and allowed categories, and the problems in the authors file."""
    blog = blog_plugin(config).config
    path = authors_path(config)
    shown = display_path(config, path)
    authors: frozenset[str] = frozenset()
    problems: list[Problem] = []
    if blog.authors:
        if os.path.isfile(path):
            text = textfile.read(path, shown)
            if isinstance(text, Problem):
                problems.append(text)
            else:
                authors, problems = parse_authors(text, shown, _avatar_checker(config))
        else:
            problems.append(Problem(shown, None, "authors file is missing"))
    rules = BlogRules(
        authors=authors,
        categories_allowed=tuple(blog.categories_allowed),
        authors_file=shown,
        excerpt_separator=required_excerpt_separator(config),
    )
    return rules, problems


def required_excerpt_separator(config: MkDocsConfig) -> str | None:
    """The excerpt marker every post must have (``post_excerpt: required``); None if optional."""
    blog = blog_plugin(config).config
    separator: str | None = blog.post_excerpt_separator if blog.post_excerpt == "required" else None
    return separator


def _avatar_checker(config: MkDocsConfig) -> Callable[[str], bool]:
    docs = os.path.abspath(config.docs_dir)

    def exists(avatar: str) -> bool:
        # Material links the avatar from the site root, like any site file.
        path = os.path.abspath(os.path.join(docs, avatar.lstrip("/")))
        return path.startswith(docs + os.sep) and os.path.isfile(path)

    return exists


def post_slugify(config: MkDocsConfig) -> tuple[Slugify, str]:
    """The blog plugin's slug function for post titles and its separator."""
    blog = blog_plugin(config).config
    return blog.post_slugify, blog.post_slugify_separator


def read_posts(files: Files, config: MkDocsConfig) -> tuple[list[tuple[str, str]], list[Problem]]:
    """``(display path, text)`` of every Markdown file in the posts folder; the unreadable ones' problems."""
    prefix = posts_dir(config) + "/"
    posts: list[tuple[str, str]] = []
    problems: list[Problem] = []
    for file in files.documentation_pages():
        if file.src_uri.startswith(prefix) and file.abs_src_path:
            shown = display_path(config, file.abs_src_path)
            text = textfile.read(file.abs_src_path, shown)
            if isinstance(text, Problem):
                problems.append(text)
            else:
                posts.append((shown, text))
    return posts, problems


def unreadable_pages(files: Files, config: MkDocsConfig) -> list[Problem]:
    """Pages outside the posts folder (read by MkDocs itself) that are not UTF-8 text."""
    prefix = posts_dir(config) + "/"
    return textfile.unreadable(
        (file.abs_src_path, display_path(config, file.abs_src_path))
        for file in files.documentation_pages()
        if file.abs_src_path and not file.generated_by and not file.src_uri.startswith(prefix)
    )


def blog_posts(config: MkDocsConfig) -> list[Post]:
    """The posts the blog plugin resolved in its ``on_files`` (so call it after -50)."""
    plugin = blog_plugin(config)
    blog = getattr(plugin, "blog", None)
    return list(blog.posts) if blog is not None else []


def post_destination(config: MkDocsConfig, source: PostSource) -> str | None:
    """Where the blog plugin will write a post (``blog/2009/04/06/slug/index.html``), without a build.

    The path comes from the plugin's own private method
    (:mod:`kb_engine.compat.blogpaths`); None when the post's front matter is
    too broken to tell (its problems are reported by the check), or under
    another version of Material.
    """
    plugin = blog_plugin(config)
    meta = source.doc.meta
    created = meta.get("date")
    if isinstance(created, dict):
        created = created.get("created")
    if not isinstance(created, dt.date):
        return None
    if not isinstance(created, dt.datetime):
        created = dt.datetime(created.year, created.month, created.day)
    categories = meta.get("categories") or []
    if not isinstance(categories, list) or not all(isinstance(c, str) for c in categories):
        return None
    name = source.file.rsplit("/", 1)[-1].removesuffix(".md")
    slug = meta.get("slug") if isinstance(meta.get("slug"), str) else None
    path = post_path(plugin, config, name=name, title=post_title(source.doc, name), created=created,
                     categories=categories, slug=slug)
    if path is None:
        return None
    return File(path, config.docs_dir, config.site_dir, config.use_directory_urls).dest_uri
