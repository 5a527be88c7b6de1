"""The page an author is editing, shown at once, before the rest of the site is rebuilt.

A preview rebuild runs every plugin over every page, which at a thousand
posts takes seconds. When the edit is to the text of one page (its front
matter unchanged, or changed only where the page itself shows it), what that
page shows can be had much sooner: the last build's configuration, files,
navigation, templates and plugin state are still in memory, and the page
is taken through the build's own steps once more (``on_pre_page`` to
``on_post_page``, the same functions the build runs, see :mod:`kb_engine.compat.incremental.build`) from
its new text. The preview serves that page
over the last build at once, and the full rebuild that always follows
replaces both with the whole site, byte for byte a fresh build.

So this page is a foretaste, never the record: it is made only when the
edit cannot have changed anything it depends on besides its own text and the
front matter only it shows (a description, tags, a post's categories and
authors, its comments setting: :mod:`.frontmatter`), and
anything unexpected (another kind of change, an error) gives None and
leaves the page to the full rebuild, which reports errors as always.

What a plugin keeps per page and sets again when the page is taken through
its events once more is reset first by the plugin's ``kb_before_rerender(page)``,
where it has one (the blog adds its authors to a post again otherwise).

A plugin that changes a page's HTML after the page's own events (the decision
trees add their "In the decision tree" box in ``on_env``, once every page is
rendered) does it again in its ``kb_redo_after_events(page, html, config)``: the
page's HTML after its events in, the HTML it then has out (None: it cannot be
told). That the plugins' redoing accounts for all of it is checked on the last
build's page first: redone on that page's HTML after its events, it must give the
HTML the page had at the end of the build.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from material.plugins.blog.structure import Post
from mkdocs.utils.meta import YAML_RE, get_data

from kb_engine.compat.incremental.build import page_context, page_output, populate_page
from kb_engine.compat.incremental.cache import BuildCache, LastBuild, front_matter_of, read_text
from kb_engine.compat.incremental.frontmatter import apply_changes, front_matter_changes
from kb_engine.compat.tags import tags_known

if TYPE_CHECKING:
    from collections.abc import Callable

    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page


def render_edited_page(last: LastBuild, path: Path) -> tuple[str, bytes] | None:
    """The page of the edited source ``path``, as (its path in the site, its HTML); None if unsure.

    It changes the last build's page object, so a full build must follow (the
    preview always rebuilds after it) before ``last`` is used again.
    """

    config = last.config
    try:
        src_uri = path.resolve().relative_to(Path(config.docs_dir).resolve()).as_posix()
    except ValueError:
        return None
    file = last.files.get_file_from_path(src_uri)
    if file is None or file.page is None or not any(f is file for f in last.doc_files):
        return None
    text = read_text(str(path))
    known = last.front_matter.get(src_uri)
    front = None if text is None else front_matter_of(text)
    if text is None or front is None or known is None:
        return None
    changed = {} if front == known else front_matter_changes(known, front)
    if changed is None:
        return None
    if config.plugins.events["page_read_source"]:
        return None  # the source may not be the file
    page = file.page
    if isinstance(page, Post):  # as Material reads a post (its read_source does nothing)
        match = YAML_RE.match(text)
        if match is None:
            return None
        body = text[match.end():].lstrip("\n")
    else:  # as MkDocs' Page.read_source; the metadata is the same, and page.meta is kept as
        body = get_data(text)[0]  # the plugins left it
    redoers = [redo for plugin in config.plugins.values()
               if (redo := getattr(plugin, "kb_redo_after_events", None)) is not None]
    if src_uri in last.rewritten:
        before = getattr(page, "kb_populated", None)  # its HTML after its own events
        if not isinstance(before, str) or _redo(redoers, page, before, config) != page.content:
            return None
    title = page.title
    for plugin in config.plugins.values():
        reset = getattr(plugin, "kb_before_rerender", None)
        if reset is not None:
            reset(page)
    if changed:
        del last.front_matter[src_uri]  # the page is changed from here: until it is shown, no other edit is
        apply_changes(page, changed)
        if not tags_known(config, page, changed):
            return None
        for plugin in config.plugins.values():
            edited = getattr(plugin, "kb_front_matter_edited", None)
            if edited is not None and not edited(page, changed, config, last.files):
                return None
    populate_page(page, config, last.files, BuildCache(), b"", source=body)
    if page.title != title:
        return None  # the navigation and lists show titles, and a post's address is made from it
    content = _redo(redoers, page, page.content or "", config)
    if content is None:
        return None
    page.content = content
    page.active = True
    config._current_page = page
    try:
        excluded = bool(file.inclusion.is_excluded())  # type: ignore[no-untyped-call]
        _name, template, context = page_context(config, last.nav, last.doc_files, page, last.env,
                                                excluded=excluded)
        output = page_output(config, page, template, context)
    finally:
        page.active = False
        config._current_page = None
    if not output.strip():
        return None
    last.front_matter[src_uri] = front  # what the page now shows: the next edit is compared with it
    return file.dest_uri, output.encode("utf-8", errors="xmlcharrefreplace")



def _redo(redoers: list[Callable[..., str | None]], page: Page, html: str,
          config: MkDocsConfig) -> str | None:
    """``html`` (a page's HTML after its own events) with what plugins change after them; None: unknown."""
    done: str | None = html
    for redo in redoers:
        done = redo(page, done, config)
        if done is None:
            return None
    return done
