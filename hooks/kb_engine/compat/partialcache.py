"""Material's per-page partials rendered once for all the pages that show them alike.

Material's ``base.html`` includes, for every page, partials whose HTML differs
between pages only through a few things they read: the navigation
(``partials/nav.html``, keyed in :mod:`kb_engine.compat.navcache`), the header,
the tabs and the footer (keyed here). For each such partial a key function
returns everything the partial shows that can differ between two pages of one
build; pages with the same key get the same HTML, rendered once by Material's
own template, unchanged.

How: Jinja renders an included template by calling its compiled root
function, ``Template.root_render_func``, with a new context, and joins what it
yields (``{% include %}``, ``Template.render``). :func:`install` replaces that
function, on the template objects the build's environment keeps for each
cached partial, with one that asks the partial's key function for the key and
yields the HTML kept for it, or runs Material's own root function, joins its
output and keeps it. Nothing else changes: the same compiled template, the
same context, the same string. No key (a page without one) renders as before.
The cache lives for one build (made in ``on_config``); the environment, and so
the patch, too (MkDocs makes a new one for each build). Should the environment
drop a patched template from its cache (it keeps 400), the one it loads again
renders as it comes. Jinja's side is fenced
in :mod:`kb_engine.compat` (Jinja 3.1.6's ``Template``, and the code its
compiler writes for ``{% include %}``).

What the keys leave out is the same for every page of one build: the site's
name, logo, icons, palette, repository, copyright, social links, the search
plugin's settings and the language's words (``lang.t``). Every link a partial
writes goes through the build's own ``url`` filter in the key, so a key also
holds where the page is.

- **Header** (``header.html``, with ``logo.html``, ``palette.html``,
  ``javascripts/palette.html``, ``alternate.html``, ``search.html``,
  ``source.html``): the features, the home and logo links and the language
  links (``extra.alternate``), the page's title as shown (``page.meta.title``
  or ``page.title``), and, with ``navigation.tabs.sticky``, the tabs' key.
  Differs on most pages (the title): at 300 posts 383 of 507 pages render it,
  the others (the blog's list pages, titled alike) share; measured, the key
  costs less than the pages that share save (benchmarks/README.md).
- **Tabs** (``tabs.html``, ``tabs-item.html``): for each top-level item, what
  the tab shows: the title, whether it is active, its link (the first page
  below a section), its icon.
- **Footer** (``footer.html``, ``copyright.html``, ``social.html``): the
  features. With ``navigation.footer``, a page with a previous or next page
  shows their links, its own: it has no key (rendered as before). Pages
  without (the blog's archive, category and author pages; every page of a
  site without ``navigation.footer``) share one footer.

A partial is cached only where every template it reads is Material's own
file: a site that overrides one (in its ``custom_dir``) gets its template
rendered for every page, as without the cache.
"""

from __future__ import annotations

import os
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import jinja2

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

HEADER = "partials/header.html"
TABS = "partials/tabs.html"
FOOTER = "partials/footer.html"
Key = tuple[Any, ...]
KeyFunction = Callable[[jinja2.runtime.Context], "Key | None"]
RootRender = Callable[[jinja2.runtime.Context], Iterator[str]]


@dataclass(frozen=True)
class Cached:
    """A partial to cache: its key function and the templates it reads (itself first)."""

    key: KeyFunction
    reads: tuple[str, ...]


@dataclass
class PartialCache:
    """The cached partials' HTML by (partial, key), for one build, and how often each was rendered or reused."""

    # The HTML of each partial's latest keys: neighbouring pages share keys (a post's navigation,
    # tabs and footer are its neighbours'), and a key seen once (a header with the page's own
    # title) is dropped in time instead of being kept for the whole build.
    html: dict[str, OrderedDict[Key, str]] = field(default_factory=dict)
    served: frozenset[str] = frozenset()  # the partials cached in this build
    rendered: Counter[str] = field(default_factory=Counter)
    reused: Counter[str] = field(default_factory=Counter)
    limit: int = 256  # keys kept per partial

    def root(self, name: str, key_of: KeyFunction, template: jinja2.Template) -> RootRender:
        """A root render function for ``template`` (partial ``name``) that renders once per key."""
        render, concat = template.root_render_func, template.environment.concat
        kept = self.html.setdefault(name, OrderedDict())

        def cached_root(context: jinja2.runtime.Context) -> Iterator[str]:
            key = key_of(context)
            html = kept.get(key) if key is not None else None
            if key is not None and html is not None:
                self.reused[name] += 1
                kept.move_to_end(key)
            else:
                self.rendered[name] += 1
                html = concat(render(context))
                if key is not None:
                    kept[key] = html
                    if len(kept) > self.limit:
                        kept.popitem(last=False)
            yield html

        return cached_root


def shown(value: Any) -> str:
    """What ``{{ value }}`` writes (the theme's environment does not autoescape)."""
    return str(value)


def link(context: jinja2.runtime.Context, value: Any) -> str:
    """What ``{{ value | url }}`` writes for the page being built."""
    return str(context.environment.filters["url"](context, value))


def features(context: jinja2.runtime.Context) -> Key:
    found = context.get("features")
    return tuple(found) if isinstance(found, (list, tuple)) else (repr(found),)


