"""Decision trees in a MkDocs build: the one module of kb_engine.trees that knows MkDocs.

The hook (kb-trees) calls, in build order:

- :func:`collect` in ``on_files``: read every ``<folder>/<id>.yml`` (``plugins.kb-trees.folder``,
  ``decisions`` by default: :func:`kb_engine.core.paths.trees_folder`), check it
  and the pages it cites, take the YAML out of the site and add the tree's
  page (Markdown in memory) and its JSON copy;
- :func:`finish` in ``on_env``, once every page is rendered: check the cited
  anchors, render the walk, diagram and outline into each tree page, put a
  tree's walk where a page embeds it (``<!-- kb:tree ID -->``,
  :mod:`kb_engine.trees.embed`), and add the "In the decision tree" box to every
  cited page.
"""

from __future__ import annotations

import hashlib
import html
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from mkdocs.structure.files import File, InclusionLevel

from kb_engine import textfile
from kb_engine.blogsource import display_path
from kb_engine.core.paths import DEFAULT_TREES_FOLDER, trees_folder
from kb_engine.problems import Problem
from kb_engine.rendering import render
from kb_engine.trees import links as tree_links
from kb_engine.trees.backlinks import Backlink, backlinks
from kb_engine.trees.embed import RENDERED, Embed, anchor_prefix, check_embeds, find_embeds
from kb_engine.trees.export import fill_slots, page_markdown, tree_json
from kb_engine.trees.layout import tree_layout
from kb_engine.trees.model import Tree, parse_tree
from kb_engine.trees.walk import plan_outline, plan_walk

if TYPE_CHECKING:
    import jinja2
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page
    from mkdocs.structure.toc import AnchorLink

STATE = "decision_trees"  # this build's TreeBuild (kb_engine.buildstate)
EXTENSIONS = (".yml", ".yaml")


@dataclass
class TreeBuild:
    """Per-build state (kept with kb_engine.buildstate): the trees of this build."""

    env: jinja2.Environment
    site_url: str = ""
    folder: str = DEFAULT_TREES_FOLDER  # plugins.kb-trees.folder, relative to docs_dir
    trees: list[Tree] = field(default_factory=list)
    embeds: dict[str, list[Embed]] = field(default_factory=dict)  # page (src_uri) -> trees it embeds
    # What :func:`fill_page` puts into each page's finished HTML: page (src_uri) ->
    # the tree page's parts by slot, or the walks embedded in it by tree id.
    parts: dict[str, dict[str, str]] = field(default_factory=dict)
    walks: dict[str, dict[str, str]] = field(default_factory=dict)
    # What the "In the decision tree" boxes are made from, kept by :func:`finish` for
    # :func:`redo_after_events`: cited page (src_uri) -> the nodes citing it; tree id -> its page's URL.
    backlinks: dict[str, list[Backlink]] = field(default_factory=dict)
    tree_urls: dict[str, str] = field(default_factory=dict)
    infos: dict[str, tree_links.PageInfo] = field(default_factory=dict)  # cited page -> its title, headings


@dataclass
class Sources:
    """What the tree files and the pages embedding trees hold, checked."""

    trees: list[tuple[File, Tree]]
    embeds: dict[str, list[Embed]]
    problems: list[Problem]


def is_tree_source(file: File, folder: str) -> bool:
    """A tree file: ``<folder>/<id>.yml`` (``folder``: :func:`kb_engine.core.paths.trees_folder`)."""
    parent, name = posixpath.split(file.src_uri)
    return parent == folder and name.endswith(EXTENSIONS) and not name.startswith(".")


def page_uri(folder: str, tree_id: str) -> str:
    return f"{folder}/{tree_id}.md"


def json_uri(folder: str, tree_id: str) -> str:
    return f"{folder}/{tree_id}.json"


def check_sources(files: Files, config: MkDocsConfig) -> tuple[list[tuple[File, Tree]], list[Problem]]:
    """Read and check every tree file, the pages it cites, and every page that embeds a tree.

    Anchors are checked later, by :func:`finish`, once pages are rendered;
    the content check (``kb_engine.contentcheck``) uses this alone.
    """
    found = scan(files, config, trees_folder(config))
    return found.trees, found.problems


