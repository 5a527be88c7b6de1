"""The redirects of one build: collected as pages are read, written after the build."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kb_engine.blogsource import display_path
from kb_engine.feeds.paths import post_comments_feed_path
from kb_engine.problems import Problem
from kb_engine.redirects.model import (
    Redirect,
    feed_sources,
    netlify_lines,
    own_file,
    parse,
    parse_table,
    relative_href,
    resolve,
    sources,
)
from kb_engine.redirects.settings import RedirectSettings
from kb_engine.rendering import render

if TYPE_CHECKING:
    import jinja2
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

TEMPLATE = "partials/kb/redirect.html"
NETLIFY_FILE = "_redirects"


@dataclass
class RedirectsBuild:
    settings: RedirectSettings
    env: jinja2.Environment
    files: Files | None = None
    redirects: list[Redirect] = field(default_factory=list)
    table: list[Redirect] = field(default_factory=list)  # from the redirects table (archives, feeds)


def load_table(settings: RedirectSettings, config_file: str) -> tuple[list[Redirect], list[Problem]]:
    """The redirects table beside mkdocs.yml (``plugins.kb-redirects.table``); none if the file is absent."""
    from kb_engine.yamlfile import YAMLProblem, load_yaml

    path = os.path.join(os.path.dirname(config_file), settings.table)
    if not os.path.isfile(path):
        return [], []
    try:
        with open(path, encoding="utf-8-sig") as f:
            data = load_yaml(f.read(), settings.table)
    except YAMLProblem as error:
        return [], [error.problem]
    except (OSError, UnicodeDecodeError) as error:
        return [], [Problem(settings.table, None, f"cannot be read ({error})")]
    return parse_table(data, settings.table)


def collect_page(state: RedirectsBuild, page: Page, config: MkDocsConfig) -> list[Problem]:
    """Read the old addresses ``page`` lists (its front matter is read by now)."""
    listed = sources(page.meta)
    if not listed and not feed_sources(page.meta):
        return []
    shown = display_path(config, page.file.abs_src_path) if page.file.abs_src_path else page.file.src_uri
    title = str(page.meta.get("title") or page.title or page.file.name)
    problems: list[Problem] = []
    for source in listed:
        found = parse(source, page.url, title, shown)
        if isinstance(found, Problem):
            problems.append(found)
        else:
            state.redirects.append(found)
    for source in feed_sources(page.meta):  # the post's old comment feed: to its comment feed now
        found = parse(source, post_comments_feed_path(page.url), f"Comments on {title}", shown)
        if isinstance(found, Problem):
            problems.append(found)
        else:
            state.redirects.append(found)
    return problems


def write_redirects(state: RedirectsBuild, config: MkDocsConfig) -> list[Problem]:
    """Write a page at every old address (and ``_redirects`` when asked); the problems found instead."""
    site_files = [f.dest_uri for f in state.files] if state.files is not None else []
    redirects, problems = resolve([*state.redirects, *state.table], site_files)
    if problems:
        return problems
    # An archive or feed the build did not make (a category whose posts are all drafts): no redirect
    # to a missing page; it appears once the page does.
    redirects = [r for r in redirects if _built(config.site_dir, r.target_url)]
    site_url = (config.site_url or "/").rstrip("/") + "/"
    language = config.theme.get("language") or "en"
    for redirect in redirects:
        html = render(
            state.env,
            TEMPLATE,
            title=redirect.title,
            href=relative_href(redirect.dest, redirect.target_url),
            canonical=site_url + redirect.target_url,
            lang=language,
        )
        _write(os.path.join(config.site_dir, *redirect.dest.split("/")), str(html).encode("utf-8"))
    if state.settings.netlify:
        from urllib.parse import urlsplit

        base_path = urlsplit(config.site_url or "/").path
        text = "\n".join(netlify_lines(redirects, base_path)) + "\n"
        _write(os.path.join(config.site_dir, NETLIFY_FILE), text.encode("utf-8"))
    return []


def _built(site_dir: str, target_url: str) -> bool:
    return os.path.exists(os.path.join(site_dir, *own_file(target_url).split("/")))


def _write(path: str, data: bytes) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