def _page_title(context: jinja2.runtime.Context, page: Any) -> str:
    """The title ``header.html`` shows: ``page.meta.title`` if set, else ``page.title``."""
    attr = context.environment.getattr
    meta = attr(page, "meta")
    if meta and attr(meta, "title"):
        return shown(attr(meta, "title"))
    return shown(attr(page, "title"))


def header_key(context: jinja2.runtime.Context) -> Key | None:
    """Everything ``partials/header.html`` (and what it includes) shows that can differ between pages."""
    page, nav, config = context.get("page"), context.get("nav"), context.get("config")
    if page is None or config is None:
        return None
    attr = context.environment.getattr
    extra, theme = attr(config, "extra"), attr(config, "theme")
    home = attr(extra, "homepage") or (nav.homepage.url if nav is not None and nav.homepage else None)
    if home is None:
        return None
    shown_features = features(context)
    logo, alternate = attr(theme, "logo"), attr(extra, "alternate")
    sticky = "navigation.tabs.sticky" in shown_features and "navigation.tabs" in shown_features
    return (
        shown_features, shown(attr(theme, "language")), link(context, home),
        link(context, logo) if logo else None,
        tuple(link(context, attr(alt, "link")) for alt in alternate) if alternate else None,
        _page_title(context, page),
        tabs_key(context) if sticky else None,
    )


def _tab(context: jinja2.runtime.Context, nav_item: Any, indexes: bool) -> Key:
    """What ``tabs-item.html``'s ``render(nav_item)`` shows: its title, state, link and icon."""
    attr = context.environment.getattr
    ref = nav_item
    while attr(nav_item, "children"):  # a section: its first child, down to the first page
        first = nav_item.children[0]
        if not attr(first, "children"):
            nav_item = first
            break
        nav_item = first
    icon = None
    if (nav_item == ref or indexes) and attr(nav_item, "is_index") and attr(attr(nav_item, "meta"), "icon"):
        icon = shown(attr(attr(nav_item, "meta"), "icon"))
    return (shown(attr(ref, "title")), bool(attr(ref, "active")), link(context, attr(nav_item, "url")), icon)


def tabs_key(context: jinja2.runtime.Context) -> Key | None:
    """Everything ``partials/tabs.html`` shows that can differ between pages: each top-level item's tab."""
    page, nav, config = context.get("page"), context.get("nav"), context.get("config")
    if page is None or nav is None or config is None:
        return None
    shown_features = features(context)
    indexes = "navigation.indexes" in shown_features
    language = shown(context.environment.getattr(context.environment.getattr(config, "theme"), "language"))
    return shown_features, language, tuple(_tab(context, item, indexes) for item in nav.items)


def footer_key(context: jinja2.runtime.Context) -> Key | None:
    """Everything ``partials/footer.html`` shows that can differ between pages; none for a page with neighbours.

    With ``navigation.footer``, a page with a previous or next page shows their
    links and titles, which no other page shares: it has no key, and renders
    the footer as without the cache.
    """
    config = context.get("config")
    if config is None:
        return None
    attr = context.environment.getattr
    shown_features = features(context)
    if "navigation.footer" in shown_features:
        page = context.get("page")
        if attr(page, "previous_page") or attr(page, "next_page"):
            return None
    return shown_features, shown(attr(attr(config, "theme"), "language"))


TABS_READS = (TABS, "partials/tabs-item.html")
PARTIALS: dict[str, Cached] = {
    HEADER: Cached(header_key, (HEADER, "partials/logo.html", "partials/palette.html",
                                "partials/javascripts/palette.html", "partials/alternate.html",
                                "partials/search.html", "partials/source.html", *TABS_READS)),
    TABS: Cached(tabs_key, TABS_READS),
    FOOTER: Cached(footer_key, (FOOTER, "partials/copyright.html", "partials/social.html")),
}


def material_templates() -> str:
    """The folder of Material's own templates."""
    import material.templates

    return os.path.dirname(os.path.abspath(str(material.templates.__file__)))


def cacheable(config: MkDocsConfig, partials: dict[str, Cached]) -> dict[str, KeyFunction]:
    """The key functions of those of ``partials`` whose every template is Material's own in this theme."""
    return {name: partial.key for name, partial in partials.items() if own_templates(config, partial.reads)}


def own_templates(config: MkDocsConfig, names: tuple[str, ...]) -> bool:
    """Whether the theme finds each of ``names`` in Material's own folder (no folder before it has one)."""
    material = material_templates()
    for name in names:
        for folder in config.theme.dirs:
            if os.path.isfile(os.path.join(folder, name)):
                if os.path.abspath(folder) != material:
                    return False
                break
        else:
            return False
    return True


def install(env: jinja2.Environment, cache: PartialCache, keys: dict[str, KeyFunction]) -> None:
    """Give the templates ``env`` keeps for the partials of ``keys`` root functions that render once per key.

    Only templates loaded from Material's own folder: the same environment then
    renders every other template, a site's overrides among them, as before.
    """
    material = material_templates()
    served = []
    for name, key_of in keys.items():
        template = env.get_template(name)
        if template.filename is None or os.path.abspath(template.filename) != os.path.join(material, name):
            continue  # a site's own (own_templates checks the ones it includes)
        template.root_render_func = cache.root(name, key_of, template)
        served.append(name)
    cache.served = frozenset(served)
