"""``build_site``: MkDocs' build, skipping the work whose result is known from the last one.

The steps, events and their order are MkDocs 1.6.1's ``mkdocs.commands.build.build``
(read against it: :data:`kb_engine.compat.BORROWED`; under another version,
or with ``kb-speed``'s ``enabled: false``, MkDocs' own build runs), with two differences, both keyed so
that a skipped step can only be one whose result is byte for byte the one it
would make:

1. A page's Markdown conversion is taken from the cache when its key (the
   page's Markdown after the plugins, its path and URL, every file's path
   and URL, the Markdown settings) is known; see :mod:`kb_engine.compat.incremental.conversions`.
2. Every plugin still gets every event for every page (their state - the
   search index, feeds, comments, sitemaps - is made by the build as
   always), but a page whose template context has the fingerprint it had in
   the last build (:mod:`kb_engine.compat.incremental.fingerprint`) is not rendered again: the file the
   last build wrote is copied. ``on_post_page`` handlers are taken to depend
   on the output, the page, the config and the page's context only: the
   decision trees' handler, the one this site has, fills in parts made from
   other pages and names a digest of them in the context (``kb_tree_fill``);
   Material's plugins have none.

The site is always built into a clean ``out_dir``; when that is where the
last build went, the last build is moved aside first, removed at the end, and
put back if the build fails. A preview server that keeps answering during a
rebuild builds into a new folder each time and swaps when ``build_site``
returns; it must keep the folder it serves until the next build has returned
(unchanged pages are copied from it).
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from mkdocs import utils
from mkdocs.commands import build as mkdocs_build
from mkdocs.exceptions import Abort, BuildError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page

from kb_engine.compat import speedups_enabled, usable
from kb_engine.compat.incremental.cache import BuildCache, LastBuild, SearchMemo
from kb_engine.compat.incremental.conversions import convert, page_key, site_key
from kb_engine.compat.incremental.fingerprint import page_fingerprint, shared_objects, site_fingerprint
from kb_engine.compat.pagerender import renders_as_mkdocs

if TYPE_CHECKING:
    from collections.abc import Sequence

    import jinja2
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.utils.templates import TemplateContext

# What MkDocs puts before a draft's HTML when it is built for the preview only.
_DRAFT_MARKER = (
    '<div class="mkdocs-draft-marker" title="This page will not be included into the built site.">'
    "DRAFT"
    "</div>"
)

log = logging.getLogger("mkdocs.commands.build")
SPEED_LOG = get_plugin_logger("kb-speed")


def build_site(config: MkDocsConfig, out_dir: str | os.PathLike[str], cache: BuildCache,
               *, serve_url: str | None = None) -> None:
    """Build the site of ``config`` into ``out_dir``, reusing what ``cache`` knows.

    ``config`` is a freshly loaded config (its plugins may be the instances of the
    previous build, as under ``mkdocs serve``); ``cache`` is the same object from one
    build to the next (a new one gives a full build). ``serve_url`` as MkDocs' own:
    set for a preview (drafts are built). Raises what ``mkdocs build`` raises.
    """
    if not (speedups_enabled(config) and all([  # a list: a warning for each piece
        usable(piece, SPEED_LOG, "the preview builds the whole site with MkDocs' own build")
        for piece in ("incremental", "pagerender")
    ])):
        cache.clear()
        config.site_dir = str(out_dir)
        mkdocs_build.build(config, serve_url=serve_url)
        return
    target = Path(out_dir).resolve()
    config.site_dir = str(target)
    previous = cache.previous_dir
    aside: Path | None = None
    if previous is not None and previous == target and target.is_dir():
        aside = target.with_name(f".{target.name}.previous-{os.getpid()}")
        shutil.rmtree(aside, ignore_errors=True)
        target.rename(aside)
        previous = aside
    cache.stats.clear()
    cache.last = None  # let the last build's objects go before this one makes its own
    try:
        last = _build(config, cache, previous, serve_url)
    except BaseException:
        cache.clear()  # the next build starts afresh
        if aside is not None:  # put the last build back where it was
            shutil.rmtree(target, ignore_errors=True)
            aside.rename(target)
            aside = None
        raise
    finally:
        if aside is not None:
            shutil.rmtree(aside, ignore_errors=True)
    cache.finish()
    cache.previous_dir = target
    cache.last = last


def _build(config: MkDocsConfig, cache: BuildCache, previous: Path | None,
           serve_url: str | None) -> LastBuild:
    logger = logging.getLogger("mkdocs")
    warning_counter = utils.CountHandler()
    warning_counter.setLevel(logging.WARNING)
    if config.strict:
        logger.addHandler(warning_counter)
    inclusion = InclusionLevel.is_in_serve if serve_url else InclusionLevel.is_included
    try:
        start = time.monotonic()
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        utils.clean_directory(config.site_dir)

        files = get_files(config)
        env = config.theme.get_env()
        env.bytecode_cache = cache.templates
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)

        conversions = site_key(config, files)
        search = SearchMemo.install(config, cache)
        excluded = []
        for file in files.documentation_pages(inclusion=inclusion):
            if file.page is None and file.inclusion.is_not_in_nav():  # type: ignore[no-untyped-call]
                if serve_url and file.inclusion.is_excluded():  # type: ignore[no-untyped-call]
                    excluded.append(urljoin(serve_url, file.url))
                Page(None, file, config)
            assert file.page is not None
            populate_page(file.page, config, files, cache, conversions)
        if excluded:
            log.info(
                "The following pages are being built only for the preview "
                "but will be excluded from `mkdocs build` per `draft_docs` config:\n  - "
                + "\n  - ".join(excluded)
            )

        env = config.plugins.on_env(env, config=config, files=files)
        files.copy_static_files(dirty=False, inclusion=inclusion)
        for template in config.theme.static_templates:
            mkdocs_build._build_theme_template(template, env, files, config, nav)
        for template in config.extra_templates:
            mkdocs_build._build_extra_template(template, files, config, nav)

        doc_files = files.documentation_pages(inclusion=inclusion)
        renders = _Renders(config, nav, files, doc_files, env, cache, previous)
        for file in doc_files:
            assert file.page is not None
            renders.build_page(file.page, excluded=file.inclusion.is_excluded())  # type: ignore[no-untyped-call]
        cache.outputs = renders.outputs

        log_level = config.validation.links.anchors
        for file in doc_files:
            assert file.page is not None
            file.page.validate_anchor_links(files=files, log_level=log_level)

        config.plugins.on_post_build(config=config)
        if search is not None:
            search.finish(cache)
        if counts := warning_counter.get_counts():
            msg = ", ".join(f"{v} {k.lower()}s" for k, v in counts)
            raise Abort(f"Aborted with {msg} in strict mode!")
        log.info(f"Documentation built in {time.monotonic() - start:.2f} seconds")
        return LastBuild.of(config, files, nav, env, doc_files, renders.rewritten)
    except Exception as e:
        config.plugins.on_build_error(error=e)
        if isinstance(e, BuildError):
            log.error(str(e))
            raise Abort("Aborted with a BuildError!") from e
        raise
    finally:
        logger.removeHandler(warning_counter)


def populate_page(page: Page, config: MkDocsConfig, files: Files, cache: BuildCache, site: bytes,
                  *, source: str | None = None) -> None:
    """MkDocs' ``_populate_page``, with the conversion from the cache when its key is known.

    ``source``: the page's Markdown, already read (:mod:`kb_engine.compat.incremental.quick`), not
    ``read_source``'s.
    """
    config._current_page = page
    try:
        page = config.plugins.on_pre_page(page, config=config, files=files)
        if source is None:
            page.read_source(config)
        else:
            page.markdown = source
        assert page.markdown is not None
        page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
        if not renders_as_mkdocs(page):
            page.render(config, files)
        else:
            key = page_key(site, page)
            conversion = cache.conversions.get(key)
            if conversion is None:
                conversion = convert(page, config, files)
                cache.stats["converted"] = cache.stats.get("converted", 0) + 1
            else:
                cache.stats["conversions reused"] = cache.stats.get("conversions reused", 0) + 1
            cache.conversions_now[key] = conversion
            conversion.apply(page, files)
        assert page.content is not None
        page.content = config.plugins.on_page_content(page.content, page=page, config=config, files=files)
        page.kb_populated = page.content  # type: ignore[attr-defined]  # see _Renders.rewritten
    except Exception as e:
        message = f"Error reading page '{page.file.src_uri}':"
        if not isinstance(e, BuildError):
            message += f" {e}"
        log.error(message)
        raise
    finally:
        config._current_page = None


def page_context(config: MkDocsConfig, nav: Navigation, doc_files: Sequence[File], page: Page,
                 env: jinja2.Environment, *, excluded: bool) -> tuple[str, jinja2.Template, TemplateContext]:
    """The first half of MkDocs' ``_build_page``: the page's template and its context, after the plugins."""
    context = mkdocs_build.get_context(nav, doc_files, config, page)
    name = page.meta.get("template", "main.html")
    template = env.get_template(name)
    context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
    if excluded:
        page.content = _DRAFT_MARKER + (page.content or "")
    return name, template, context


def page_output(config: MkDocsConfig, page: Page, template: jinja2.Template, context: TemplateContext) -> str:
    """The second half: the template rendered, after the plugins' ``on_post_page``."""
    output = template.render(context)
    return config.plugins.on_post_page(output, page=page, config=config)


