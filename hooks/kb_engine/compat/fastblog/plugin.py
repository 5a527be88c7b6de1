"""``kb-blog``: Material's blog plugin, with its two quadratic costs removed.

Registered as the MkDocs plugin ``kb-blog`` (see pyproject.toml) and used in
mkdocs.yml in place of ``blog``, with the same options. Everything not named
here is Material's own code, unchanged:

1. Membership tests. Material asks ``page not in self.blog.posts`` for every
   page; ``in`` on a list compares with ``Page.__eq__``, which computes
   ``Page.title`` (parsing Markdown while a post has not been rendered yet):
   quadratic in the number of posts. Here the list of posts answers ``in`` by
   identity, from a set of object ids - what the test means.
2. Excerpts. Material renders a post's whole Markdown again for every view
   (index page, archive, each category, each author) that lists it, because
   links in an excerpt are relative to the view's URL. Here each excerpt is
   converted once per build with every rewritten link left as a placeholder,
   see :mod:`kb_engine.compat.fastblog.excerpts`, and each view fills the placeholders with
   links relative to its own URL: the same bytes Material writes. That one
   conversion is itself mostly not made: the post's own conversion keeps its
   tree from before the table of contents, and the excerpt's converter only
   finishes it (:mod:`kb_engine.compat.fastblog.sharedtree`; posts are given the class
   :class:`~kb_engine.compat.fastblog.sharedtree.CapturingPost` for it, which adds that and
   nothing else), so a post's Markdown is parsed once.

3. Previews. MkDocs keeps plugin instances across ``mkdocs serve`` rebuilds;
   renderings that need no second conversion are kept from one build to the
   next under a hash of everything a conversion reads
   (:func:`kb_engine.compat.fastblog.excerpts.conversion_key`), so a rebuild after editing
   one post converts that post's excerpt only: the excerpt's Markdown
   converter is made on first use (:class:`kb_engine.compat.fastblog.excerpts.LazyExcerpt`,
   Material's ``Excerpt`` otherwise), so a kept excerpt never makes one, which
   is why ``on_page_markdown`` for posts is Material's code with that class.
   Read times are kept the same
   way, by the post's HTML and the words per minute (all Material's
   ``readtime`` reads), and worked out by Material's own read time parser fed
   through :mod:`kb_engine.compat.fasthtml` (:mod:`kb_engine.compat.fastblog.readtime`, the same numbers).
4. Front matter. Material parses every post's front matter with PyYAML's
   pure-Python parser in ``Post.__init__``; here posts are made by a copy of
   it (:func:`kb_engine.compat.fastblog.frontmatter.init_post`, with a copy of
   ``_resolve_post``) that parses with libyaml where that is sure to give
   PyYAML's value, and otherwise (and on any error) with PyYAML's own parser,
   and keeps each parse by its text across rebuilds, handing each post a copy.
5. Dates. Material formats a post's date with Babel every time a page shows
   it (the post, and every view listing it); here each text is made once per
   build, by Material's own ``_format_date``, under a key of everything it
   reads (:func:`date_key`: the date with its offset and zone name, the
   pattern, the site's language).

The speed-up was written against one version of each library it copies
(Material, MkDocs, Python-Markdown, Python: :data:`KB_BLOG_PIECES` in
:data:`kb_engine.compat.BORROWED`); under any other version it steps aside
with a warning (which ``--strict`` turns into a failed build) and the stock
plugin runs unchanged. So it does with ``kb-speed``'s ``enabled: false``
(:func:`kb_engine.compat.speedups_enabled`), without a warning.

State: everything per build is made in ``on_config``; the only state kept
across builds is (3) and (4), which by its key can only give what a fresh conversion
would, so a rebuild equals a fresh build (tests/engine/test_fastblog.py checks it).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from material.plugins.blog.plugin import BlogPlugin
from material.plugins.blog.structure import Category, Profile
from material.plugins.blog.structure.config import PostConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

from kb_engine import buildstate
from kb_engine.compat import speedups_enabled, usable
from kb_engine.compat.fastblog.excerpts import (
    ExcerptTail,
    LazyExcerpt,
    RelativeUrl,
    RenderedExcerpt,
    conversion_key,
    relative_urls,
    render_from_tree,
    render_once,
    reuse,
    site_key,
    use_placeholders,
    vetted,
)
from kb_engine.compat.fastblog.frontmatter import KeptFrontMatter, init_post
from kb_engine.compat.fastblog.readtime import readtime_of_tokens
from kb_engine.compat.fastblog.sharedtree import CapturingPost, TreeCapture
from kb_engine.compat.fasthtml import READ_ONCE, ReadOnce, keep, tokens
from kb_engine.kept import this_build

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

# The fenced pieces the speed-up is made of (kb_engine.compat.BORROWED).
KB_BLOG_PIECES = ("fastblog", "sharedtree", "readtime", "pagerender", "fasthtml")

log = get_plugin_logger("kb-blog")


def date_key(date: object, format: str, language: object) -> tuple[Any, ...] | None:
    """Everything Material's ``_format_date`` reads, or None for a date kept out of the memo.

    Two aware datetimes are equal when they are the same instant, whatever their
    offsets: the key holds the offset and the zone's name too (Babel writes the wall
    time, and a pattern may show the zone). A zone with rules (summer time) is
    left out: its offset depends on the date, and Babel reads more of it.
    """
    zone = getattr(date, "tzinfo", None)
    if zone is not None and type(zone) is not dt.timezone:
        return None
    shown = (zone.utcoffset(None), zone.tzname(None)) if zone is not None else None
    return type(date), date, getattr(date, "fold", 0), shown, format, language


class IdentityList(list[Any]):
    """A list whose ``in`` means "is one of these objects" (not ``==``), in O(1)."""

    _ids: frozenset[int] | None = None

    def __contains__(self, item: object) -> bool:
        ids = self._ids
        if ids is None or len(ids) != len(self):
            ids = self._ids = frozenset(map(id, self))
        return id(item) in ids

    def _changed(self) -> None:
        self._ids = None

    def __setitem__(self, index: Any, value: Any) -> None:
        self._changed()
        super().__setitem__(index, value)

    def __delitem__(self, index: Any) -> None:
        self._changed()
        super().__delitem__(index)

    def __iadd__(self, other: Any) -> IdentityList:  # type: ignore[misc]
        self._changed()
        super().__iadd__(other)
        return self

    def append(self, item: Any) -> None:
        self._changed()
        super().append(item)

    def extend(self, items: Any) -> None:
        self._changed()
        super().extend(items)

    def insert(self, index: Any, item: Any) -> None:
        self._changed()
        super().insert(index, item)

    def remove(self, item: Any) -> None:
        self._changed()
        super().remove(item)

    def pop(self, index: Any = -1) -> Any:
        self._changed()
        return super().pop(index)

    def clear(self) -> None:
        self._changed()
        super().clear()

    def sort(self, *args: Any, **kwargs: Any) -> None:
        self._changed()
        super().sort(*args, **kwargs)

    def reverse(self) -> None:
        self._changed()
        super().reverse()


class FastBlogPlugin(BlogPlugin):  # type: ignore[misc]
    """Material's ``BlogPlugin`` with identity membership tests and excerpts rendered once."""

    fast = True
    _vetted = False
    _rendered: dict[int, ExcerptRenderings]
    _site_key: bytes | None = None
    _tail: ExcerptTail | None = None  # per build: finishes excerpts from their posts' trees
    # Renderings that need no second conversion, by conversion_key: kept from one
    # build to the next (MkDocs keeps plugin instances across `mkdocs serve`
    # rebuilds), so a rebuild converts only the excerpts whose inputs changed.
    _kept: dict[bytes, RenderedExcerpt]
    _kept_now: dict[bytes, RenderedExcerpt]
    # Read times by (post HTML, words per minute), kept across rebuilds like _kept.
    _readtimes: dict[tuple[str, int], int]
    _readtimes_now: dict[tuple[str, int], int]
    reused = 0
    # Posts' front matter by its text, parsed once and kept across rebuilds like _kept
    # (kb_engine.kept.this_build). None with kb-speed's `enabled: false`.
    _front_matter: KeptFrontMatter | None = None
    # Per build, made by on_config: dates as Material formats them, by date_key (None: a plugin
    # asked before any build, as the content check asks for a post's address, keeps nothing).
    _dates: dict[tuple[Any, ...], str] | None = None
    _relative: RelativeUrl  # per build (relative_urls): links made relative to views

    def on_config(self, config: MkDocsConfig) -> Any:
        self.fast = speedups_enabled(config) and all([  # a list: a warning for each piece
            usable(piece, log, "the speed-up is off and Material's blog plugin runs unchanged")
            for piece in KB_BLOG_PIECES
        ])
        self._rendered = {}
        self._dates = {}
        self._relative = relative_urls()
        self._tail = None
        self._vetted = vetted(config.markdown_extensions)
        self._site_key = None
        self._kept = getattr(self, "_kept_now", {})
        self._kept_now = {}
        self._readtimes = getattr(self, "_readtimes_now", {})
        self._readtimes_now = {}
        self.reused = 0
        self._front_matter = this_build(self._front_matter, KeptFrontMatter, config)
        return super().on_config(config)

    def _format_date(self, date: Any, format: str, config: MkDocsConfig) -> Any:
        dates = self._dates if self.fast else None
        key = None if dates is None else date_key(date, format, config.theme["language"])
        if dates is None or key is None:
            return super()._format_date(date, format, config)
        text = dates.get(key)
        if text is None:
            text = dates[key] = super()._format_date(date, format, config)
        return text

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Any:
        result = super().on_files(files, config=config)
        if self.fast and self.config.enabled:
            self.blog.posts = IdentityList(self.blog.posts)
        return result

    def _resolve_post(self, file: Any, config: MkDocsConfig) -> Any:
        if not self.fast or self._front_matter is None:  # the store is None only when self.fast is False
            return super()._resolve_post(file, config)
        # Material 9.8.2's BlogPlugin._resolve_post, its Post made by init_post
        # (front matter parsed once per text, kept across rebuilds) as a
        # CapturingPost: a subclass adding two methods, no state.
        post = CapturingPost.__new__(CapturingPost)
        init_post(post, file, config, self._front_matter)
        path = self._format_path_for_post(post, config)
        temp = self._path_to_file(path, config, temp=False)
        file.dest_uri = temp.dest_uri
        file.abs_dest_path = temp.abs_dest_path
        file.url = temp.url
        post._set_canonical_url(config.site_url)
        return post

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> Any:
        if not (self.fast and self.config.enabled) or page not in self.blog.posts:
            return super().on_page_markdown(markdown, page=page, config=config, files=files)
        # Material 9.8.2's BlogPlugin.on_page_markdown for a post, with a LazyExcerpt.
        post: Any = page
        if self.config.authors:
            for author_id in post.config.authors:
                if author_id not in self.authors:
                    raise PluginError(f"Couldn't find author '{author_id}'")
                post.authors.append(self.authors[author_id])
        separator = self.config.post_excerpt_separator
        max_authors = self.config.post_excerpt_max_authors
        max_categories = self.config.post_excerpt_max_categories
        if separator not in post.markdown and self.config.post_excerpt == "required":
            docs = os.path.relpath(config.docs_dir)
            path = os.path.relpath(post.file.abs_src_path, docs)
            raise PluginError(f"Couldn't find '{separator}' in post '{path}' in '{docs}'")
        post.excerpt = LazyExcerpt(post, config, files)
        post.excerpt.authors = post.authors[:max_authors]
        post.excerpt.categories = post.categories[:max_categories]
        use_placeholders(post.excerpt)
        return None

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> Any:
        readtime_key = None
        post: Any = page
        made = (self.config.enabled and self.config.post_readtime and page in self.blog.posts
                and not post.config.readtime)  # Material sets it below (see kb_before_rerender)
        if made and self.fast:
            # Material's readtime(html, words_per_minute) is a pure function of the two.
            readtime_key = (html, self.config.post_readtime_words_per_minute)
            known = self._readtimes.get(readtime_key)
            if known is None:  # read once, here and for the search index (kb_engine.compat.fasthtml.keep)
                taken = buildstate.get_optional(config, READ_ONCE, ReadOnce) is not None
                known = readtime_of_tokens(html, readtime_key[1], keep(page, html) if taken else tokens(html))
            post.config.readtime = known
        result = super().on_page_content(html, page=page, config=config, files=files)
        if made:
            post.kb_readtime_made = True
        if readtime_key is not None:
            self._readtimes_now[readtime_key] = post.config.readtime
        excerpt = getattr(page, "excerpt", None)
        # Its tree serves this one conversion, and is then let go: taken off the post, not set
        # to None, so that a post converted now and one whose conversion the preview took from
        # its cache (which never has one) look the same to the preview's fingerprint of the page.
        capture = vars(page).pop("kb_tree", None)
        if self.fast and self.config.enabled and hasattr(excerpt, "kb_placeholders"):
            if page in self.blog.posts:
                if self._site_key is None:
                    self._site_key = site_key(config, files)
                if capture is not None and self._tail is None:
                    self._tail = ExcerptTail(config, files)
                self._conversions(excerpt, capture)
        return result

    def kb_before_rerender(self, page: Page) -> None:
        """Undo what this plugin's page events set on a post, before the preview takes it through them again.

        Material's ``on_page_markdown`` adds the post's authors to ``post.authors``,
        and ``on_page_content`` sets the read time only where none is set
        (:mod:`kb_engine.compat.incremental.quick`).
        """
        if not (self.config.enabled and page in self.blog.posts):
            return
        post: Any = page
        post.authors = []
        if getattr(post, "kb_readtime_made", False):
            post.config.readtime = None
            post.kb_readtime_made = False

    def kb_front_matter_edited(self, page: Page, changed: dict[str, Any], config: MkDocsConfig,
                               files: Files) -> bool:
        """Take a post's edited categories and authors, as Material's ``on_files`` would; False if it cannot.

        For the preview's page shown on its own (:mod:`kb_engine.compat.incremental.quick`), after
        ``changed`` (:mod:`kb_engine.compat.incremental.frontmatter`) is set on ``page.meta``:
        Material reads a post's settings when it makes the post (``Post.__init__``)
        and links its categories in ``on_files``. The settings are read again as
        Material reads them (``PostConfig``), and only the changed ones are taken
        (another plugin may have set others since, such as the updated date); the
        categories are linked to the views the last build made, the authors must
        have profile pages already: anything else waits for the rebuild.
        """
        if not (self.config.enabled and page in self.blog.posts):
            return True
        if not self.fast:
            return False
        post: Any = page
        fresh = PostConfig(post.file.abs_src_path)
        fresh.load_dict({key: post.meta[key] for key in set(post.meta) & set(fresh.keys())})
        errors, warnings = fresh.validate()
        if errors or warnings:
            return False
        if "categories" in changed:
            if "{categories}" in self.config.post_url_format:
                return False  # its address
            categories = []
            if self.config.categories:
                for name in fresh.categories:
                    allowed = self.config.categories_allowed or [name]
                    file = files.get_file_from_path(self._format_path_for_category(name))
                    if name not in allowed or file is None or not isinstance(file.page, Category):
                        return False
                    categories.append(file.page)
            post.config.categories = fresh.categories
            post.categories = categories
        if "authors" in changed:
            for author_id in fresh.authors:
                author = self.authors.get(author_id) if self.config.authors else None
                if self.config.authors and author is None:
                    return False
                if self.config.authors and self.config.authors_profiles:
                    file = files.get_file_from_path(self._format_path_for_profile(author_id, author))
                    if file is None or not isinstance(file.page, Profile):
                        return False
            post.config.authors = fresh.authors
        return True

    def _render_post(self, excerpt: Any, view: Any) -> Any:
        if not self.fast or not hasattr(excerpt, "kb_placeholders"):
            return super()._render_post(excerpt, view)
        self._placement(excerpt).apply(excerpt, view, self._relative)

        # What Material's _render_post does after rendering, unchanged.
        toc = self._config_toc(view)
        if toc and excerpt.toc.items and view.toc.items:
            view.toc.items[0].children.append(excerpt.toc.items[0])
        return excerpt

    def _conversions(self, excerpt: Any, capture: TreeCapture | None = None) -> ExcerptRenderings:
        """The excerpt's first conversion, made as soon as its post is rendered.

        Material converts when the first view is built, after every page; converting
        right after the post's own page (its title and Markdown are final then, and the
        URLs of all files are fixed since ``on_nav``) gives the same HTML, and lets an
        excerpt that will not be converted again drop its Markdown instance at once
        instead of keeping one per post until the end of the build. ``capture`` is the
        tree the post's own conversion kept, if it made one (see :mod:`.sharedtree`).
        """
        state = self._rendered.get(id(excerpt))
        if state is not None:
            return state
        separator = self.config.post_excerpt_separator
        key = None
        if self._vetted and self._site_key is not None:
            key = conversion_key(excerpt, separator, self._site_key)
            kept = self._kept.get(key)
            if kept is not None:
                reuse(excerpt, kept)
                self.reused += 1
                self._kept_now[key] = kept
                excerpt.md = None
                state = self._rendered[id(excerpt)] = ExcerptRenderings(kept, True)
                return state
        first = None
        if capture is not None and self._vetted and self._tail is not None:
            first = render_from_tree(excerpt, capture, separator, self._tail)
        from_tree = first is not None
        if first is None:
            first = render_once(excerpt, separator)
        stable = True if self._vetted and first.free_of_carried_state() else None
        state = self._rendered[id(excerpt)] = ExcerptRenderings(first, stable, from_tree=from_tree)
        if stable:
            excerpt.md = None  # never converted again: see _placement
            if key is not None:
                self._kept_now[key] = first
        return state

    def _placement(self, excerpt: Any) -> RenderedExcerpt:
        """The rendering to place in the next view, converting only when stock output could differ.

        Material converts with one Markdown instance per excerpt and never resets it, so an
        extension that keeps state across conversions (footnotes number repeated references,
        tabbed counts tab groups) can make the n-th view's excerpt differ from the first.
        So: when every configured extension is vetted (excerpts.VETTED_EXTENSIONS) and the
        first conversion shows none of the marks their carried-over state leaves, it is
        placed in every view. Otherwise convert for the first two views; if both show the
        same (the excerpt's HTML and table of contents, and whether there is more), that
        state does not reach this excerpt and the first conversion is placed everywhere;
        if not, convert for every view, as Material does, and the output stays the same,
        view by view.
        """
        state = self._conversions(excerpt)
        state.placed += 1
        if state.placed == 1 or state.stable:
            return state.first
        separator = self.config.post_excerpt_separator
        if state.stable is None:
            second = render_once(excerpt, separator)
            state.stable = second.shows_like(state.first)
            return state.first if state.stable else second
        return render_once(excerpt, separator)


@dataclass
class ExcerptRenderings:
    """How one excerpt was converted in this build."""

    first: RenderedExcerpt
    stable: bool | None = None
    placed: int = 0
    from_tree: bool = False  # the first rendering finished the post's own tree (sharedtree)


# Material's on_files/on_nav/on_page_markdown carry @event_priority(-50) and its
# on_page_context -100; overriding a method drops the attribute, so copy it over.
for _name in ("on_files", "on_page_markdown"):
    _priority = getattr(getattr(BlogPlugin, _name), "mkdocs_priority", None)
    if _priority is not None:
        getattr(FastBlogPlugin, _name).mkdocs_priority = _priority
