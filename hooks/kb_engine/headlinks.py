"""Links that hooks add to a page's ``<head>`` (rendered by partials/kb/head-links.html)."""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

CONTEXT_KEY = "kb_head_links"


@dataclass(frozen=True)
class HeadLink:
    rel: str
    type: str
    title: str
    href: str


def add_head_links(context: MutableMapping[str, Any], links: list[HeadLink]) -> None:
    """Append ``links`` to the page context, keeping any added by other hooks."""
    existing: list[HeadLink] = context.setdefault(CONTEXT_KEY, [])
    for link in links:
        if link not in existing:
            existing.append(link)
