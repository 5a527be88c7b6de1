"""The footer's "Previous" and "Next" links, between pages a reader chose to read.

MkDocs links every page of the navigation to its neighbours, and Material's
blog puts its generated views there too (archive "2009", author "David
Brock", category "Uncategorized"), so the footer read "Next: David Brock"
under the blog's index. Here the views step out of the chain: pages link
past them to the next written page, and a view itself has no footer links
(it is reached from the blog's own navigation, and its title alone, a year
or a name, does not say where a link would lead).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar


class Linked(Protocol):
    previous_page: object
    next_page: object


P = TypeVar("P", bound=Linked)


def relink(pages: Sequence[P], skip: Callable[[P], bool]) -> None:
    """Point each kept page at its kept neighbours; skipped pages get none."""
    kept = [page for page in pages if not skip(page)]
    for page in pages:
        if skip(page):
            page.previous_page = page.next_page = None
    for before, page, after in zip([None, *kept[:-1]], kept, [*kept[1:], None], strict=True):
        page.previous_page = before
        page.next_page = after
