"""``python3 dev.py import-wordpress EXPORT.xml``: move a WordPress blog into this site.

Reads a WordPress export (Tools > Export > All content, a WXR file) and
writes posts, authors, categories and comments in this site's formats (see
kb_engine.wordpress.plan for what goes where and why). Prints a summary, writes a
JSON report, and exits 0; a bad export or an import that cannot go ahead is
one ``file:line:column: message`` (or ``file: message``) line on stderr and
exit 1, with nothing written.
"""

from __future__ import annotations

import argparse
import json
import os
import posixpath
import secrets
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from kb_engine.blogsource import authors_path, blog_plugin, posts_dir
from kb_engine.cli.common import EXIT_OK, EXIT_PROBLEMS, add_config_option, run_with_project
from kb_engine.cli.program import command_prog
from kb_engine.comments.identity import MissingKey, load_key
from kb_engine.core.paths import comments_directory
from kb_engine.core.settings import feature_settings
from kb_engine.frontmatter import parse_document
from kb_engine.problems import Problem
from kb_engine.project import Project
from kb_engine.redirects.model import Redirect, feed_sources
from kb_engine.redirects.model import parse as parse_redirect
from kb_engine.redirects.model import sources as redirect_sources
from kb_engine.redirects.settings import RedirectSettings
from kb_engine.wordpress.edits import EditError
from kb_engine.wordpress.plan import (
    FRONT_MATTER_KEY,
    Existing,
    ImportRefused,
    Options,
    Plan,
    Record,
    Report,
    plan_import,
)
from kb_engine.wordpress.staging import StagingError, write_all
from kb_engine.wordpress.wxr import Export, WXRError, read_export
from kb_engine.yamlfile import LineDict, YAMLProblem, load_yaml

if TYPE_CHECKING:
    from mkdocs.structure.files import Files

DEFAULT_REPORT = "var/wordpress-import-report.json"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=command_prog("import-wordpress"),
        description="Import a WordPress export (WXR 1.0-1.2): posts, authors, categories, tags, "
        "approved comments and redirects from the old addresses.",
    )
    parser.add_argument("export", help="the export file (WordPress: Tools > Export > All content)")
    parser.add_argument("--dry-run", action="store_true", help="write nothing; print what would change")
    parser.add_argument(
        "--author-map",
        metavar="FILE",
        help="YAML mapping of WordPress user logins to author ids of docs/blog/.authors.yml",
    )
    parser.add_argument(
        "--only-published",
        action="store_true",
        help="leave drafts and pending posts out (default: imported with draft: true)",
    )
    parser.add_argument(
        "--private-as-drafts",
        action="store_true",
        help="import private posts and pages as drafts (default: left out)",
    )
    parser.add_argument("--pages", action="store_true", help="also import pages, into docs/<pages-dir>/")
    parser.add_argument(
        "--pages-dir",
        default="pages",
        metavar="DIR",
        help="folder under docs/ for imported pages (default: pages)",
    )
    parser.add_argument(
        "--uploads",
        metavar="DIR",
        help="a copy of the old site's wp-content/uploads: images and files posts use are copied "
        "beside them (default: their links to the old site are kept and listed)",
    )
    parser.add_argument(
        "--pingbacks",
        action="store_true",
        help="keep approved pingbacks and trackbacks as comments marked as such",
    )
    parser.add_argument(
        "--no-comments",
        action="store_true",
        help="import posts without their comments (no comment key needed)",
    )
    parser.add_argument(
        "--report",
        metavar="FILE",
        help=f"where to write the JSON report (default: {DEFAULT_REPORT}; none on --dry-run)",
    )
    add_config_option(parser)
    return parser


