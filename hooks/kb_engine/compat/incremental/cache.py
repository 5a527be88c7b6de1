"""What :func:`kb_engine.compat.incremental.build_site` keeps from one build to the next (in memory only).

Everything in it is keyed by a hash of all that its value depends on, so a
stale entry can never be used, only left unused; a new ``BuildCache`` (or
:meth:`BuildCache.clear`) gives a full build. After a failed build the cache is
cleared.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment
from jinja2.bccache import Bucket, BytecodeCache
from material.plugins.search.plugin import SearchIndex, SearchPlugin
from mkdocs.utils.meta import YAML_RE, get_data

from kb_engine.jinjasettings import compile_settings

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    import jinja2
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page
    from mkdocs.structure.toc import AnchorLink

    from kb_engine.compat.incremental.conversions import Conversion


@dataclass
class BuildCache:
    """Kept across builds by the caller (one per preview server)."""

    previous_dir: Path | None = None
    # Markdown conversions by conversions.page_key: the last build's, and this build's.
    conversions: dict[bytes, Conversion] = field(default_factory=dict)
    conversions_now: dict[bytes, Conversion] = field(default_factory=dict)
    # The fingerprint of each page written by the last build, by its path in the site.
    outputs: dict[str, bytes] = field(default_factory=dict)
    # Search entries of a page by SearchMemo.key: the last build's, and this build's.
    search: dict[bytes, list[dict[str, Any]]] = field(default_factory=dict)
    search_now: dict[bytes, list[dict[str, Any]]] = field(default_factory=dict)
    templates: CompiledTemplates = field(default_factory=lambda: CompiledTemplates())
    # What the last build did (converted, conversions reused, rendered, pages copied).
    stats: dict[str, int] = field(default_factory=dict)
    # The last good build's objects, for showing an edited page at once (quick.py).
    last: LastBuild | None = None

    def clear(self) -> None:
        self.previous_dir = None
        self.last = None
        self.conversions.clear()
        self.conversions_now.clear()
        self.outputs.clear()
        self.search.clear()
        self.search_now.clear()
        self.templates.clear()

    def finish(self) -> None:
        """Keep what this build made (and only that) for the next one."""
        self.conversions, self.conversions_now = self.conversions_now, {}
        self.search, self.search_now = self.search_now, {}


_NO_META = ""  # the front matter of a page that has none


@dataclass
class LastBuild:
    """What a finished build leaves in memory, for :func:`render_edited_page`."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: jinja2.Environment
    doc_files: Sequence[File]
    # Each page's front matter as its file read when the build finished, by source path;
    # absent where it could not be told (another kind of metadata, an unreadable file).
    front_matter: dict[str, str] = field(default_factory=dict)
    # Pages whose HTML a plugin changed after the page's own events (the decision trees
    # add their boxes in on_env): shown alone only where that plugin can do it again.
    rewritten: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, config: MkDocsConfig, files: Files, nav: Navigation, env: jinja2.Environment,
           doc_files: Sequence[File], rewritten: set[str]) -> LastBuild:
        """The last build's objects, and each page's front matter."""
        last = cls(config, files, nav, env, list(doc_files), rewritten=set(rewritten))
        for file in last.doc_files:
            if file.generated_by is None and file.abs_src_path:
                front = _front_matter(file.abs_src_path)
                if front is not None:
                    last.front_matter[file.src_uri] = front
        return last


def read_text(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8-sig") as f:
            return f.read()
    except (OSError, UnicodeDecodeError):
        return None


def front_matter_of(text: str) -> str | None:
    """The YAML front matter block of a page's text, "" for none, None for other metadata."""
    match = YAML_RE.match(text)
    if match:
        return match.group(0)
    if get_data(text)[1]:  # MultiMarkdown-style metadata: not compared here
        return None
    return _NO_META


def _front_matter(path: str) -> str | None:
    text = read_text(path)
    return None if text is None else front_matter_of(text)


class SearchMemo:
    """Material's search entries of a page, made once per distinct page and reused.

    ``SearchIndex.add_entry_from_context(page)`` reads the page's HTML, table of
    contents, URL, title and metadata (``title``, ``tags``, ``search``) and the
    plugin's options, and appends entries to the index; the key hashes all of
    them, and a known key appends copies of the same entries, in the same order.
    """

    def __init__(self, index: SearchIndex, options: str, cache: BuildCache) -> None:
        self.index = index
        self.options = options.encode()
        self.cache = cache
        self.original = index.add_entry_from_context

    @classmethod
    def install(cls, config: MkDocsConfig, cache: BuildCache) -> SearchMemo | None:
        for plugin in config.plugins.values():
            if type(plugin) is SearchPlugin and plugin.config.enabled:
                index = plugin.search_index
                memo = cls(index, repr(sorted(plugin.config.items())), cache)
                index.add_entry_from_context = memo.add_entry_from_context
                return memo
        return None

    def key(self, page: Page) -> bytes:
        digest = hashlib.sha256(self.options)
        meta = page.meta
        parts = (page.content or "", page.url, str(page.title), repr(meta.get("title", page.title)),
                 repr(meta.get("tags")), repr(meta.get("search")), repr(_toc(page.toc)))
        for part in parts:
            digest.update(b"\0" + part.encode("utf-8", "surrogatepass"))
        return digest.digest()

    def add_entry_from_context(self, page: Page) -> None:
        key = self.key(page)
        known = self.cache.search.get(key)
        if known is None:
            before = len(self.index.entries)
            self.original(page)
            known = [_copy(entry) for entry in self.index.entries[before:]]
        else:
            self.index.entries.extend(_copy(entry) for entry in known)
        self.cache.search_now[key] = known

    def finish(self, cache: BuildCache) -> None:
        del self.index.add_entry_from_context


def _copy(entry: dict[str, Any]) -> dict[str, Any]:
    return {key: list(value) if isinstance(value, list) else value for key, value in entry.items()}


def _toc(items: Iterable[AnchorLink]) -> list[Any]:
    return [(item.id, item.url, item.title, item.level, _toc(item.children)) for item in items]


class CompiledTemplates(BytecodeCache):
    """Jinja's compiled templates, kept in memory across builds.

    MkDocs makes a new Jinja environment for every build, which compiles every
    template again. Jinja's own bytecode cache keys a template by its name and
    file and stores the checksum of its source, and loads a compiled template
    only when the source's checksum matches; the key here adds the
    environment's compile-time settings.
    """

    def __init__(self) -> None:
        self.stored: dict[str, bytes] = {}

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        settings = compile_settings(self.environment)
        return super().get_cache_key(f"{settings!r}\0{name}", filename)

    def get_bucket(self, environment: Environment, name: str, filename: str | None, source: str) -> Bucket:
        self.environment = environment  # for get_cache_key, which Jinja's get_bucket calls
        try:
            return super().get_bucket(environment, name, filename, source)
        finally:
            # Not kept: an environment's filters and globals reach its build's config,
            # and through it every page, file and plugin state of that build, which
            # would stay in memory while the next build converts its pages.
            del self.environment

    def load_bytecode(self, bucket: Bucket) -> None:
        data = self.stored.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.stored[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self.stored.clear()
