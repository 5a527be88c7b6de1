"""Material's per-page partials rendered once for all the pages that show them alike.

Material's ``base.html`` includes, for every page, partials whose HTML differs
between pages only through a few things they read: the navigation
(``partials/nav.html``, keyed in :mod:`kb_engine.compat.navcache`), the header,
the tabs and the footer (keyed here). For each such partial a key function
returns everything the partial shows that can differ between two pages of one
build; pages with the same key get the same HTML, rendered once by Material's
own template, unchanged.

How: the engine's ``partials/kb/cached.html`` is served under the name of each
cached partial (:func:`install`). It asks :func:`partial_key` for the key (the
template's own name says which partial it stands in for), takes the HTML from
:class:`PartialCache` or renders Material's file, reached under the
``material/`` prefix, and keeps it. The cache lives for one build (made in
``on_config``).

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
  Differs per page almost always (the title): rendered once per page as
  before, the key costs little.
- **Tabs** (``tabs.html``, ``tabs-item.html``): for each top-level item, what
  the tab shows: the title, whether it is active, its link (the first page
  below a section), its icon.
- **Footer** (``footer.html``, ``copyright.html``, ``social.html``): the
  features; with ``navigation.footer`` and a previous or next page, whether
  the page hides its footer (``hide: [footer]``, or the includer's
  ``hidden``), and each neighbour's link and title. Pages without neighbours
  (every post of a blog) share one footer.

A partial is cached only where every template it reads is Material's own
file: a site that overrides one (in its ``custom_dir``) gets its template
rendered for every page, as without the cache.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup, escape

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

PREFIX = "material"  # Material's own templates, below the site's overrides, by this prefix
CACHED = "partials/kb/cached.html"  # the engine's template that stands in for each cached partial
HEADER = "partials/header.html"
TABS = "partials/tabs.html"
FOOTER = "partials/footer.html"
Key = tuple[Any, ...]
KeyFunction = Callable[[jinja2.runtime.Context], "Key | None"]


@dataclass(frozen=True)
class Cached:
    """A partial to cache: its key function and the templates it reads (itself first)."""

    key: KeyFunction
    reads: tuple[str, ...]


@dataclass
class PartialCache:
    """The cached partials' HTML by (partial, key), for one build, and how often each was rendered or reused."""

    html: dict[tuple[str, Key], Markup] = field(default_factory=dict)
    served: frozenset[str] = frozenset()  # the partials cached in this build
    rendered: Counter[str] = field(default_factory=Counter)
    reused: Counter[str] = field(default_factory=Counter)

    def get(self, key: tuple[str, Key | None]) -> Markup | None:
        name, parts = key
        if parts is None:
            return None
        html = self.html.get((name, parts))
        if html is not None:
            self.reused[name] += 1
        return html

    def keep(self, key: tuple[str, Key | None], html: str) -> str:
        name, parts = key
        self.rendered[name] += 1
        if parts is not None:
            self.html[(name, parts)] = Markup(html)  # noqa: S704 - the output of a template of the theme
        return ""


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


def _neighbour(context: jinja2.runtime.Context, page: Any) -> Key | None:
    if not page:
        return None
    title = context.environment.getattr(page, "title")
    return (link(context, context.environment.getattr(page, "url")), shown(title), str(escape(title)))


def footer_key(context: jinja2.runtime.Context) -> Key | None:
    """Everything ``partials/footer.html`` shows that can differ between pages: the previous and next links."""
    config = context.get("config")
    if config is None:
        return None
    attr = context.environment.getattr
    shown_features = features(context)
    parts: list[Any] = [shown_features, shown(attr(attr(config, "theme"), "language"))]
    if "navigation.footer" in shown_features:
        page = context.get("page")
        before, after = attr(page, "previous_page"), attr(page, "next_page")
        if before or after:
            meta = attr(page, "meta")
            hide = attr(meta, "hide") if meta else None
            # "hidden": set from the page's hide: list (the {% if %} around it writes blank lines),
            # else whatever the includer has.
            hidden = (True, "hidden" if "footer" in hide else "") if hide else (
                False, shown(context.get("hidden", "")))
            parts += [hidden, _neighbour(context, before), _neighbour(context, after)]
    return tuple(parts)


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


def partial_key(keys: dict[str, KeyFunction], context: jinja2.runtime.Context) -> tuple[str, Key | None]:
    """The key of the partial ``partials/kb/cached.html`` stands in for (its name is the template's)."""
    name = str(context.name)
    return name, keys[name](context)


def install(env: jinja2.Environment, cache: PartialCache, keys: dict[str, KeyFunction]) -> None:
    """Serve ``partials/kb/cached.html`` under each name of ``keys``, Material's own under a prefix.

    The site's template goes in front only here, so a site built without this
    hook (or a theme set up without it) gets Material's partials as they come.
    """
    site = env.loader
    assert site is not None

    def cached_partial(name: str) -> tuple[str, str | None, Any] | None:
        if name not in keys:
            return None
        return site.get_source(env, CACHED)

    env.loader = jinja2.ChoiceLoader([
        jinja2.FunctionLoader(cached_partial),
        site,
        jinja2.PrefixLoader({PREFIX: jinja2.FileSystemLoader(material_templates())}),
    ])
    cache.served = frozenset(keys)
    env.globals["kb_partial_key"] = jinja2.pass_context(lambda context: partial_key(keys, context))
    env.globals["kb_partial_upstream"] = jinja2.pass_context(lambda context: f"{PREFIX}/{context.name}")
    env.globals["kb_partial_cached"] = cache.get
    env.globals["kb_partial_keep"] = cache.keep
