"""Hook: check every blog post and the authors file before Material reads them (and that pages are UTF-8).

Runs ahead of the blog plugin (whose ``on_files`` runs at priority -50) so that
a bad post stops the build with one line per problem, naming file and line;
the authors file is checked in ``on_config``, before the blog plugin reads it
(its own messages span several lines and name no line).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger

from kb_engine.blogsource import (
    blog_plugin,
    blog_rules,
    posts_dir,
    read_posts,
    required_excerpt_separator,
    unreadable_pages,
)
from kb_engine.posts import check_posts_apart
from kb_engine.problems import format_problems

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = get_plugin_logger("post_checks")


@event_priority(100)  # before the blog plugin reads the authors file in its own on_config
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    problems = blog_rules(config)[1]
    if problems:
        raise PluginError(format_problems(problems))
    return config


@event_priority(50)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    rules, problems = blog_rules(config)
    posts, unreadable = read_posts(files, config)
    front_matter, missing_markers = check_posts_apart(posts, rules)
    problems += unreadable + unreadable_pages(files, config) + front_matter
    if blog_plugin(config).is_serve:
        for problem in missing_markers:  # a preview shows the post; the check and the build refuse it
            log.warning("%s (the preview shows the whole post as its excerpt)", problem)
    else:
        problems += missing_markers
    if problems:
        raise PluginError(format_problems(problems))
    return files


@event_priority(10)  # before the blog plugin, which refuses a post without the marker
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Under ``serve``, a post without the excerpt marker gets one at its end (warned about above)."""
    plugin = blog_plugin(config)
    separator = required_excerpt_separator(config)
    if plugin.is_serve and separator and page.file.src_uri.startswith(posts_dir(config) + "/"):
        if separator not in markdown:
            page.markdown = f"{markdown}\n\n{separator}\n"
            return page.markdown
    return markdown
