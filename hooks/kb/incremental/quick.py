"""The page an author is editing, shown at once, before the rest of the site is rebuilt.

A preview rebuild runs every plugin over every page, which at a thousand
posts takes seconds. When the edit is to the text of one page (its front
matter unchanged), what that page shows can be had much sooner: the last
build's configuration, files, navigation, templates and plugin state are
still in memory, and the page is taken through the build's own steps once
more (``on_pre_page`` to ``on_post_page``, the same functions the build
runs, see :mod:`.build`) from its new text. The preview serves that page
over the last build at once, and the full rebuild that always follows
replaces both with the whole site, byte for byte a fresh build.

So this page is a foretaste, never the record: it is made only when the
edit cannot have changed anything it depends on besides its own text, and
anything unexpected (another kind of change, an error) gives None and
leaves the page to the full rebuild, which reports errors as always.

What a plugin keeps per page and sets again when the page is taken through
its events once more is reset first by the plugin's ``kb_before_rerender(page)``,
where it has one (the blog adds its authors to a post again otherwise).
"""

from __future__ import annotations

from pathlib import Path

from material.plugins.blog.structure import Post
from mkdocs.utils.meta import YAML_RE, get_data

from kb.incremental.build import page_context, page_output, populate_page
from kb.incremental.cache import BuildCache, LastBuild, front_matter_of, read_text


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
    if text is None or known is None or front_matter_of(text) != known:
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
    title = page.title
    for plugin in config.plugins.values():
        reset = getattr(plugin, "kb_before_rerender", None)
        if reset is not None:
            reset(page)
    populate_page(page, config, last.files, BuildCache(), b"", source=body)
    if page.title != title:
        return None  # the navigation and lists show titles, and a post's address is made from it
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
    return file.dest_uri, output.encode("utf-8", errors="xmlcharrefreplace")

