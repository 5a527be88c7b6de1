"""Fingerprints of what a page template is given: equal fingerprints, equal pages.

A page's HTML is ``on_post_page(template.render(context))``. The template can
only read what the context reaches, so a digest of everything reachable from
the context (after every plugin's ``on_page_context``) and of the templates
themselves decides whether the page written by the previous build is still
right. The walk is generic - any object is digested by its attributes - with
four kinds of object cut short, because walking them from every page would
cost as much as rendering:

- the objects every page shares (the config, the navigation, the list of
  pages, the plugins, the Jinja environment) are digested once per build in
  :func:`site_fingerprint` and stand for themselves by name;
- another page than the one being built (a post listed in a view, a section
  or page of the navigation, the previous and next page) stands for what the
  templates show of it: its class, source path, URL, title, metadata, active
  flag, blog configuration (dates, authors, categories, read time) and
  children - not its Markdown or HTML;
- Markdown converters (an excerpt's ``md``) and loggers are skipped;
- functions stand for their code and the values they close over.

``build_date_utc`` is left out: neither Material's nor this project's
templates read it (the incremental tests check that the site equals a fresh
build).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import marshal
import os
import types
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from markdown import Markdown
from material.plugins.blog.structure import Excerpt
from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin, PluginCollection
from mkdocs.structure import StructureItem
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

# Context entries every page gets that no template of the site reads (see module docstring).
UNREAD_CONTEXT = frozenset({"build_date_utc"})
# Config entries that are per-build state of hooks (kb_engine.buildstate) or MkDocs' own bookkeeping;
# what they give a page reaches its context and is digested there.
_STATE_PREFIXES = ("_kb_state_", "_current_page")
# Where the site is written to (the preview builds into a new folder each time); no template reads it.
_UNREAD_CONFIG = frozenset({"site_dir"})
# kb-blog's record of how an excerpt was converted (compat.fastblog.excerpts): its shown HTML is walked.
_BOOKKEEPING = frozenset({"kb_placeholders"})
# What a template can show of a page other than the one being built.
_SUMMARY = ("url", "canonical_url", "abs_url", "edit_url", "meta", "active", "is_index",
            "is_homepage", "config", "authors", "categories", "children", "name")
_PROPERTIES = frozenset({"url", "canonical_url", "abs_url", "edit_url", "is_index", "is_homepage"})
_SCALAR_TYPES = frozenset({int, float, bool, type(None), bytes, datetime.date, datetime.datetime,
                           datetime.time})
# Converters, loggers, plugins, the Jinja environment and classes: nothing a template shows.
_UNWALKED = (Markdown, logging.Logger, logging.Handler, BasePlugin, jinja2.Environment, type)
_MARSHALLABLE = frozenset({str, int, float, bool, type(None), bytes})
_SCALARS = (str, int, float, bool, type(None), bytes, datetime.date, datetime.datetime, datetime.time)


class Fingerprint:
    """A SHA-256 over a walk of objects; see the module docstring for the rules."""

    def __init__(self, shared: Mapping[int, str] | None = None, root: object = None,
                 summaries: dict[int, tuple[object, bytes]] | None = None) -> None:
        self._hash = hashlib.sha256()
        self._shared = shared or {}
        self._root = root
        self._seen: dict[int, int] = {}
        # Ids are only unique among live objects: what was walked is kept alive for the walk.
        self._walked: list[object] = []
        self._summaries = summaries if summaries is not None else {}

    def digest(self) -> bytes:
        return self._hash.digest()

    def add(self, value: object) -> None:
        update = self._hash.update
        cls = type(value)
        if cls is str:
            encoded = value.encode("utf-8", "surrogatepass")  # type: ignore[attr-defined]
            update(b"s%d:" % len(encoded))
            update(encoded)
            return
        if cls in _SCALAR_TYPES:
            update(f"{cls.__name__}:{value!r};".encode())
            return
        if isinstance(value, str):  # Markup and other kinds of string: the kind matters to templates
            encoded = value.encode("utf-8", "surrogatepass")
            update(f"{cls.__module__}.{cls.__qualname__}{len(encoded)}:".encode())
            update(encoded)
            return
        if isinstance(value, _SCALARS):
            update(f"{cls.__module__}.{cls.__qualname__}:{value!r};".encode())
            return
        key = id(value)
        name = self._shared.get(key)
        if name is not None:
            update(f"shared:{name};".encode())
            return
        summary = self._summaries.get(key)
        if summary is not None and value is not self._root:
            update(summary[1])
            return
        seen = self._seen.get(key)
        if seen is not None:
            update(b"seen:%d;" % seen)
            return
        self._seen[key] = len(self._seen)
        self._walked.append(value)
        update(f"<{cls.__module__}.{cls.__qualname__}".encode())
        if cls is dict:
            self._mapping(value, sort=False)  # type: ignore[arg-type]
        elif cls is list or cls is tuple:
            if not self._marshalled(value):
                for item in value:  # type: ignore[attr-defined]
                    self.add(item)
        elif isinstance(value, Config):
            self._config(value)
        elif isinstance(value, Mapping):
            self._mapping(value, sort=False)
        elif isinstance(value, (list, tuple)):
            if not self._marshalled(tuple(value)):
                for item in value:
                    self.add(item)
        elif isinstance(value, (set, frozenset)):
            for part in sorted(_digest_of(item, self._shared) for item in value):
                update(part)
        elif isinstance(value, (Page, StructureItem)) and value is not self._root and not isinstance(
            value, Excerpt
        ):
            self._summary(value)
        elif isinstance(value, _UNWALKED):
            pass
        elif isinstance(value, types.ModuleType):
            self.add(value.__name__)  # a hook: its source is part of site_fingerprint
        elif isinstance(value, (types.FunctionType, types.MethodType)):
            self._function(value)
        elif isinstance(value, File):
            self.add((value.src_uri, value.dest_uri, value.url, str(value.inclusion)))
        else:
            self._attributes(value)
        update(b">")

    def _summary(self, item: Any) -> None:
        # A page's summary does not change while pages are built, except its active flag
        # (and a section's, which follows its pages): summaries of inactive pages are kept.
        keep = isinstance(item, Page) and not item.active
        if keep:
            known = self._summaries.get(id(item))
            if known is not None:
                self._hash.update(known[1])
                return
        walk = Fingerprint(self._shared, None, self._summaries)
        file = getattr(item, "file", None)
        walk.add(file.src_uri if isinstance(file, File) else None)
        walk.add(str(getattr(item, "title", None)))
        for name in _SUMMARY:
            if name in _PROPERTIES:
                walk.add(getattr(item, name, None))
            else:
                walk.add(vars(item).get(name))
        digest = walk.digest()
        if keep:
            self._summaries[id(item)] = (item, digest)  # kept alive: ids are reused
        self._hash.update(digest)

    def _function(self, function: Any) -> None:
        if isinstance(function, types.MethodType):
            self.add(function.__self__)
            function = function.__func__
        self.add(function.__qualname__)
        self._code(function.__code__)
        for cell in function.__closure__ or ():
            self.add(cell.cell_contents)

    def _code(self, code: types.CodeType) -> None:
        self.add(code.co_code)
        self.add(code.co_names)
        for const in code.co_consts:
            if isinstance(const, types.CodeType):
                self._code(const)
            else:
                self.add(const)

    def _marshalled(self, value: Any) -> bool:
        """Containers of plain values, in one C call (e.g. the comment count of every post, on
        every page): marshal format 2 writes no back-references, so equal values give equal bytes."""
        try:
            data = marshal.dumps(value, 2)
        except ValueError:
            return False
        self._hash.update(b"m%d:" % len(data))
        self._hash.update(data)
        self._hash.update(b">")
        return True

    def _mapping(self, items: Mapping[Any, Any], *, sort: bool, skip: frozenset[str] = frozenset()) -> None:
        """Keys and values; the plain ones in one marshal call, then the others one by one."""
        plain = []
        other = []
        for key, item in items.items():
            if key in skip:
                continue
            if type(key) is str and type(item) in _MARSHALLABLE:
                plain.append((key, item))
            else:
                other.append((key, item))
        if sort:
            plain.sort()
            other.sort(key=lambda pair: str(pair[0]))
        if plain:
            self._marshalled(tuple(plain))
        for key, item in other:
            self.add(key)
            self.add(item)

    def _config(self, value: Config) -> None:
        shown = {key: value.get(key) for key in value
                 if not key.startswith(_STATE_PREFIXES) and key not in _UNREAD_CONFIG}
        self._mapping(shown, sort=False)

    def _attributes(self, value: object) -> None:
        attributes = getattr(value, "__dict__", None)
        if isinstance(value, tuple):  # a named tuple
            if not self._marshalled(tuple(value)):
                for item in value:
                    self.add(item)
            return
        if attributes is not None:
            self._mapping(attributes, sort=True, skip=_BOOKKEEPING)
        for cls in type(value).__mro__:
            for slot in getattr(cls, "__slots__", ()):
                if slot != "__dict__" and hasattr(value, slot):
                    self.add(slot)
                    self.add(getattr(value, slot))
        if attributes is None and not any(getattr(c, "__slots__", None) for c in type(value).__mro__):
            self.add(repr(value))


def _digest_of(value: object, shared: Mapping[int, str]) -> bytes:
    walk = Fingerprint(shared)
    walk.add(value)
    return walk.digest()


def shared_objects(config: MkDocsConfig, nav: Navigation, files: Files, doc_files: Iterable[Any],
                   env: jinja2.Environment) -> dict[int, str]:
    """The objects every page's context reaches, by id, with the name that stands for them."""
    return {id(config): "config", id(nav): "nav", id(files): "files", id(doc_files): "pages",
            id(config.plugins): "plugins", id(env): "env"}


