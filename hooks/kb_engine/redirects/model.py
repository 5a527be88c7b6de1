"""Redirects as data: which old address goes to which page, and where its file goes.

A page lists its old addresses in front matter, under ``wordpress:`` as the
import writes them (``redirect_from: [/2009/04/06/slug/, /?p=123]``) or as
a top-level ``redirect_from:`` list. Two kinds:

- A path (``/2009/04/06/slug/``) becomes a static page at that path in the
  built site, which sends the browser on (``<meta http-equiv="refresh">``,
  with a canonical link for search engines). Works on every static host.
- A post's old comment feed (``comment_feed_from: [/2009/04/06/slug/feed/]``
  under ``wordpress:``) goes to the post's comment feed (kb_engine.feeds.paths).
- Pages the build makes itself (category, tag and author archives, feeds)
  have no front matter: their old addresses are in the redirects table
  (``plugins.kb-redirects.table``, default ``redirects.yml``), one
  ``/old/path/: new/address/`` line each, the new address from the site root.
- A WordPress id query (``/?p=123``, ``/?page_id=45``): no static host can
  serve a file for a query string, so the page goes to ``wp/p/123/`` (or
  ``wp/page_id/45/``) and one rule on the server sends every ``/?p=N`` there
  (handbook/moving-from-wordpress.md shows it for Netlify and nginx; GitHub
  Pages ignores query strings, so there these old links reach the home page).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from kb_engine.problems import Problem

ID_QUERIES = ("p", "page_id")
ID_FOLDER = "wp"
_ID = re.compile(r"\A[0-9]{1,20}\Z")


@dataclass(frozen=True)
class Redirect:
    source: str  # as written in front matter
    dest: str  # the redirect page's file under site/, e.g. "2009/04/06/slug/index.html"
    query: tuple[str, str] | None  # ("p", "123") for an id query, else None
    target_url: str  # the page's URL, relative to the site root ("blog/2009/04/06/slug/")
    title: str
    file: str  # the page's source, for messages


def sources(meta: Mapping[str, Any]) -> list[str]:
    """The old addresses a page's front matter lists."""
    found: list[str] = []
    for holder in (meta, meta.get("wordpress")):
        if isinstance(holder, Mapping):
            value = holder.get("redirect_from")
            if isinstance(value, str):
                found.append(value)
            elif isinstance(value, list):
                found.extend(v for v in value if isinstance(v, str))
    return list(dict.fromkeys(found))


def feed_sources(meta: Mapping[str, Any]) -> list[str]:
    """The old comment-feed addresses of a post (``wordpress: {comment_feed_from: [...]}``)."""
    holder = meta.get("wordpress")
    value = holder.get("comment_feed_from") if isinstance(holder, Mapping) else None
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def parse_table(data: Any, file: str) -> tuple[list[Redirect], list[Problem]]:
    """The redirects table (read from YAML): ``{old path: new address}``, both from the site root."""
    if data is None:
        return [], []
    if not isinstance(data, Mapping):
        return [], [Problem(file, 1, "expected `/old/path/: new/address/` lines")]
    redirects: list[Redirect] = []
    problems: list[Problem] = []
    for source, target in data.items():
        line = data.line_of(source) if hasattr(data, "line_of") else None
        if not isinstance(target, str) or not target.strip() or "://" in target or target.startswith("/"):
            problems.append(
                Problem(file, line, f"'{source}': the new address must be a path from the site root, "
                        "like blog/category/sales/")
            )
            continue
        found = parse(str(source), target.strip(), target.strip(), file)
        if isinstance(found, Problem):
            problems.append(Problem(file, line, found.message))
        else:
            redirects.append(found)
    return redirects, problems


def parse(source: str, target_url: str, title: str, file: str) -> Redirect | Problem:
    """One old address as a :class:`Redirect`, or the problem with it."""
    parts = urlsplit(source.strip())
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return Problem(
            file,
            None,
            f"redirect_from '{source}': write a path from the site root, like /2009/04/06/slug/ or /?p=123",
        )
    if parts.query:
        query = parse_qs(parts.query)
        keys = [k for k in ID_QUERIES if k in query]
        if (
            parts.path not in ("/", "/index.php")
            or len(query) != 1
            or not keys
            or not _ID.match(query[keys[0]][0])
        ):
            return Problem(
                file,
                None,
                f"redirect_from '{source}': a static site can only redirect "
                "/?p=<number> and /?page_id=<number> among queries",
            )
        key, value = keys[0], query[keys[0]][0]
        return Redirect(
            source, f"{ID_FOLDER}/{key}/{value}/index.html", (key, value), target_url, title, file
        )
    segments = parts.path.strip("/").split("/")
    if any(s in ("", ".", "..") for s in segments) and parts.path != "/":
        return Problem(file, None, f"redirect_from '{source}': not a clean path")
    if parts.path == "/":
        return Problem(file, None, "redirect_from '/': the home page cannot redirect")
    path = parts.path.lstrip("/")
    last = segments[-1]
    dest = (
        path
        if not parts.path.endswith("/") and "." in last
        else posixpath.join(path.rstrip("/"), "index.html")
    )
    return Redirect(source, dest, None, target_url, title, file)


def resolve(redirects: Iterable[Redirect], site_files: Iterable[str]) -> tuple[list[Redirect], list[Problem]]:
    """The redirect pages to write (one per address), and the problems that stop the build.

    An old address that is the page's own new address needs no redirect and
    is dropped. Two pages claiming one old address, or an old address where
    the site has a file of its own, are problems.
    """
    taken = set(site_files)
    problems: list[Problem] = []
    kept: dict[str, Redirect] = {}
    for redirect in redirects:
        if redirect.query is None and redirect.dest == own_file(redirect.target_url):
            continue
        other = kept.get(redirect.dest)
        if other is not None:
            if other.target_url != redirect.target_url:
                problems.append(
                    Problem(
                        redirect.file,
                        None,
                        f"redirect_from '{redirect.source}' is also claimed by {other.file}",
                    )
                )
            continue
        if redirect.dest in taken:
            problems.append(
                Problem(
                    redirect.file,
                    None,
                    f"redirect_from '{redirect.source}': the site already has a page there ({redirect.dest})",
                )
            )
            continue
        kept[redirect.dest] = redirect
    return list(kept.values()), problems


def own_file(target_url: str) -> str:
    """The file that serves a page's URL (``blog/x/`` -> ``blog/x/index.html``), decoded."""
    path = unquote(target_url.split("#", 1)[0])
    return path + "index.html" if path.endswith("/") or not path else path


def relative_href(dest: str, target_url: str) -> str:
    """The link from the redirect page at ``dest`` to ``target_url`` (both from the site root)."""
    start = posixpath.dirname(dest) or "."
    href = posixpath.relpath(target_url or ".", start)
    if target_url.endswith("/") and not href.endswith("/"):
        href += "/"
    return href


def netlify_lines(redirects: Iterable[Redirect], base_path: str) -> list[str]:
    """``_redirects`` lines: a 301 for every old path, and the id-query rules."""
    lines = ["# Old addresses (front matter `redirect_from`), written by the build."]
    base = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
    queries: set[str] = set()
    for redirect in sorted(redirects, key=lambda r: r.dest):
        if redirect.query is not None:
            queries.add(redirect.query[0])
            continue
        old = "/" + quote(redirect.source.lstrip("/"), safe="/%")
        lines.append(f"{old} {base}{quote(redirect.target_url, safe='/%')} 301")
    for key in sorted(queries):
        lines.append(f"/ {key}=:id {base}{ID_FOLDER}/{key}/:id/ 301")
    return lines
