"""Hook: stop the build when two files would be published at one address.

Runs after every other ``on_files`` (the blog plugin gives posts their
addresses at -50, the decision trees add their pages), so it sees every
file's final destination. The logic lives in kb_engine.pageurls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from kb_engine.blogsource import display_path
from kb_engine.pageurls import url_collisions
from kb_engine.problems import format_problems

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files


@event_priority(-100)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    problems = url_collisions((_shown(file, config), file.dest_uri) for file in files)
    if problems:
        raise PluginError(format_problems(problems))
    return files


def _shown(file: File, config: MkDocsConfig) -> str:
    if file.generated_by or not file.abs_src_path:
        return f"{file.src_uri} (made by {file.generated_by or 'the build'})"
    return display_path(config, file.abs_src_path)
