"""``read_next`` citations: their form, and whether their page and anchor exist.

A citation is a Markdown page of the site, written relative to ``docs/``,
optionally with an anchor: ``guides/cost-of-partnership.md#readiness-checklist``.
Pages are known when the site's files are collected; anchors only once the
cited pages are rendered, so the two checks are separate functions.
"""

from __future__ import annotations

import difflib
import posixpath
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kb_engine.problems import Problem

if TYPE_CHECKING:
    from kb_engine.trees.model import Tree


def parse_citation(text: str) -> tuple[str, str | None] | str:
    """``(path, anchor)`` of a citation, or the reason it is not one."""
    raw = text.strip()
    if not raw:
        return "empty link"
    if "://" in raw or raw.startswith(("mailto:", "//")):
        return "must be a page of this site (a path such as guides/page.md), not a URL"
    path, _, anchor = raw.partition("#")
    if path.startswith("/"):
        return "write the path relative to docs/, without a leading '/'"
    if not path.endswith(".md"):
        return "must point to a Markdown page (a path ending in .md, optionally with #anchor)"
    normal = posixpath.normpath(path)
    if normal.startswith("../") or normal == "..":
        return "must stay inside docs/"
    if "#" in anchor or " " in anchor:
        return f"'#{anchor}' is not a valid anchor"
    if "#" in raw and not anchor:
        return "empty anchor after '#'"
    return normal, anchor or None


def check_pages(tree: Tree, pages: Collection[str], docs_dir: str = "docs") -> list[Problem]:
    """A problem for every citation whose page is not a page of the site."""
    problems: list[Problem] = []
    for outcome in tree.outcomes():
        for citation in outcome.read_next:
            if citation.path not in pages:
                hint = difflib.get_close_matches(citation.path, list(pages), n=1)
                also = f" (did you mean '{hint[0]}'?)" if hint else ""
                problems.append(
                    Problem(
                        tree.file,
                        citation.line,
                        f"node '{outcome.id}': read_next '{citation.source}' points to a page that does not "
                        f"exist ({docs_dir}/{citation.path}){also}",
                    )
                )
    return problems


def check_published(tree: Tree, unpublished: Collection[str]) -> list[Problem]:
    """A problem for every citation of a page that exists but is left out of the site (a draft)."""
    return [
        Problem(
            tree.file,
            citation.line,
            f"node '{outcome.id}': read_next '{citation.source}' points to a page that is not published "
            "in this build (a draft, or excluded)",
        )
        for outcome in tree.outcomes()
        for citation in outcome.read_next
        if citation.path in unpublished
    ]


def check_anchors(tree: Tree, anchors: Mapping[str, Collection[str]]) -> list[Problem]:
    """A problem for every citation whose anchor is not on its (rendered) page."""
    problems: list[Problem] = []
    for outcome in tree.outcomes():
        for citation in outcome.read_next:
            if citation.anchor is None:
                continue
            present = anchors.get(citation.path, ())
            if citation.anchor not in present:
                hint = difflib.get_close_matches(citation.anchor, list(present), n=1)
                also = f" (did you mean '#{hint[0]}'?)" if hint else ""
                problems.append(
                    Problem(
                        tree.file,
                        citation.line,
                        f"node '{outcome.id}': read_next '{citation.source}': the page has no anchor "
                        f"'#{citation.anchor}'{also}",
                    )
                )
    return problems


@dataclass(frozen=True)
class PageInfo:
    """What a template needs to know about a cited page."""

    title: str
    url: str  # from the site root, e.g. guides/great-vendor/
    headings: Mapping[str, str]  # anchor -> heading text


@dataclass(frozen=True)
class ResolvedLink:
    text: str
    section: str | None
    url: str  # from the site root, with #anchor


def resolve(path: str, anchor: str | None, pages: Mapping[str, PageInfo]) -> ResolvedLink:
    """Title, section heading and site URL of a citation known to be valid."""
    page = pages[path]
    url = page.url + (f"#{anchor}" if anchor else "")
    section = page.headings.get(anchor) if anchor else None
    return ResolvedLink(page.title, section, url)


def cited_paths(trees: Iterable[Tree]) -> set[str]:
    return {c.path for tree in trees for o in tree.outcomes() for c in o.read_next}


def relative_url(target: str, base: str) -> str:
    """``target`` (from the site root) as seen from the page at ``base``.

    Both are site URLs such as ``guides/x/`` or ``guides/x.html``.
    """
    path, _, fragment = target.partition("#")
    base_dir = base if base.endswith("/") else posixpath.dirname(base)
    relative = posixpath.relpath(path or ".", base_dir or ".")
    if path.endswith("/") and not relative.endswith("/"):
        relative += "/"
    return relative + (f"#{fragment}" if fragment else "")
