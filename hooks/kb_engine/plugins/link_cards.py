"""``kb-link-cards``: every page's preview card (og:image), drawn from its title at build time (kb_engine.linkcards).

Cards are kept in ``cache_dir`` (outside docs/, outside git) and drawn only
when a title is new.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError

from kb_engine import buildstate
from kb_engine.core.paths import cache_folder
from kb_engine.core.settings import config_file_name
from kb_engine.linkcards import CARDS_DIR, HEIGHT, WIDTH, CardCache, LinkCardSettings, card_name, publish
from kb_engine.plugins.base import FeaturePlugin, start
from kb_engine.plugins.order import ordered

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

STATE = "link_cards"
_TAG = re.compile(r"<[^>]*>")


class CardsBuild:
    def __init__(self, settings: LinkCardSettings, cache: CardCache, site_url: str) -> None:
        self.settings = settings
        self.cache = cache
        self.site_url = site_url
        self.cards: dict[str, tuple[str, str]] = {}  # name -> (header, title), for this build

    def card_for(self, header: str, title: str) -> Any:
        name = card_name(header, title)
        self.cards[name] = (header, title)
        return {"url": f"{self.site_url}{CARDS_DIR}/{name}", "width": WIDTH, "height": HEIGHT, "alt": title}


def _title(page: Page | None, config: MkDocsConfig) -> str:
    """The title the page's head gives OpenGraph (as head-meta.html does)."""
    if page is None:
        return "Page not found"
    if page.meta.get("title"):
        return str(page.meta["title"])
    if page.title and not page.is_homepage:
        return html.unescape(_TAG.sub("", str(page.title))).strip()  # as Jinja's striptags
    return config.site_name


def _add_card(context: dict[str, Any], page: Page | None, config: MkDocsConfig) -> None:
    state = buildstate.get(config, STATE, CardsBuild)
    if not state.settings.enabled:
        return
    title = _title(page, config)
    header = config.site_name if title != config.site_name else (urlsplit(state.site_url).hostname or "")
    context["kb_card"] = state.card_for(header, title)


class LinkCardsPlugin(FeaturePlugin[LinkCardSettings]):  # type: ignore[no-untyped-call]  # MkDocs leaves BasePlugin untyped
    name = "kb-link-cards"

    @ordered("config", "kb-link-cards")
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        start(config)
        settings = self.config
        site_url = config.site_url or "/"
        site_url = site_url if site_url.endswith("/") else site_url + "/"
        folder = cache_folder(config, "plugins.kb-link-cards.cache_dir", settings.cache_dir, ".cache/link-cards")
        cache = CardCache(folder)
        buildstate.start(config, STATE, CardsBuild(settings, cache, site_url))
        return config

    @ordered("page_context", "kb-link-cards")
    def on_page_context(self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Navigation) -> Any:
        _add_card(context, page, config)
        return context

    @ordered("template_context", "kb-link-cards")
    def on_template_context(self, context: Any, /, *, template_name: str, config: MkDocsConfig) -> Any:
        if template_name == "404.html":  # a theme page without a Page
            _add_card(context, None, config)
        return context

    @ordered("post_build", "kb-link-cards")
    def on_post_build(self, config: MkDocsConfig) -> None:
        state = buildstate.get(config, STATE, CardsBuild)
        if not state.settings.enabled:
            return
        try:
            publish(state.cache, state.cards, Path(config.site_dir))
        except OSError as error:  # e.g. a cache folder that cannot be written
            raise PluginError(
                f"{config_file_name(config)}: plugins.kb-link-cards.cache_dir: cannot keep link preview cards in "
                f"'{state.cache.folder}': {error.strerror or error}"
            ) from None
