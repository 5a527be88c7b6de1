"""``kb-site``: the rules a site of posts keeps, whatever else it uses.

Every post checked apart before anything reads them (front matter, authors,
categories, the excerpt marker: kb_engine.posts, kb_engine.blogsource); one
page per address (kb_engine.pageurls); and the footer's Previous/Next links
past the blog's generated archive, category and author pages
(kb_engine.footer).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from material.plugins.blog.structure import Archive, Category, Profile
from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, get_plugin_logger

from kb_engine.blogsource import (
    blog_plugin,
    blog_rules,
    display_path,
    posts_dir,
    read_posts,
    required_excerpt_separator,
    unreadable_pages,
)
from kb_engine.footer import relink
from kb_engine.frontmatter import KeptDocuments, parse_document
from kb_engine.kept import this_build
from kb_engine.pageurls import url_collisions
from kb_engine.plugins.base import FeaturePlugin, NoSettings, start
from kb_engine.plugins.order import ordered
from kb_engine.posts import check_posts_apart
from kb_engine.problems import format_problems

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

log = get_plugin_logger("kb-site")


class SitePlugin(FeaturePlugin[NoSettings]):  # type: ignore[no-untyped-call]  # MkDocs leaves BasePlugin untyped
    name = "kb-site"
    # Posts' parsed front matter, kept from one build to the next: MkDocs keeps
    # plugin instances across `mkdocs serve` rebuilds, so a rebuild parses only
    # the posts that changed. None with kb-speed's `enabled: false`.
    documents: KeptDocuments | None = None

    @ordered("startup", "kb-site")
    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Nothing to do; having this event makes MkDocs keep the plugin (and ``documents``) across rebuilds."""

    @ordered("config", "kb-site")
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        start(config)
        self.documents = this_build(self.documents, KeptDocuments, config)
        problems = blog_rules(config)[1]
        if problems:
            raise PluginError(format_problems(problems))
        return config

    @ordered("files", "kb-site.posts")
    def _check_posts(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        rules, problems = blog_rules(config)
        posts, unreadable = read_posts(files, config)
        parse = self.documents.parse if self.documents is not None else parse_document
        front_matter, missing_markers = check_posts_apart(posts, rules, parse)
        problems += unreadable + unreadable_pages(files, config) + front_matter
        if blog_plugin(config).is_serve:
            for problem in missing_markers:  # a preview shows the post; the check and the build refuse it
                log.warning("%s (the preview shows the whole post as its excerpt)", problem)
        else:
            problems += missing_markers
        if problems:
            raise PluginError(format_problems(problems))
        return files

    @ordered("files", "kb-site.addresses")
    def _check_addresses(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        problems = url_collisions((_shown(file, config), file.dest_uri) for file in files)
        if problems:
            raise PluginError(format_problems(problems))
        return files

    on_files = CombinedEvent(_check_posts, _check_addresses)

    @ordered("page_markdown", "kb-site")
    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Under ``serve``, a post without the excerpt marker gets one at its end (warned about above)."""
        plugin = blog_plugin(config)
        separator = required_excerpt_separator(config)
        if plugin.is_serve and separator and page.file.src_uri.startswith(posts_dir(config) + "/"):
            if separator not in markdown:
                page.markdown = f"{markdown}\n\n{separator}\n"
                return page.markdown
        return markdown

    @ordered("nav", "kb-site")
    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        relink(nav.pages, lambda page: isinstance(page, (Archive, Category, Profile)))  # type: ignore[type-var]
        return nav


def _shown(file: File, config: MkDocsConfig) -> str:
    if file.generated_by or not file.abs_src_path:
        return f"{file.src_uri} (made by {file.generated_by or 'the build'})"
    return display_path(config, file.abs_src_path)