class _Renders:
    """MkDocs' ``_build_page`` for each page, copying the last build's file when nothing it shows changed."""

    def __init__(self, config: MkDocsConfig, nav: Navigation, files: Files, doc_files: Sequence[File],
                 env: jinja2.Environment, cache: BuildCache, previous: Path | None) -> None:
        self.config, self.nav, self.doc_files, self.env = config, nav, doc_files, env
        self.cache, self.previous = cache, previous
        self.shared = shared_objects(config, nav, files, doc_files, env)
        self.site = site_fingerprint(config, nav, files, doc_files, env)
        self.summaries: dict[int, tuple[object, bytes]] = {}
        self.outputs: dict[str, bytes] = {}
        # Pages whose HTML a plugin changed after the page's own events (the decision
        # trees add boxes in on_env): kb_engine.compat.incremental.quick cannot show those alone.
        self.rewritten: set[str] = set()

    def build_page(self, page: Page, *, excluded: bool) -> None:
        config = self.config
        config._current_page = page
        if getattr(page, "kb_populated", None) is not page.content:
            self.rewritten.add(page.file.src_uri)
        try:
            page.active = True
            name, template, context = page_context(config, self.nav, self.doc_files, page, self.env,
                                                   excluded=excluded)
            dest = page.file.dest_uri
            fingerprint = page_fingerprint(self.site, page, context, name, self.shared, self.summaries)
            if self._reuse(dest, fingerprint, page.file.abs_dest_path):
                self.outputs[dest] = fingerprint
                return
            output = page_output(config, page, template, context)
            self.cache.stats["rendered"] = self.cache.stats.get("rendered", 0) + 1
            if output.strip():
                utils.write_file(output.encode("utf-8", errors="xmlcharrefreplace"), page.file.abs_dest_path)
                self.outputs[dest] = fingerprint
            else:
                log.info(f"Page skipped: '{page.file.src_uri}'. Generated empty output.")
        except Exception as e:
            message = f"Error building page '{page.file.src_uri}':"
            if not isinstance(e, BuildError):
                message += f" {e}"
            log.error(message)
            raise
        finally:
            page.active = False
            config._current_page = None

    def _reuse(self, dest: str, fingerprint: bytes, path: str) -> bool:
        if self.previous is None or self.cache.outputs.get(dest) != fingerprint:
            return False
        source = self.previous / dest
        if not source.is_file():
            return False
        os.makedirs(os.path.dirname(path), exist_ok=True)
        shutil.copyfile(source, path)
        self.cache.stats["pages copied"] = self.cache.stats.get("pages copied", 0) + 1
        return True
