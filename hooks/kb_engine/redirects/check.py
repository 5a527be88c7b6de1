"""The content check's part for redirects: settings and every page's ``redirect_from``, without a build.

For ``kb_engine.contentcheck.CHECKERS``. What needs the built site (a redirect at
the page's own new address, which the build simply drops) is left to the
build; everything else the build would refuse is found here.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from kb_engine.core.settings import feature_settings
from kb_engine.frontmatter import parse_document
from kb_engine.problems import Problem
from kb_engine.redirects.model import parse, resolve, sources
from kb_engine.redirects.settings import RedirectSettings
from kb_engine.redirects.site import load_table

if TYPE_CHECKING:
    from kb_engine.project import Project


def check_redirects(project: Project) -> list[Problem]:
    """``plugins.kb-redirects`` and every page's old addresses: malformed, claimed twice, or onto a page."""
    settings = feature_settings(project.config, "redirects", RedirectSettings)  # a wrong one raises
    redirects, problems = load_table(settings, project.config.config_file_path)
    for file in project.files.documentation_pages():
        if not file.abs_src_path:
            continue
        shown = project.display(file.abs_src_path)
        try:
            with open(file.abs_src_path, encoding="utf-8-sig") as f:
                text = f.read()
        except (OSError, UnicodeDecodeError):
            continue  # an unreadable page: the post and page checks report it
        if "redirect_from" not in text:
            continue
        parsed = parse_document(text, shown)
        if isinstance(parsed, Problem):
            continue  # the post check reports it
        for source in sources(parsed.meta):
            # The page's own URL is not known without a build: its source path stands in for it.
            found = parse(source, os.path.splitext(file.src_uri)[0] + "/", "", shown)
            if isinstance(found, Problem):
                problems.append(found)
            else:
                redirects.append(found)
    problems.extend(
        resolve(redirects, [f.dest_uri for f in project.files if not f.is_documentation_page()])[1]
    )
    return problems
