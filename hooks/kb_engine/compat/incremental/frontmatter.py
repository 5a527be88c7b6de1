"""Which front-matter edits a page can be shown with on its own, before the rebuild (:mod:`.quick`).

A page's address and title are made from its front matter (``title``,
``slug``, ``date``) and show on many pages; so do its draft state and the
other settings plugins read while the build lays out the site (``on_files``,
``on_nav``). The keys in :data:`SHOWN_HERE` are read only by the page's own
events and template - besides the lists, indexes and feeds made of many pages,
which the rebuild that always follows makes - so an edit that changes nothing
else is shown at once: the changed keys are set on the last build's page and
each plugin that keeps something made from them outside the page's own events
updates it in ``kb_front_matter_edited(page, changed, config, files)``, or
refuses (False) and the page waits for the rebuild.

Material's tags plugin, which is not this project's, is asked too: a page's
tags link to the tags page's listing, which the build fills in ``on_env`` from
every page's tags, so a page is shown on its own only with tags some other page
of the last build has (:func:`kb_engine.compat.tags.tags_known`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mkdocs.utils.meta import get_data

if TYPE_CHECKING:
    from mkdocs.structure.pages import Page

# Shown by the page itself (and by lists made of many pages): a description, tags, a
# post's categories and authors, whether its comments are open.
SHOWN_HERE = frozenset({"description", "tags", "categories", "authors", "comments"})


class Missing:
    """A key the new front matter no longer has."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = Missing()


def front_matter_changes(before: str, after: str) -> dict[str, Any] | None:
    """The keys whose value differs between two YAML front-matter blocks, with their new value.

    ``MISSING`` for a key removed. None where the edit is not one a page can be
    shown with on its own: another key changed, or a block is not a mapping.
    """
    old, new = _meta(before), _meta(after)
    if old is None or new is None:
        return None
    changed = {key: new.get(key, MISSING) for key in old.keys() | new.keys()
               if old.get(key, MISSING) != new.get(key, MISSING)}
    if not changed.keys() <= SHOWN_HERE:
        return None
    return changed


def _meta(block: str) -> dict[str, Any] | None:
    if not block:
        return {}
    rest, meta = get_data(block)
    return meta if isinstance(meta, dict) and meta and not rest.strip() else None


def apply_changes(page: Page, changed: dict[str, Any]) -> None:
    """Set the changed keys on ``page.meta`` (the rest is as the build's plugins left it)."""
    for key, value in changed.items():
        if value is MISSING:
            page.meta.pop(key, None)
        else:
            page.meta[key] = value
