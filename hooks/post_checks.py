"""Hook: check every blog post and the authors file before Material reads them.

Runs ahead of the blog plugin (whose ``on_files`` runs at priority -50) so that
a bad post stops the build with one line per problem, naming file and line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from kb.blogsource import blog_rules, read_posts
from kb.posts import check_posts
from kb.problems import format_problems

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files


@event_priority(50)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    rules, problems = blog_rules(config)
    problems += check_posts(read_posts(files, config), rules)
    if problems:
        raise PluginError(format_problems(problems))
    return files