def scan(files: Files, config: MkDocsConfig, folder: str) -> Sources:
    """:func:`check_sources`, keeping where each page embeds which tree."""
    sources = sorted((f for f in files if is_tree_source(f, folder)), key=lambda f: f.src_uri)
    # Every Markdown page, whatever its inclusion: at this point the blog
    # plugin has marked all posts excluded until on_nav. Whether a cited
    # page is really published is checked once pages are rendered.
    pages = {f.src_uri for f in files.documentation_pages(inclusion=lambda _: True)}
    docs = display_path(config, config.docs_dir)
    trees: list[tuple[File, Tree]] = []
    problems: list[Problem] = []
    for source in sources:
        shown = display_path(config, source.abs_src_path or source.src_uri)
        tree_id = posixpath.splitext(posixpath.basename(source.src_uri))[0]
        text = textfile.decode(source.content_bytes, shown)
        if isinstance(text, Problem):
            problems.append(text)
            continue
        parsed = parse_tree(text, shown, tree_id)
        if isinstance(parsed, list):
            problems.extend(parsed)
            continue
        problems.extend(tree_links.check_pages(parsed, pages, docs_dir=docs))
        if page_uri(folder, parsed.id) in pages:
            problems.append(Problem(
                shown, None, f"{docs}/{page_uri(folder, parsed.id)} exists; the tree's page would replace it"
            ))
        trees.append((source, parsed))
    known = {posixpath.splitext(posixpath.basename(s.src_uri))[0] for s in sources}
    embeds: dict[str, list[Embed]] = {}
    for file in files.documentation_pages(inclusion=lambda _: True):
        if file.generated_by is not None or file.abs_src_path is None:
            continue
        shown = display_path(config, file.abs_src_path)
        page_text = textfile.decode(file.content_bytes, shown)
        if isinstance(page_text, Problem):
            continue  # not UTF-8: the page check names the file and line
        placed, bad = find_embeds(page_text, shown)
        problems.extend(bad)
        problems.extend(check_embeds(placed, known, shown))
        if placed:
            embeds[file.src_uri] = placed
    return Sources(trees, embeds, problems)


def collect(
    files: Files, config: MkDocsConfig, folder: str
) -> tuple[list[Tree], dict[str, list[Embed]], list[Problem]]:
    """Read, check and replace the tree files of ``folder``; adds their pages to ``files``."""
    sources = scan(files, config, folder)
    found, problems = sources.trees, sources.problems
    trees = [tree for _, tree in found]
    if problems:
        return trees, sources.embeds, problems
    for source, _ in found:
        files.remove(source)
    in_nav = set(_nav_pages(config.nav)) if config.nav else None
    for tree in trees:
        index = "index.md" if files.get_file_from_path(f"{folder}/index.md") else None
        page = File.generated(config, page_uri(folder, tree.id), content=page_markdown(tree, index))
        if in_nav is not None and page.src_uri not in in_nav:
            page.inclusion = InclusionLevel.NOT_IN_NAV
        files.append(page)
        urls = {path: _absolute(config, files.get_file_from_path(path)) for path in _cited(tree)}
        data = tree_json(tree, _absolute(config, page), urls)
        files.append(File.generated(config, json_uri(folder, tree.id), content=data))
    return trees, sources.embeds, []


def _cited(tree: Tree) -> set[str]:
    return tree_links.cited_paths([tree])


def _absolute(config: MkDocsConfig, file: File | None) -> str:
    assert file is not None  # checked by check_pages
    return urljoin(config.site_url, file.url) if config.site_url else file.url


def _nav_pages(nav: Any) -> Iterator[str]:
    """Every page path named in the ``nav`` setting."""
    if isinstance(nav, str):
        yield nav
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from _nav_pages(value)
    elif isinstance(nav, list):
        for item in nav:
            yield from _nav_pages(item)


