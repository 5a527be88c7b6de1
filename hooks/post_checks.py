"""Hook: check every blog post and the authors file before Material reads them (and that pages are UTF-8).

Runs ahead of the blog plugin (whose ``on_files`` runs at priority -50) so that
a bad post stops the build with one line per problem, naming file and line;
the authors file is checked in ``on_config``, before the blog plugin reads it
(its own messages span several lines and name no line).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from kb.blogsource import blog_rules, read_posts, unreadable_pages
from kb.posts import check_posts
from kb.problems import format_problems

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files


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
    problems += unreadable + unreadable_pages(files, config) + check_posts(posts, rules)
    if problems:
        raise PluginError(format_problems(problems))
    return files
