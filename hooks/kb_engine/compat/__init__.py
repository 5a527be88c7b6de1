"""What the engine borrows from other libraries' internals, fenced in one place.

Every module of this subpackage copies, patches or calls code another library
keeps to itself (MkDocs, Material for MkDocs, Python-Markdown, Pygments, pymdown-extensions, Jinja,
CPython's ``html.parser``): the speed-ups, which make the same output faster,
and three small uses by the tools (the content check's link rule, a post's
address without a build, the preview's reload script). Nothing outside this
subpackage does. :data:`BORROWED` is the table of contents: for each piece,
the module, what it copies or patches, and the upstream source it was
written against (library, version, and a sha256 of that source).

Each piece is guarded twice:

- At the start of each build the plugin that uses a speed-up asks
  :func:`usable`, which checks the installed version of every library the
  piece copies. Under another version it logs a warning naming the library,
  both versions and the file to re-check (``--strict`` then fails), and the
  plugin falls back to the library's own code: no patch installed, upstream's
  function used. The tools' pieces check the version where they are used
  (:func:`mismatches`) and then do without; ``linkjudge`` runs MkDocs' own
  method, so there is nothing to fall back to.
- ``tests/engine/test_compat.py`` hashes the installed upstream source
  (:func:`upstream_digest`) and fails when it is not the one recorded here,
  naming the piece to re-check.

``kb-speed``'s ``enabled: false`` turns every piece off at once
(:func:`speedups_enabled`): the site is then built by the libraries' own
code, to the same bytes, only slower.

Not here: :mod:`kb_engine.search.stopwords`, a copy of lunr's stop-word list
(data, not code, and no speed-up), which the build compares with the list in
the installed search worker at each start (:mod:`kb_engine.search.site`).

After an upgrade (handbook/speed.md): run the test, read each named module
against the new upstream source, adjust it, then record the new version and digest here
(``python -m kb_engine.compat`` prints the installed ones).
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import inspect
import platform
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import logging

    from mkdocs.config.defaults import MkDocsConfig

# The libraries borrowed from: key -> (name as messages say it, module whose __version__ is read).
LIBRARIES: dict[str, tuple[str, str]] = {
    "mkdocs": ("MkDocs", "mkdocs"),
    "material": ("Material for MkDocs", "material"),
    "markdown": ("Python-Markdown", "markdown"),
    "pygments": ("Pygments", "pygments"),
    "pymdownx": ("pymdown-extensions", "pymdownx"),
    "jinja2": ("Jinja", "jinja2"),
    "python": ("Python", "platform"),  # platform.python_version()
}


@dataclass(frozen=True)
class Upstream:
    """Source of one library a piece was written against.

    ``sources``: ``"module:Qualified.name"`` (that object's source),
    ``"module"`` (the whole module's source) or ``"module/relative/file"``
    (a data file of the package, as bytes).
    """

    library: str  # a key of LIBRARIES
    version: str
    sources: tuple[str, ...]
    sha256: str


@dataclass(frozen=True)
class Borrowed:
    """One fenced piece: our module, what it does with upstream's internals, and the upstream source."""

    name: str
    module: str  # path in the repository: the file to re-check
    what: str
    upstream: tuple[Upstream, ...]


# What partialcache's patch of a template's root render function relies on: the
# function Jinja sets, and calls to render a template and to include one.
JINJA_ROOT_RENDER = Upstream("jinja2", "3.1.6", (
    "jinja2.environment:Template._from_namespace",
    "jinja2.environment:Template.render",
    "jinja2.compiler:CodeGenerator.visit_Include",
), "24d2ac6184b605be117c3c2f41de638a9d0035f8ed97d6ab58cfc8749e8e07a5")

BORROWED: dict[str, Borrowed] = {piece.name: piece for piece in (
    Borrowed(
        "fastblog", "hooks/kb_engine/compat/fastblog/",
        "kb-blog: subclasses Material's BlogPlugin, overriding on_files, _resolve_post, _format_date, on_page_markdown "
        "(a copy, with a lazy Excerpt), on_page_content and _render_post; frontmatter.py copies "
        "Post.__init__ and _resolve_post, parsing front matter with libyaml where sure; excerpts.py copies "
        "Excerpt.__init__ and Excerpt.render and subclasses MkDocs' _RelativePathTreeprocessor and "
        "Material's ExcerptTreeprocessor; escapes attributes with Python-Markdown's _escape_attrib_html",
        (
            Upstream("material", "9.8.2", (
                "material.plugins.blog.plugin:BlogPlugin",
                "material.plugins.blog.structure",
                "material.plugins.blog.structure.markdown",
            ), "d82afb5a73600a11907d90de178ad14f8ee1196bf45cca3722591844332db739"),
            Upstream("mkdocs", "1.6.1", (
                "mkdocs.structure.pages:_RelativePathTreeprocessor",
                "mkdocs.structure.toc:get_toc",
            ), "5a462acbe4df3fb604a063c95bf125aaa5fe1cd0d900790056b24d948233631d"),
            Upstream("markdown", "3.11.3", ("markdown.serializers:_escape_attrib_html",),
                "3b1218405e45293f868214d3247be40a8fb3c067710de7b87061d47c796ac3f6"),
        ),
    ),
    Borrowed(
        "sharedtree", "hooks/kb_engine/compat/fastblog/sharedtree.py",
        "kb-blog: a post's excerpt finished from the post's own tree: replays the last steps of "
        "Python-Markdown's Markdown.convert and reads Registry._sort/_priority",
        (
            Upstream("markdown", "3.11.3", (
                "markdown.core:Markdown.convert",
                "markdown.util:Registry",
            ), "1b4f82af1390b7c877b024ef804b25fa0afda12a0d391606866b7a226fefefbf"),
        ),
    ),
    Borrowed(
        "readtime", "hooks/kb_engine/compat/fastblog/readtime.py",
        "kb-blog: Material's readtime(html, words_per_minute), what its ReadtimeParser does with "
        "fasthtml's tokens done in one loop",
        (Upstream("material", "9.8.2", ("material.plugins.blog.readtime", "material.plugins.blog.readtime.parser"),
            "f77b0e574b63fa30d221e72875d2326c36fbae92c19a4b86c7e84b7d4ea65263"),),
    ),
    Borrowed(
        "pagerender", "hooks/kb_engine/compat/pagerender.py",
        "kb-blog's posts and the preview's conversion cache: a copy of MkDocs' Page.render, using its "
        "private tree processors",
        (Upstream("mkdocs", "1.6.1", ("mkdocs.structure.pages:Page.render",),
            "cd09e363509c2f1651dc5f07fd1f365b0a4cc91d2b155d80643ec83d9a36715b"),),
    ),
    Borrowed(
        "fasthtml", "hooks/kb_engine/compat/fasthtml.py",
        "kb-blog's read time and kb-speed's search index: html.parser's tokenizer redone with one "
        "regular expression, reading its tagfind_tolerant and attrfind_tolerant",
        (Upstream("python", "3.11.7", ("html.parser",),
            "01161f7757e4b7005fd0239b9fbad3ed100790356c7f287e3692fcd3567cc3ee"),),
    ),
    Borrowed(
        "searchfeed", "hooks/kb_engine/compat/searchfeed.py",
        "kb-speed: replaces the search index's add_entry_from_context with a copy reading the HTML "
        "through fasthtml, and does what its Parser does with the tokens in one loop (sections_of), "
        "with Material's Section and Element (which compare by tag name) and its set of void tags",
        (Upstream("material", "9.8.2", (
            "material.plugins.search.plugin:SearchIndex.add_entry_from_context",
            "material.plugins.search.plugin:Parser",
            "material.plugins.search.plugin:Element",
            "material.plugins.search.plugin:Section",
        ), "27689d3fb7df08c922dc2d793cc0f85a156e40370be1b8572a55bc63ec98c2f8"),),
    ),
    Borrowed(
        "navcache", "hooks/kb_engine/compat/navcache.py",
        "kb-speed: Material's partials/nav.html rendered once per distinct key, the key made of what "
        "its nav.html, nav-item.html and toc.html show (through partialcache's Jinja patch); skips MkDocs' "
        "Page.__eq__ where the files differ (File has no __eq__: files compare by identity)",
        (
            Upstream("material", "9.8.2", (
                "material/templates/partials/nav.html",
                "material/templates/partials/nav-item.html",
                "material/templates/partials/toc.html",
                "material/templates/partials/toc-item.html",
            ), "3fb4e0e9c55574d1ebdf66e46812832b3d8c5de9f67348dfd3fe3e1c93f69d47"),
            JINJA_ROOT_RENDER,
            Upstream("mkdocs", "1.6.1", ("mkdocs.structure.pages:Page.__eq__", "mkdocs.structure.files:File"),
                "db9206de3fce45acc130924c30a83debf18b4b9c68c88fed9aa9e6b9c34394c6"),
        ),
    ),
    Borrowed(
        "partialcache", "hooks/kb_engine/compat/partialcache.py",
        "kb-speed: Material's partials/header.html, tabs.html and footer.html (and the navigation keyed by "
        "navcache) rendered once per distinct key, the key made of what they and the partials they include "
        "show; replaces the root render function (Template.root_render_func) of the template objects the "
        "build's Jinja environment keeps for them",
        (
            Upstream("material", "9.8.2", (
                "material/templates/partials/header.html",
                "material/templates/partials/logo.html",
                "material/templates/partials/palette.html",
                "material/templates/partials/javascripts/palette.html",
                "material/templates/partials/alternate.html",
                "material/templates/partials/search.html",
                "material/templates/partials/source.html",
                "material/templates/partials/tabs.html",
                "material/templates/partials/tabs-item.html",
                "material/templates/partials/footer.html",
                "material/templates/partials/copyright.html",
                "material/templates/partials/social.html",
            ), "689cf28b00c690ea7604c0e44f366e1938b6c853dce8c274e9f4882c646a1035"),
            JINJA_ROOT_RENDER,
        ),
    ),
    Borrowed(
        "highlight", "hooks/kb_engine/compat/highlight.py",
        "kb-speed: wraps Pygments' HtmlFormatter._create_stylesheet so that one build makes each style "
        "sheet once, and replaces pymdownx.highlight's get_lexer_by_name with a wrapper that looks "
        "each name up once per build",
        (
            Upstream("pygments", "2.21.0", ("pygments.formatters.html:HtmlFormatter",),
                "c697f5bc597e22784d54f8e6f2a6cf4be3d06a6e8a7be879ac6890b5db0c620e"),
            Upstream("pygments", "2.21.0", ("pygments.lexers:get_lexer_by_name",),
                "0cdcdaadd59d0761a2153c36f44d0b8df6f0a9209c824baf5652325a368f4455"),
            Upstream("pymdownx", "13.1.2", ("pymdownx.highlight:Highlight.get_lexer",),
                "b37b11942c0192843974b8508f1c976bb07f5c05729bf13dd8ecbe46f528966b"),
        ),
    ),
    Borrowed(
        "incremental", "hooks/kb_engine/compat/incremental/",
        "the preview's incremental build: MkDocs' build, step for step (build.py), calling its private "
        "_build_theme_template and _build_extra_template and setting config._current_page; Page.render's "
        "results set from a cache (conversions.py); Material's search entries reused (cache.py's SearchMemo "
        "wraps SearchIndex.add_entry_from_context and copies its entries)",
        (
            Upstream("mkdocs", "1.6.1", ("mkdocs.commands.build",),
                "2d57037c8f6a70ac4f3a15314808d574e2988de1a94edbbe1285f9df5078bba7"),
            Upstream("material", "9.8.2", ("material.plugins.search.plugin:SearchIndex",),
                "0206d98fc76a76b39faa9ed0ee58c40cc3d64eec070f31e8098235ad72669f06"),
        ),
    ),
    Borrowed(
        "tags", "hooks/kb_engine/compat/tags.py",
        "the preview's page shown on its own: reads Material's tags plugin's mappings and its private "
        "MappingManager._configure",
        (Upstream("material", "9.8.2", (
            "material.plugins.tags.structure.mapping.manager:MappingManager",
        ), "df529670e6f24a141625313d1d450afbd70f775d5771791500d1baa3754578b8"),),
    ),
    Borrowed(
        "livereload", "hooks/kb_engine/compat/livereload.py",
        "the preview: MkDocs' live-reload script, a private constant of mkdocs.livereload",
        (Upstream("mkdocs", "1.6.1", ("mkdocs.livereload:_SCRIPT_TEMPLATE.template",),
            "4074fe4aedecaf7b9391d7d225c125daf8d594ecd5d902ee3ef749e14d888e6f"),),
    ),
    Borrowed(
        "linkjudge", "hooks/kb_engine/compat/linkjudge.py",
        "the content check: MkDocs' private _RelativePathTreeprocessor.path_to_url judges each link "
        "(its own code runs, nothing is copied)",
        (Upstream("mkdocs", "1.6.1", ("mkdocs.structure.pages:_RelativePathTreeprocessor",),
            "b0bb0e26ebb48dc89c0daf7923d35c06067d44c186ce6bfaf8406a81b7ec8c28"),),
    ),
    Borrowed(
        "blogpaths", "hooks/kb_engine/compat/blogpaths.py",
        "the content check and new-post: a post's address from the blog plugin's private "
        "_format_path_for_post, given the facts of a post it reads",
        (Upstream("material", "9.8.2", ("material.plugins.blog.plugin:BlogPlugin._format_path_for_post",),
            "cb9cb95ac4882d0367825be650335ee8fd7f4b1cb0edec6500b3a9f21f5b8ae7"),),
    ),
)}


def installed(library: str) -> str:
    """The installed version of a library of :data:`LIBRARIES` (Python's own for ``python``)."""
    if library == "python":
        return platform.python_version()
    return str(importlib.import_module(LIBRARIES[library][1]).__version__)


def _source(source: str) -> bytes:
    module_name, _, qualname = source.partition(":")
    if not qualname and "/" in module_name:
        package, _, relative = module_name.partition("/")
        spec = importlib.util.find_spec(package)
        assert spec is not None and spec.origin is not None
        return (Path(spec.origin).parent / relative).read_bytes()
    target: object = importlib.import_module(module_name)
    for part in filter(None, qualname.split(".")):
        target = getattr(target, part)
    if isinstance(target, str):  # a constant
        return target.encode("utf-8")
    return inspect.getsource(target).encode("utf-8")  # type: ignore[arg-type]


def upstream_digest(upstream: Upstream) -> str:
    """The sha256 of the installed source ``upstream`` names (what :attr:`Upstream.sha256` records)."""
    digest = hashlib.sha256()
    for source in upstream.sources:
        digest.update(source.encode() + b"\0" + _source(source) + b"\0")
    return digest.hexdigest()


def mismatches(name: str) -> list[str]:
    """For each library whose installed version is not the one piece ``name`` was written against, why."""
    piece = BORROWED[name]
    found = []
    said: set[str] = set()  # a library the piece borrows twice from is named once
    for upstream in piece.upstream:
        version = installed(upstream.library)
        if version != upstream.version and upstream.library not in said:
            said.add(upstream.library)
            found.append(f"{piece.module} was written against {LIBRARIES[upstream.library][0]} "
                         f"{upstream.version}, but {version} is installed")
    return found


def usable(name: str, log: logging.Logger | logging.LoggerAdapter[logging.Logger], fallback: str) -> bool:
    """Whether piece ``name`` may run with the installed libraries; a warning if not.

    ``fallback`` says what runs instead (the library's own code). Called at the
    start of each build by the plugin that uses the piece.
    """
    found = mismatches(name)
    for reason in found:
        log.warning(f"{reason}: {fallback}. Re-check {BORROWED[name].module} against the new version, then "
                    f"record it in hooks/kb_engine/compat/__init__.py.")
    return not found


def speedups_enabled(config: MkDocsConfig) -> bool:
    """``kb-speed``'s ``enabled`` (true when the site does not list ``kb-speed``): every piece asks it."""
    from kb_engine.core.settings import feature_settings
    from kb_engine.plugins.speed import SpeedSettings  # the plugin imports this module

    return bool(feature_settings(config, "speed", SpeedSettings).enabled)


def main() -> None:
    """Print each piece's installed versions and digests, in the form :data:`BORROWED` records them."""
    for piece in BORROWED.values():
        for upstream in piece.upstream:
            print(f"{piece.name:13} {upstream.library:9} {installed(upstream.library):8} "
                  f"{upstream_digest(upstream)}")


if __name__ == "__main__":
    main()