def finish(state: TreeBuild, files: Files) -> list[Problem]:
    """Check anchors, then fill the tree pages and add the backlink boxes."""
    if not state.trees:
        return []
    cited = tree_links.cited_paths(state.trees)
    unpublished = {path for path in cited if not _is_rendered(files, path)}
    problems = [p for tree in state.trees for p in tree_links.check_published(tree, unpublished)]
    if problems:
        return problems
    rendered = {path: _page(files, path) for path in cited}
    anchors = {path: _anchors(page) for path, page in rendered.items()}
    problems = [p for tree in state.trees for p in tree_links.check_anchors(tree, anchors)]
    if problems:
        return problems
    infos = {path: _page_info(page) for path, page in rendered.items()}
    # The walks and diagrams go into the finished HTML (fill_page, on_post_page),
    # after the search plugin has indexed the page: a walk repeats its questions
    # once per path (megabytes for a large tree) and a diagram is labels; the
    # outline, indexed with the page, gives the search every node once.
    state.parts, state.walks = {}, {}
    for tree in state.trees:
        page = _page(files, page_uri(state.folder, tree.id))
        address = urljoin(state.site_url, page.url)
        parts = render_parts(state.env, tree, page.url, infos, address)
        page.content = fill_slots(page.content or "", {"outline": parts.pop("outline")})
        state.parts[page.file.src_uri] = parts
    tree_urls = {tree.id: _page(files, page_uri(state.folder, tree.id)).url for tree in state.trees}
    by_id = {tree.id: tree for tree in state.trees}
    for path, placed in state.embeds.items():
        if not _is_rendered(files, path):
            continue  # a draft post, say: nothing is published
        page = _page(files, path)
        state.walks[path] = {
            e.tree_id: render_embed(state, by_id[e.tree_id], page.url, tree_urls[e.tree_id], infos)
            for e in placed
        }
    state.backlinks, state.tree_urls, state.infos = backlinks(state.trees), tree_urls, infos
    for path in state.backlinks:
        page = rendered[path]
        page.content = (page.content or "") + _backlink_box(state, path, page)
    return []


def _backlink_box(state: TreeBuild, path: str, page: Page) -> str:
    """The "In the decision tree" box of the cited page at ``path``."""
    headings = _headings(page.toc.items)
    box = render(
        state.env,
        "partials/kb/tree-backlinks.html",
        backlinks=[
            {
                "href": tree_links.relative_url(f"{state.tree_urls[b.tree_id]}#{b.anchor}", page.url),
                "kind": b.node_kind.capitalize(),
                "text": b.node_text,
                "tree_title": b.tree_title,
                "sections": [headings.get(a, a) for a in b.cited_anchors],
            }
            for b in state.backlinks[path]
        ],
    )
    # str(): a Markup on the right of `+` would escape the page's HTML.
    return str(box)


def redo_after_events(state: TreeBuild, path: str, page: Page, html: str) -> str | None:
    """What :func:`finish` makes of the page at ``path`` whose HTML after its own events is ``html``.

    For a page taken through its events again on its own (``kb_engine.compat.incremental.quick``),
    with its table of contents as they left it and this build's trees: its box
    added again. None where the build would not give the same: a cited anchor is
    gone (the build fails), the page places a walk this build has not made (the
    walks are made from the files' text as the build began), or it places a walk
    and its title or headings changed (a walk's links may show them).
    """
    placed = {found.group("id") for found in RENDERED.finditer(html)}
    if placed:
        walks = state.walks.get(path, {})
        if not placed <= walks.keys() or (path in state.infos and _page_info(page) != state.infos[path]):
            return None
    items = state.backlinks.get(path)
    if not items:
        return html
    anchors = _anchors(page)
    if any(anchor not in anchors for item in items for anchor in item.cited_anchors):
        return None
    return html + _backlink_box(state, path, page)