def _tree_digest(folders: Iterable[str], into: Any) -> None:
    """Every file under the theme folders, by path, size and modification time (as make does)."""
    for folder in folders:
        if not os.path.isdir(folder):
            continue
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames.sort()
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                stat = os.stat(path)
                into.update(f"\0{path}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())


def site_fingerprint(config: MkDocsConfig, nav: Navigation, files: Files, doc_files: Iterable[Any],
                     env: jinja2.Environment) -> bytes:
    """What every page's HTML depends on: config, plugins' options, navigation, files, templates, hooks."""
    walk = Fingerprint()
    walk.add(config)
    plugins: PluginCollection = config.plugins
    for name, plugin in plugins.items():
        options = dict(getattr(plugin, "config", {}))
        walk.add((name, type(plugin).__module__, type(plugin).__qualname__, options))
    walk.add(nav.items)
    walk.add([(f.src_uri, f.dest_uri, f.url, str(f.inclusion)) for f in files])
    walk.add(list(env.filters))
    walk.add(list(env.globals))
    digest = hashlib.sha256(walk.digest())
    _tree_digest(config.theme.dirs, digest)
    for hook in sorted(str(path) for path in getattr(config, "hooks", None) or ()):
        digest.update(hook.encode())
    for module in _hook_modules(config):
        digest.update(module.read_bytes())
    return digest.digest()


def _hook_modules(config: MkDocsConfig) -> list[Path]:
    """The source of every hook module (edits to them change pages without changing their inputs)."""
    found: list[Path] = []
    for plugin in config.plugins.values():
        source = getattr(plugin, "__file__", None)
        if isinstance(plugin, types.ModuleType) and source:
            found.append(Path(source))
    return found


def page_fingerprint(site: bytes, page: Page, context: Mapping[str, Any], template: str,
                     shared: Mapping[int, str], summaries: dict[int, tuple[object, bytes]]) -> bytes:
    """What one page's HTML depends on beyond ``site``: its template's name and its whole context.

    ``summaries`` is kept for one build (see ``Fingerprint._summary``).
    """
    walk = Fingerprint(shared, root=page, summaries=summaries)
    walk.add(site)
    walk.add(template)
    for key in sorted(context):
        if key not in UNREAD_CONTEXT:
            walk.add(key)
            walk.add(context[key])
    return walk.digest()