def main(argv: list[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    args = build_parser().parse_args(argv)
    out, err = stdout or sys.stdout, stderr or sys.stderr
    try:
        export = read_export(Path(args.export), args.export)
    except WXRError as error:
        print(error, file=err, flush=True)
        return EXIT_PROBLEMS
    return run_with_project(args.config_file, lambda project: _import(project, export, args, out, err))


def _fail(message: str, err: TextIO) -> int:
    print(message, file=err, flush=True)
    return EXIT_PROBLEMS


def _import(project: Project, export: Export, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    author_map: dict[str, str] = {}
    if args.author_map:
        loaded = _author_map(args.author_map)
        if isinstance(loaded, str):
            return _fail(loaded, err)
        author_map = loaded
    pages_dir = args.pages_dir.strip("/")
    if not pages_dir or ".." in pages_dir.split("/") or pages_dir.startswith(posts_dir(project.config)):
        return _fail(f"--pages-dir '{args.pages_dir}': choose a folder under docs/ outside the blog", err)
    uploads = Path(args.uploads) if args.uploads else None
    if uploads is not None and not uploads.is_dir():
        return _fail(f"--uploads {args.uploads}: not a folder (give a copy of wp-content/uploads)", err)
    options = Options(
        uploads=uploads,
        only_published=args.only_published,
        private_as_drafts=args.private_as_drafts,
        pages=args.pages,
        pingbacks=args.pingbacks,
        comments=not args.no_comments,
        author_map=author_map,
        pages_dir=pages_dir,
    )
    key: bytes | None = None
    key_problem = ""
    if options.comments:
        try:
            key = load_key()
        except MissingKey as error:
            key_problem = str(error)
            if args.dry_run:  # nothing is written: hash with a throwaway key to check the comments
                key = secrets.token_bytes(32)
    existing = read_existing(project, pages_dir)
    try:
        plan = plan_import(export, existing, options, key, progress=_progress_bar(err))
    except (ImportRefused, EditError) as error:
        return _fail(f"{export.file}: {error}", err)
    if plan.comments_needing_key:
        return _fail(
            f"{export.file}: {plan.comments_needing_key} approved comments need the comment key to "
            f"hash their e-mail addresses: {key_problem}; or pass --no-comments to import the posts "
            "without them",
            err,
        )
    report = plan.report
    report.dry_run = args.dry_run
    if key_problem and args.dry_run and options.comments:
        report.notes.append(f"dry run without the comment key ({key_problem}); the import itself needs it")
    root = Path(project.root)
    if args.dry_run:
        for path in sorted(plan.writes):
            state = "update" if path.exists() else "create"
            print(f"would {state} {project.display(str(path))}", file=out)
        _summary(plan, out, dry_run=True)
        if args.report:
            _write_report(Path(args.report), report)
        return _nothing_imported(report, export.file, err)
    try:
        written = write_all(root, plan.writes)
    except StagingError as error:
        return _fail(f"{error}; nothing was written", err)
    report.files_written = [project.display(str(p)) for p in written]
    report_path = Path(args.report) if args.report else root / DEFAULT_REPORT
    _summary(plan, out, dry_run=False)
    try:
        _write_report(report_path, report)
    except OSError as error:
        return _fail(
            f"{report_path}: the report cannot be written ({error.strerror or error}); "
            "the import itself is done",
            err,
        )
    print(f"report: {project.display(str(report_path))}", file=out, flush=True)
    return _nothing_imported(report, export.file, err)


def _nothing_imported(report: Report, file: str, err: TextIO) -> int:
    """Exit 0 when any post or page is imported (or already was), 1 when none could be."""
    if sum(report.posts.values()) + sum(report.pages.values()):
        return EXIT_OK
    return _fail(f"{file}: nothing could be imported (the report above says why)", err)


def read_existing(project: Project, pages_dir: str) -> Existing:
    """What the project holds now: posts and pages (imported or not), authors, categories, comments."""
    config = project.config
    docs = Path(config.docs_dir)
    blog_dir = posts_dir(config)
    documents: dict[str, Record | None] = {}
    foreign_slugs: dict[str, str] = {}
    redirect_claims: dict[str, str] = {}
    tag_counts: Counter[str] = Counter()

    def note(relative: str, meta: LineDict) -> None:
        for source in [*redirect_sources(meta), *feed_sources(meta)]:
            found = parse_redirect(source, "/", "", relative)
            if isinstance(found, Redirect):
                redirect_claims.setdefault(found.dest, relative)
        tags = meta.get("tags")
        if isinstance(tags, list):
            tag_counts.update({t for t in tags if isinstance(t, str)})

    for post in project.blog.posts:
        relative = os.path.relpath(os.path.join(project.root, post.file), docs).replace(os.sep, "/")
        record = _record(post.doc.meta)
        documents[relative] = record
        note(relative, post.doc.meta)
        if record is None:
            foreign_slugs[post.slug] = post.file
    blog_files = {os.path.normpath(os.path.join(project.root, post.file)) for post in project.blog.posts}
    files = project.files
    for file in files.documentation_pages(inclusion=lambda _: True):  # draft pages (draft_docs) too
        if not file.abs_src_path or os.path.normpath(file.abs_src_path) in blog_files:
            continue
        relative = file.src_uri
        try:
            parsed = parse_document(Path(file.abs_src_path).read_text(encoding="utf-8-sig"), relative)
        except (OSError, UnicodeDecodeError):
            continue  # the content check names it; the import only needs the readable ones
        meta = None if isinstance(parsed, Problem) else parsed.meta
        if relative.startswith(f"{pages_dir}/"):
            documents[relative] = None if meta is None else _record(meta)
        if meta is not None:
            note(relative, meta)
    blog = blog_plugin(config).config
    authors_file = Path(authors_path(config))
    config_file = Path(config.config_file_path)
    return Existing(
        root=Path(project.root),
        docs_dir=docs,
        posts_dir=blog_dir,
        config_file=config_file,
        config_text=config_file.read_text(encoding="utf-8"),
        authors_file=authors_file,
        authors_text=authors_file.read_text(encoding="utf-8") if authors_file.is_file() else "",
        rules=project.blog.rules,
        category_slugify=blog.categories_slugify,
        comments_dir=comments_directory(config),
        documents=documents,
        foreign_slugs=foreign_slugs,
        post_ids=set(project.post_ids),
        site_files=frozenset(f.dest_uri for f in files),
        redirect_claims=redirect_claims,
        tag_counts=dict(tag_counts),
        **_archive_addresses(project, files),
    )


def _archive_addresses(project: Project, files: Files) -> dict[str, Any]:
    """The redirects table, and how the build addresses a category's, a tag's and an author's page."""
    config = project.config
    blog = blog_plugin(config).config
    settings = feature_settings(config, "redirects", RedirectSettings)
    table = Path(config.config_file_path).parent / settings.table
    suffix = "/" if config.use_directory_urls else ".html"

    def under_blog(path: str) -> str:
        return f"{blog.blog_dir.strip('/')}/{posixpath.normpath(path.strip('/'))}{suffix}"

    def category_url(name: str) -> str:
        slug = blog.categories_slugify(name, blog.categories_slugify_separator)
        return under_blog(blog.categories_url_format.format(slug=slug))

    def author_url(author: str) -> str:
        return under_blog(blog.authors_profiles_url_format.format(slug=author, name=author))

    tag_url = None
    tags = config.plugins.get("material/tags") or config.plugins.get("tags")
    pages = files.documentation_pages()
    index = next((f for f in pages if f.abs_src_path and _is_tags_index(f.abs_src_path)), None)
    if tags is not None and index is not None:
        tags_config = tags.config

        def tag_url(name: str) -> str:
            slug = tags_config.tags_slugify(name, tags_config.tags_slugify_separator)
            return f"{index.url}#{tags_config.tags_slugify_format.format(slug=slug)}"

    return {
        "table_file": table,
        "table_text": table.read_text(encoding="utf-8") if table.is_file() else "",
        "category_url": category_url if blog.categories else None,
        "tag_url": tag_url,
        "author_url": author_url if blog.authors and blog.authors_profiles else None,
    }


def _is_tags_index(path: str) -> bool:
    try:
        with open(path, encoding="utf-8-sig") as f:
            return "<!-- material/tags" in f.read()
    except (OSError, UnicodeDecodeError):
        return False


def _record(meta: LineDict) -> Record | None:
    """Where an imported file came from (its ``wordpress:`` front matter); None if not imported."""
    record = meta.get(FRONT_MATTER_KEY) if isinstance(meta, dict) else None
    value = record.get("id") if isinstance(record, dict) else None
    if not isinstance(value, int) or isinstance(value, bool):
        return None
    assert isinstance(record, dict)
    site, link = record.get("site"), record.get("link")
    return Record(site if isinstance(site, str) else "", value, link if isinstance(link, str) else "")


def _author_map(file: str) -> dict[str, str] | str:
    try:
        text = Path(file).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        return f"{file}: cannot be read ({getattr(error, 'strerror', None) or error})"
    try:
        data = load_yaml(text, file)
    except YAMLProblem as error:
        return str(error.problem)
    if not isinstance(data, LineDict) or not all(isinstance(v, str) for v in data.values()):
        return f"{file}:1: expected `wordpress-login: author-id` lines"
    return {str(k): v for k, v in data.items()}


def _progress_bar(stream: TextIO) -> Callable[[int, int], None] | None:
    """A one-line progress bar on a terminal (none when the output is a file or a pipe)."""
    if not stream.isatty():
        return None
    width = 30

    def show(done: int, total: int) -> None:
        if total < 1:
            return
        filled = width * done // total
        stream.write(f"\rimporting [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done == total:
            stream.write("\n")
        stream.flush()

    return show


def _summary(plan: Plan, out: TextIO, *, dry_run: bool) -> None:
    report = plan.report
    verb = "would be" if dry_run else "were"

    def counts(values: dict[str, int]) -> str:
        order = {"created": 0, "updated": 1, "unchanged": 2}
        ranked = sorted(values.items(), key=lambda kv: (order.get(kv[0], 3), kv[0]))
        return ", ".join(f"{n} {k}" for k, n in ranked if n) or "none"

    linked = {a["url"] for a in report.assets if a["in"] != "media library"}
    library = {a["url"] for a in report.assets if a["in"] == "media library"}
    lines = [
        f"posts: {counts(report.posts)}",
        f"pages: {counts(report.pages)}",
        f"skipped: {counts(report.skipped_counts)}",
        f"comments imported: {counts(report.comments)}",
        f"comments skipped: {counts(report.comments_skipped)}",
        f"comments refused by the comment rules: {len(report.comments_refused)}",
        f"replies attached to another comment: {len(report.comments_reparented)}",
        f"authors added: {', '.join(report.authors_added) or 'none'}",
        f"categories added: {', '.join(report.categories_added) or 'none'}",
        f"redirects from old addresses: {len(report.redirects)} of posts and pages, "
        f"{len(report.archive_redirects)} of archives and feeds",
        f"images and files still on the old site: {len(linked)} linked from posts and pages, "
        f"{len(library - linked)} more in the media library",
        f"files that {verb} written: {len(plan.writes)} ({report.files_unchanged} unchanged)",
    ]
    for change in report.slug_changes:
        lines.append(
            f"slug '{change['slug']}' is taken: WordPress {change['type']} {change['wordpress_id']} "
            f"is '{change['new_slug']}'"
        )
    for skipped in report.skipped:
        if skipped["wordpress_id"] is None:
            lines.append(f"skipped an item at line {skipped['line']}: {skipped['reason']}")
            continue
        lines.append(
            f"skipped {skipped['type']} {skipped['wordpress_id']} ({skipped['title']!r}): {skipped['reason']}"
        )
    for dropped in report.redirects_dropped:
        source = f" (WordPress {dropped['wordpress_id']})" if dropped["wordpress_id"] else ""
        lines.append(f"no redirect from {dropped['from']}{source}: {dropped['reason']}")
    for refused in report.comments_refused:
        lines.append(
            f"refused comment {refused['wordpress_id']} on {refused['post']}: "
            f"{'; '.join(refused['problems'])}"
        )
    for adapted in report.comments_adapted:
        lines.append(
            f"comment {adapted['wordpress_id']} on {adapted['post']}: "
            f"{adapted['change']} for the comment rules"
        )
    for moved in report.comments_reparented:
        target = moved["now_replies_to"] or "the post (top level)"
        lines.append(
            f"comment {moved['wordpress_id']} replied to {moved['wordpress_parent']}, which is not "
            f"imported: it now replies to {target}"
        )
    for found in report.shortcodes:
        lines.append(
            f"shortcodes kept as text in {found['in']} (WordPress {found['wordpress_id']}): "
            f"{', '.join(found['shortcodes'])}"
        )
    for found in report.page_breaks:
        lines.append(
            f"page breaks (<!--nextpage-->) removed in {found['in']} (WordPress {found['wordpress_id']}): "
            "the post is one page"
        )
    if report.uploads_copied:
        lines.append(f"images and files copied from --uploads: {report.uploads_copied}")
    for merged in report.vocabulary:
        lines.append(
            f"tag '{merged['tag']}' is another spelling of the {merged['merged_into']} '{merged['name']}': "
            f"merged into it ({merged['posts']} posts)"
        )
    lines.extend(report.notes)
    lines.extend(summary_table(report))
    print("\n".join(lines), file=out, flush=True)


def summary_table(report: Report) -> list[str]:
    """Found / imported / left out, by kind, then what was left out, by reason: the report's last lines."""
    imported = {
        "post": sum(report.posts.values()),
        "page": sum(report.pages.values()),
        "comment": sum(report.comments.values()),
    }
    left: Counter[str] = Counter()
    reasons: Counter[tuple[str, str]] = Counter()
    for skipped in report.skipped:
        left[skipped["type"]] += 1
        group = skipped.get("group") or skipped["reason"].split(" (")[0].split(": ")[0]
        reasons[(skipped["type"], group)] += 1
    for reason, count in report.skipped_counts.items():
        if reason.startswith("type "):  # the old site's machinery (menus, revisions): counted only
            kind = reason.removeprefix("type ")
            left[kind] += count
            reasons[(kind, "not content")] += count
    for reason, count in report.comments_skipped.items():
        left["comment"] += count
        reasons[("comment", reason.split(" (")[0])] += count
    if report.comments_refused:
        left["comment"] += len(report.comments_refused)
        reasons[("comment", "refused by the comment rules")] += len(report.comments_refused)
    main = ("post", "page", "comment")
    kinds = [*main, *sorted(k for k in {*report.found, *left} if k not in main)]
    width = max(len(k) for k in kinds) + 2
    lines = ["", f"{'':{width}}{'found':>8}{'imported':>10}{'left out':>10}"]
    for kind in kinds:
        found, done = report.found.get(kind, 0), imported.get(kind, 0)
        lines.append(f"{kind:{width}}{found:>8}{done:>10}{left[kind]:>10}")
    if reasons:
        lines.append("left out, by reason:")
        for (kind, reason), count in sorted(reasons.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1])):
            lines.append(f"  {count:>6}  {kind}: {reason}")
    return lines


def _write_report(path: Path, report: Report) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report.as_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