def fill_digest(state: TreeBuild, src_uri: str) -> str | None:
    """A digest of what :func:`fill_page` will put into the page (None: nothing).

    The page's context carries it, so that the context names everything the
    page's finished HTML depends on (a preview rebuild reuses a page whose
    context has not changed; the tree parts change with other pages' titles).
    """
    parts, walks = state.parts.get(src_uri), state.walks.get(src_uri)
    if not parts and not walks:
        return None
    digest = hashlib.sha256()
    for fragments in (parts or {}, walks or {}):
        for key in sorted(fragments):
            digest.update(key.encode("utf-8") + b"\0" + fragments[key].encode("utf-8") + b"\0")
    return digest.hexdigest()


def fill_page(state: TreeBuild, src_uri: str, output: str) -> str:
    """A page's finished HTML with its tree parts, or the walks it embeds, in place of their markers."""
    if src_uri in state.parts:
        output = fill_slots(output, state.parts[src_uri])
    walks = state.walks.get(src_uri)
    if walks:
        # A marker the source scan did not take (inside a list item, say) stays a comment.
        output = RENDERED.sub(lambda found: walks.get(found.group("id"), found.group(0)), output)
    return output


def _links(
    tree: Tree, page_url: str, pages: dict[str, tree_links.PageInfo]
) -> dict[str, list[dict[str, str | None]]]:
    return {
        outcome.id: [
            _link_view(tree_links.resolve(c.path, c.anchor, pages), page_url) for c in outcome.read_next
        ]
        for outcome in tree.outcomes()
    }


def render_embed(
    state: TreeBuild, tree: Tree, page_url: str, tree_url: str, pages: dict[str, tree_links.PageInfo]
) -> str:
    """The walk of ``tree`` placed in the page at ``page_url``, its anchors prefixed."""
    return str(
        render(
            state.env,
            "partials/kb/tree-embed.html",
            tree=tree,
            walk=plan_walk(tree),
            links=_links(tree, page_url, pages),
            prefix=anchor_prefix(tree.id),
            address=urljoin(state.site_url, page_url),
            tree_href=tree_links.relative_url(tree_url, page_url),
        )
    )


def render_parts(
    env: jinja2.Environment,
    tree: Tree,
    page_url: str,
    pages: dict[str, tree_links.PageInfo],
    address: str = "",
) -> dict[str, str]:
    """The walk, diagram and outline of ``tree`` for its page at ``page_url`` (``address``: its full URL)."""
    links = _links(tree, page_url, pages)
    counts = {"questions": len(tree.questions()), "outcomes": len(tree.outcomes())}
    walk = render(
        env,
        "partials/kb/tree-walk.html",
        tree=tree,
        walk=plan_walk(tree),
        links=links,
        prefix="",
        address=address or page_url,
        tree_href=None,
    )
    return {
        "walk": str(walk),
        "diagram": str(
            render(
                env,
                "partials/kb/tree-diagram.html",
                tree=tree,
                layout=tree_layout(tree),
                counts=counts,
            )
        ),
        "outline": str(render(env, "partials/kb/tree-outline.html", tree=tree, outline=plan_outline(tree))),
    }


def _link_view(link: tree_links.ResolvedLink, page_url: str) -> dict[str, str | None]:
    return {"href": tree_links.relative_url(link.url, page_url), "title": link.text, "section": link.section}


def _is_rendered(files: Files, path: str) -> bool:
    file = files.get_file_from_path(path)
    return (
        file is not None
        and file.inclusion.is_included()  # type: ignore[no-untyped-call]
        and file.page is not None
        and file.page.content is not None
    )


def _page(files: Files, path: str) -> Page:
    file = files.get_file_from_path(path)
    if file is None or file.page is None:
        raise RuntimeError(f"{path} has no page in this build")
    return file.page


def _anchors(page: Page) -> set[str]:
    found = set(page.present_anchor_ids or ())
    found.update(_headings(page.toc.items))
    return found


def _headings(items: list[AnchorLink]) -> dict[str, str]:
    found: dict[str, str] = {}
    todo = list(items)
    while todo:
        item = todo.pop()
        found.setdefault(item.id, html.unescape(item.title))
        todo.extend(item.children)
    return found


def _page_info(page: Page) -> tree_links.PageInfo:
    return tree_links.PageInfo(str(page.title or page.file.src_uri), page.url, _headings(page.toc.items))
