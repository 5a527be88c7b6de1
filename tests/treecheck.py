"""Reading a built decision tree page: its article, its ids, its links, the pages a tree cites."""

from __future__ import annotations

from typing import Any

from sitebuild import Site


def nodes_by_id(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {n["id"]: n for n in data["nodes"]}


def article(site: Site, url: str) -> Any:
    return site.html(url).xpath("//article")[0]


def ids_on(site: Site, url: str) -> set[str]:
    return set(site.html(url).xpath("//@id"))


def resolve(page_url: str, href: str) -> tuple[str, str]:
    """``(site url, fragment)`` of a relative link on the page at ``page_url``."""
    path, _, fragment = href.partition("#")
    if not path:
        return page_url, fragment
    parts = page_url.rstrip("/").split("/") if page_url else []
    for piece in path.split("/"):
        if piece == "..":
            parts.pop()
        elif piece not in (".", ""):
            parts.append(piece)
    url = "/".join(parts)
    return (url + "/" if path.endswith("/") and url else url), fragment


def cited_pages(data: dict[str, Any]) -> dict[str, list[str]]:
    """Cited page (relative to docs/) -> ids of the outcomes citing it."""
    cited: dict[str, list[str]] = {}
    for node in data["nodes"]:
        for ref in node.get("read_next", []):
            owners = cited.setdefault(ref.split("#")[0], [])
            if node["id"] not in owners:
                owners.append(node["id"])
    return cited
