"""Material's primary navigation, rendered once for all the pages that show it alike.

Material renders the whole navigation tree for every page (``partials/nav.html``),
most of a page's template time on a site with a blog: a thousand posts show the
same tree. What that template shows of the page being built is each item's
link relative to the page (the ``url`` filter, with the page in the context),
which items are active, and, where the page is itself in the navigation, the
page and its table of contents. Everything else it reads is the same for every
page of one build (the features, the site's name, logo and repository).

So the navigation is one of the partials :mod:`kb_engine.compat.partialcache`
renders once per key, and :func:`nav_key` makes its key of exactly those: for
every item in order, its kind, title, the shown metadata, its link through
the build's own ``url`` filter, whether it is active, its number of
children, whether it is the page; the home link; and, for a page
that is in the navigation (the template shows it there with its table of
contents), the page itself and its table of contents. Pages with the same key
get the same HTML, rendered once by Material's own template, unchanged. It is
cached only where every template it reads (:data:`NAV_PARTIAL`) is Material's own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from mkdocs.structure.pages import Page as MkDocsPage

from kb_engine.compat.partialcache import Cached

if TYPE_CHECKING:
    import jinja2

NAV = "partials/nav.html"


def _items(items: list[Any]) -> list[Any]:
    """Every item, each before its children (depth first, as ``nav.html`` walks them)."""
    found: list[Any] = []
    walks: list[Iterator[Any]] = [iter(items)]
    while walks:
        for item in walks[-1]:
            found.append(item)
            children = getattr(item, "children", None)
            if children:
                walks.append(iter(children))  # its children next, then on after it
                break
        else:
            walks.pop()
    return found


def _toc(items: Any) -> tuple[Any, ...]:
    """What ``partials/toc.html`` shows of a table of contents."""
    return tuple((item.url, str(item.title), item.level, repr(getattr(item, "typeset", None)),
                  _toc(item.children or ())) for item in items or ())


def _shown(item: Any, url: Any, context: jinja2.runtime.Context) -> tuple[Any, ...]:
    """What ``partials/nav-item.html`` shows of one item."""
    meta = getattr(item, "meta", None) or {}
    link = getattr(item, "url", None)
    return (
        type(item).__qualname__, str(item.title), url(context, link) if link is not None else None,
        bool(getattr(item, "active", False)), bool(getattr(item, "is_index", False)),
        len(getattr(item, "children", None) or ()), repr(getattr(item, "typeset", None)),
        repr(getattr(item, "encrypted", None)), repr(meta.get("icon")), repr(meta.get("subtitle")),
        repr(meta.get("status")),
    )


_PAGE_EQ: Any = MkDocsPage.__eq__


def _equal_to(page: Any) -> Callable[[Any], bool]:
    """``item == page`` for any item (what the template's ``==`` and ``in`` work out), without MkDocs'
    comparison where it cannot hold.

    MkDocs' ``Page.__eq__`` compares the class, the titles (a title may be worked out from
    the page's Markdown) and the files, and files compare by identity: between two objects
    that both use it, different files mean not equal whichever side Python asks first.
    What is read of ``page`` is read once, for the whole navigation.
    """
    plain = type(page).__eq__ is _PAGE_EQ
    file = getattr(page, "file", None)

    def equal(item: Any) -> bool:
        if item is page:
            return True
        if plain and type(item).__eq__ is _PAGE_EQ and getattr(item, "file", None) is not file:
            return False
        return bool(item == page)

    return equal


def nav_key(context: jinja2.runtime.Context) -> tuple[Any, ...] | None:
    """Everything ``partials/nav.html`` shows that can differ between two pages of one build.

    For each item: what it shows, and whether it is the page being built (``==``, as
    the template compares, :func:`_equal_to`) or lists it among its pages (a blog view's
    pagination, which the template then shows in its place). Where the page is in the navigation, the
    template shows the page itself there, with its table of contents: so does the key.
    """
    page, nav, config = context.get("page"), context.get("nav"), context.get("config")
    if page is None or nav is None or config is None:
        return None
    url = context.environment.filters["url"]
    home = (config.extra or {}).get("homepage") or (nav.homepage.url if nav.homepage else None)
    if home is None:
        return None
    parts: list[Any] = [url(context, home)]
    placed = False
    equal = _equal_to(page)
    for item in _items(nav.items):
        pages = getattr(item, "pages", None)
        is_page = equal(item)
        in_pages = bool(pages and any(map(equal, pages)))
        placed = placed or is_page or in_pages
        parts.append((_shown(item, url, context), is_page, in_pages))
    if placed:
        parts.append((_shown(page, url, context), _toc(page.toc)))
    return tuple(parts)


NAV_PARTIAL = Cached(nav_key, (NAV, "partials/nav-item.html", "partials/toc.html", "partials/toc-item.html",
                               "partials/logo.html", "partials/source.html"))
