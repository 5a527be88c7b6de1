"""``kb-speed``: the build's speed-ups, with output identical to the build without them.

Material's navigation, header, tabs and footer rendered once per distinct input
(kb_engine.compat.navcache, kb_engine.compat.partialcache), each
page's HTML read once for the search index and reading time
(kb_engine.compat.searchfeed, kb_engine.compat.fasthtml), one Pygments style sheet per
build (kb_engine.compat.highlight), one Markdown converter for every page
(kb_engine.compat.pagerender), and the page templates compiled once and kept
between builds (Jinja's own bytecode cache, in ``template_cache``; Jinja checks each
template's source against what it compiled). Each is fenced in :mod:`kb_engine.compat`:
under another version of the library it copies it warns and stays off.
``enabled: false`` turns every speed-up of the engine off, ``kb-blog``'s and
the preview's too (:func:`kb_engine.compat.speedups_enabled`): the site is
then built by the libraries' own code, to the same bytes, only slower.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.plugins import get_plugin_logger

from kb_engine import buildstate
from kb_engine.compat import usable
from kb_engine.compat.fasthtml import READ_ONCE, ReadOnce
from kb_engine.compat.highlight import install as install_highlight
from kb_engine.compat.highlight import uninstall as uninstall_highlight
from kb_engine.compat.navcache import NAV, NAV_PARTIAL
from kb_engine.compat.pagerender import SHARED_CONVERTER, SharedConverter, share_converter
from kb_engine.compat.partialcache import PARTIALS, PartialCache, cacheable
from kb_engine.compat.partialcache import install as install_partial_cache
from kb_engine.compat.searchfeed import install as install_search_feed
from kb_engine.compat.searchfeed import read_early, search_index
from kb_engine.core.paths import cache_folder
from kb_engine.jinjasettings import compile_settings
from kb_engine.plugins.base import FeaturePlugin, start
from kb_engine.plugins.order import ordered

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = get_plugin_logger("kb-speed")
PARTIALS_STATE = "partial_cache"
SPEEDUPS = "speedups"  # kb_engine.buildstate: which of this plugin's speed-ups this build runs


class SpeedSettings(Config):  # type: ignore[no-untyped-call]  # mkdocs leaves this untyped
    # false: every speed-up of the engine off (this plugin's, kb-blog's, the preview's); the same output.
    enabled = c.Type(bool, default=True)
    # Where compiled templates are kept between builds, relative to mkdocs.yml (never under docs/); "" for nowhere.
    template_cache = c.Type(str, default=".cache/templates")


@dataclass(frozen=True)
class Speedups:
    """Which of ``kb-speed``'s speed-ups run in this build (each fenced in kb_engine.compat)."""

    nav: bool
    partials: bool  # the header, tabs and footer
    search: bool


class TemplateCache(jinja2.FileSystemBytecodeCache):
    """Jinja's cache of compiled templates in a folder, which never stops a build.

    A file it cannot read (damaged, cut short) is compiled again; one it cannot
    write (a full disk, a read-only folder) is not kept.
    """

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # any damage: the template is compiled afresh
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass  # not kept: compiled again next time


def compiled_for(env: jinja2.Environment) -> str:
    """A folder name for the compiled templates of environments set up like ``env``
    (:func:`kb_engine.jinjasettings.compile_settings`: what Jinja compiles depends on)."""
    return hashlib.sha256(repr(compile_settings(env)).encode("utf-8")).hexdigest()[:16]


class SpeedPlugin(FeaturePlugin[SpeedSettings]):  # type: ignore[no-untyped-call]  # MkDocs leaves BasePlugin untyped
    name = "kb-speed"
    _template_cache: Path | None = None  # this build's folder of compiled templates

    @ordered("config", "kb-speed")
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        start(config, theme=False)  # the same pages, faster: none of the engine's own
        self._template_cache = None
        if not self.config.enabled:
            uninstall_highlight()  # what an earlier build of this process installed
            return config
        if self.config.template_cache:
            self._template_cache = cache_folder(config, "plugins.kb-speed.template_cache",
                                                self.config.template_cache, ".cache/templates")
        nav = usable("navcache", log, "each page renders Material's navigation")
        partials = usable("partialcache", log, "each page renders Material's header, tabs and footer")
        index = search_index(config)
        search = index is not None and all([  # a list: a warning for each piece
            usable(piece, log, "the search index reads each page as Material does")
            for piece in ("searchfeed", "fasthtml")
        ])
        buildstate.start(config, SPEEDUPS, Speedups(nav=nav, partials=partials, search=search))
        if nav or partials:
            buildstate.start(config, PARTIALS_STATE, PartialCache())
        if search and index is not None:
            install_search_feed(index)
            buildstate.start(config, READ_ONCE, ReadOnce())
        if usable("pagerender", log, "each page makes its own Markdown converter, as MkDocs does"):
            buildstate.start(config, SHARED_CONVERTER, SharedConverter())
        if usable("highlight", log, "each code block makes its own style sheet, as Pygments does"):
            install_highlight({})  # a fresh set of style sheets for this build
        else:
            uninstall_highlight()  # what an earlier build of this process installed
        return config

    @ordered("env", "kb-speed")
    def on_env(self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        if not self.config.enabled:
            return env
        if self._template_cache is not None and env.bytecode_cache is None:  # the preview keeps its own
            compiled = self._template_cache / compiled_for(env)
            try:
                compiled.mkdir(parents=True, exist_ok=True)
            except OSError as error:  # a read-only checkout: the templates are compiled, as without the cache
                log.debug(f"no template cache in {compiled}: {error}")
            else:
                env.bytecode_cache = TemplateCache(str(compiled))
        speedups = self._speedups(config)
        partials = {**({NAV: NAV_PARTIAL} if speedups.nav else {}), **(PARTIALS if speedups.partials else {})}
        keys = cacheable(config, partials)  # those a site's custom_dir does not override
        if keys:
            install_partial_cache(env, buildstate.get(config, PARTIALS_STATE, PartialCache), keys)
        return env

    @ordered("pre_page", "kb-speed")
    def on_pre_page(self, page: Page, /, *, config: MkDocsConfig, files: Files) -> Page:
        if self.config.enabled and buildstate.get_optional(config, SHARED_CONVERTER, SharedConverter) is not None:
            share_converter(page)
        return page

    @ordered("page_content", "kb-speed")
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, **_: object) -> None:
        if self.config.enabled and self._speedups(config).search:
            read_early(page, html)

    @ordered("shutdown", "kb-speed")
    def on_shutdown(self) -> None:
        uninstall_highlight()

    @staticmethod
    def _speedups(config: MkDocsConfig) -> Speedups:
        return buildstate.get(config, SPEEDUPS, Speedups)
