"""What an import of a WordPress export changes in the project, worked out without writing.

:func:`plan_import` takes the parsed export, what the project holds now
(:class:`Existing`) and the options, and returns every file to write with
its new bytes (only those whose bytes change) and the report. The command
writes the files through a staging folder; a dry run only prints the plan.

Identity. Each imported post or page records the blog it came from (the
export's site address) and its WordPress id in front matter
(``wordpress: {site: ..., id: ...}``); each imported comment's id is
``wp-<WordPress comment id>`` in its post's folder (file
``comments/<post>/wp-<id>.yml``). A second import of the same blog finds its
own files by these and updates them in place, so nothing is duplicated, and
a run over the same export writes nothing; another blog's export never
matches them (files of older imports, which name no site, are told apart by
their old address's host). A file without these marks is never overwritten:
a post whose slug is taken gets another. Posts and pages have a slug space
each (their own folders).

Statuses. publish is published; draft and pending become ``draft: true``
(pages: listed in ``draft_docs``); future keeps its date; private only with
``private_as_drafts``; password-protected, trash and auto-draft are left
out; every item left out is in the report.

Tags. A tag that is another spelling of a category, or of a tag more pages
use, would be refused by the site's vocabulary rule (kb_engine.vocabulary): it is
merged into that category or tag, and the report says so.

Categories. WordPress nests categories; the blog has one flat list. Each
imported category keeps its own name (a post filed under "Sales > Renewals"
gets "Renewals"; its parents are not added, as WordPress lists a post only
under the categories it was filed under). Two categories with the same name
under different parents are told apart as "Parent / Child". A name whose
URL slug matches a category already allowed uses that category.

Comments. Only approved comments are imported; pingbacks and trackbacks
only with ``pingbacks`` (kept with ``kind: pingback``/``trackback``). A
reply whose parent is not imported (not approved, or refused by the
comment rules) is attached to its nearest imported ancestor, or becomes a
top-level comment, with a line in the report. Every comment file is checked
with the comments feature's own ``parse_comment`` and ``check_replies``
(kb_engine.comments.model) before it is planned: one the rules refuse is reported
with its WordPress id and left out.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

import yaml

from kb_engine.comments.identity import email_hash
from kb_engine.comments.model import Comment, check_replies, parse_comment
from kb_engine.comments.rules import AUTHOR_MAX, LINE_UNSAFE, website_problem
from kb_engine.comments.sanitize import sanitize_html
from kb_engine.core.commentfile import CommentFile, Dumper, comment_file_text
from kb_engine.feeds.paths import ATOM_PATH, RSS_PATH, SITE_COMMENTS_PATH
from kb_engine.posts import BlogRules, check_post
from kb_engine.redirects.model import Redirect
from kb_engine.redirects.model import parse as parse_redirect
from kb_engine.vocabulary import near_duplicate
from kb_engine.wordpress.avatar import avatar_svg
from kb_engine.wordpress.convert import convert, escape_heading
from kb_engine.wordpress.edits import add_authors, add_categories, add_pattern, remove_pattern
from kb_engine.wordpress.wxr import Export, Item, WPComment, parse_wp_date

COMMENT_PREFIX = "wp-"
AUTHOR_DESCRIPTION = "Author (imported from WordPress)"
FRONT_MATTER_KEY = "wordpress"
Slugify = Callable[[str, str], str]


@dataclass(frozen=True)
class Options:
    only_published: bool = False
    private_as_drafts: bool = False
    pages: bool = False
    pingbacks: bool = False
    comments: bool = True
    author_map: Mapping[str, str] = field(default_factory=dict)
    pages_dir: str = "pages"
    uploads: Path | None = None  # a copy of the old site's wp-content/uploads


@dataclass(frozen=True)
class Record:
    """Which WordPress item a file came from: its blog (the export's site address) and id."""

    site: str  # as written in front matter; "" in files of imports that did not record it
    id: int
    link: str  # the item's old address


@dataclass
class Existing:
    """What the project holds before the import (read by the command)."""

    root: Path
    docs_dir: Path
    posts_dir: str  # under docs/, e.g. "blog/posts"
    config_file: Path
    config_text: str
    authors_file: Path
    authors_text: str
    rules: BlogRules
    category_slugify: Slugify
    comments_dir: Path
    # post and page files under docs/ (relative, "/"-separated) -> where they came from (None: not imported)
    documents: dict[str, Record | None]
    # slugs of posts that were not imported -> their file
    foreign_slugs: dict[str, str]
    post_ids: set[str]  # comment `post` ids of every existing post
    # files of the built site that pages of the project already make (dest paths, e.g. "about/index.html"):
    # an old address there cannot become a redirect
    site_files: frozenset[str] = frozenset()
    # redirect pages the site's files already claim (dest, e.g. "wp/p/12/index.html") -> the file claiming it
    redirect_claims: dict[str, str] = field(default_factory=dict)
    # every tag of the site's pages -> how many pages use it
    tag_counts: dict[str, int] = field(default_factory=dict)
    # the redirects table (kb_engine.redirects): its file, its text ("" if none), and the new addresses of
    # the pages the build makes: a category's, a tag's, an author's (None: the site has no such pages)
    table_file: Path | None = None
    table_text: str = ""
    category_url: Callable[[str], str] | None = None
    tag_url: Callable[[str], str] | None = None
    author_url: Callable[[str], str] | None = None


@dataclass
class Report:
    export: str = ""
    site: str = ""  # the blog the export comes from
    dry_run: bool = False
    found: dict[str, int] = field(default_factory=lambda: Counter())  # items of the export by type
    posts: dict[str, int] = field(default_factory=lambda: Counter())
    pages: dict[str, int] = field(default_factory=lambda: Counter())
    skipped: list[dict[str, Any]] = field(default_factory=list)
    skipped_counts: dict[str, int] = field(default_factory=lambda: Counter())
    comments: dict[str, int] = field(default_factory=lambda: Counter())
    comments_skipped: dict[str, int] = field(default_factory=lambda: Counter())
    comments_refused: list[dict[str, Any]] = field(default_factory=list)
    comments_reparented: list[dict[str, Any]] = field(default_factory=list)
    comments_adapted: list[dict[str, Any]] = field(default_factory=list)  # changed to pass the rules
    authors_added: list[str] = field(default_factory=list)
    authors_reused: list[str] = field(default_factory=list)
    categories_added: list[str] = field(default_factory=list)
    slug_changes: list[dict[str, Any]] = field(default_factory=list)
    vocabulary: list[dict[str, Any]] = field(default_factory=list)  # tags merged into a category or tag
    shortcodes: list[dict[str, Any]] = field(default_factory=list)  # shortcodes kept as text, by item
    page_breaks: list[dict[str, Any]] = field(default_factory=list)  # <!--nextpage--> removed, by item
    uploads_copied: int = 0
    redirects: list[dict[str, str]] = field(default_factory=list)
    archive_redirects: list[dict[str, str]] = field(default_factory=list)  # archives and feeds
    redirects_dropped: list[dict[str, str]] = field(default_factory=list)
    assets: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    files_written: list[str] = field(default_factory=list)
    files_unchanged: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            key: (dict(value) if isinstance(value, Counter) else value) for key, value in vars(self).items()
        }


@dataclass
class Plan:
    writes: dict[Path, bytes]
    report: Report
    comments_needing_key: int = 0


class ImportRefused(Exception):
    """The import cannot go ahead; the message is one line saying why and what to do."""


# --- dates -------------------------------------------------------------------------------------


def _offset(item_local: str, item_gmt: str) -> dt.timedelta | None:
    local, gmt = parse_wp_date(item_local), parse_wp_date(item_gmt)
    if local is None or gmt is None:
        return None
    minutes = round((local - gmt).total_seconds() / 900) * 15
    if abs(minutes) > 14 * 60:
        return None
    return dt.timedelta(minutes=minutes)


def site_offset(export: Export) -> dt.timedelta:
    """The blog's UTC offset, as most of its posts show it (WXR does not state it)."""
    offsets = Counter(o for o in (_offset(i.date_local, i.date_gmt) for i in export.items) if o is not None)
    return offsets.most_common(1)[0][0] if offsets else dt.timedelta(0)


def aware(local: str, gmt: str, fallback: dt.timedelta) -> dt.datetime | None:
    """The moment in the writer's own offset: from the GMT date, else the local one at the site's offset."""
    offset = _offset(local, gmt)
    gmt_time = parse_wp_date(gmt)
    if gmt_time is not None:
        zone = dt.timezone(offset if offset is not None else fallback)
        return gmt_time.replace(tzinfo=dt.UTC).astimezone(zone)
    local_time = parse_wp_date(local)
    if local_time is None:
        return None
    return local_time.replace(tzinfo=dt.timezone(fallback))


# --- slugs and names ---------------------------------------------------------------------------


def unicode_slug(text: str) -> str:
    """Lower-case words (any script) joined by "-": WordPress's slugs, decoded."""
    text = unicodedata.normalize("NFC", unquote(text)).lower()
    text = re.sub(r"[^\w]+", "-", text).strip("-_")
    return re.sub(r"-{2,}", "-", text)[:120].strip("-")


def author_id(login: str) -> str:
    ascii_login = unicodedata.normalize("NFKD", login).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_login).strip("-")


def plain_text(value: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", value)).split())


# --- links --------------------------------------------------------------------------------------


@dataclass
class _Target:
    item: Item
    file: str  # under docs/, "/"-separated


class _Links:
    """Old WordPress addresses of the imported items, and where they went."""

    def __init__(self, export: Export) -> None:
        hosts = {_host(u) for u in (export.link, export.base_site_url, export.base_blog_url) if u}
        self.hosts = {h for h in hosts if h}
        self.by_path: dict[str, _Target] = {}
        self.by_id: dict[int, _Target] = {}

    def add(self, target: _Target) -> None:
        self.by_id.setdefault(target.item.id, target)  # two items with one id: the first keeps it
        host = _host(target.item.link)
        if host:
            self.hosts.add(host)
        path = old_path(target.item.link)
        if path:
            self.by_path[path.rstrip("/")] = target

    def resolve(self, url: str, from_file: str) -> str | None:
        parts = urlsplit(url)
        if _host(url) not in self.hosts:
            return None
        query = parse_qs(parts.query)
        target: _Target | None = None
        for key in ("p", "page_id"):
            if query.get(key, [""])[0].isdigit() and parts.path.rstrip("/") in ("", "/index.php"):
                target = self.by_id.get(int(query[key][0]))
        if target is None:
            target = self.by_path.get(unquote(parts.path).rstrip("/"))
        if target is None:
            return None
        start = PurePosixPath(from_file).parent
        return _relative(PurePosixPath(target.file), start)


def _host(url: str) -> str:
    """A URL's host name, the same with or without "www." (both served the old blog)."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def _relative(target: PurePosixPath, start: PurePosixPath) -> str:
    parts_t, parts_s = target.parts, start.parts
    common = 0
    while common < min(len(parts_t), len(parts_s)) and parts_t[common] == parts_s[common]:
        common += 1
    return "/".join([".."] * (len(parts_s) - common) + list(parts_t[common:]))


def imported_website(url: str) -> str | None:
    """A commenter's website as the comment file keeps it, or None where the comment rule refuses it.

    WordPress keeps whatever was typed (``mailto:``, ``www.example.com``, a space);
    the site's rule is the comments' own (:func:`kb_engine.comments.rules.website_problem`),
    so what is imported passes ``check`` and the build.
    """
    website = url.strip()
    return website if website and website_problem(website) is None else None


def old_path(link: str) -> str:
    """The path of an old permalink (``/2009/04/06/slug/``), decoded; "" for ``?p=`` links.

    Repeated slashes are one, as WordPress reads them (``//greek/slug/`` is in real exports).
    """
    try:
        parts = urlsplit(link)
    except ValueError:
        return ""
    if not parts.scheme or parts.query or parts.path in ("", "/"):
        return ""
    return re.sub(r"/{2,}", "/", unquote(parts.path))


def site_key(address: str) -> str:
    """A blog's address as compared: host without "www.", any path, no scheme or last "/"."""
    try:
        path = urlsplit(address).path
    except ValueError:
        return ""
    host = _host(address).lower()
    return f"{host}{path.rstrip('/')}" if host else ""


def export_site(export: Export) -> str:
    """The address of the blog an export comes from: its channel link, else the host its items show."""
    for address in (export.link, export.base_blog_url, export.base_site_url):
        if site_key(address):
            return address.rstrip("/")
    hosts = Counter(_host(item.link) for item in export.items if _host(item.link))
    return f"http://{hosts.most_common(1)[0][0]}" if hosts else ""


def same_blog(record: Record, site: str) -> bool:
    """Whether an imported file came from the blog at ``site`` (files of older imports name no site:
    their old address's host says which blog they came from)."""
    if record.site:
        return site_key(record.site) == site_key(site)
    return bool(_host(record.link)) and _host(record.link) == _host(site)


# --- the plan ---------------------------------------------------------------------------------


class _Planner:
    def __init__(self, export: Export, existing: Existing, options: Options, key: bytes | None) -> None:
        self.export, self.existing, self.options, self.key = export, existing, options, key
        self.report = Report(export=export.file)
        self.writes: dict[Path, bytes] = {}
        self.offset = site_offset(export)
        self.links = _Links(export)
        self.site = export_site(export)
        # files this blog's earlier imports wrote, by WordPress id (another blog's files never match)
        self.by_wp_id: dict[int, list[tuple[str, Record]]] = {}
        for file, record in existing.documents.items():
            if record is not None and same_blog(record, self.site):
                self.by_wp_id.setdefault(record.id, []).append((file, record))
        # posts and pages have a slug space each (their own folder)
        self.taken: dict[str, set[str]] = {existing.posts_dir: set(existing.foreign_slugs)}
        self.claimed: set[str] = set()
        self.redirect_claims = dict(existing.redirect_claims)
        self.draft_pages: list[str] = []
        self.published: list[_Target] = []
        self.published_pages: list[str] = []
        self.tags: dict[str, tuple[str, str]] = {}
        self.attachments: dict[int, str] = {}
        self.copied: set[Path] = set()
        self.copied_urls: set[str] = set()
        self.adapted: set[int] = set()
        self.category_by_slug: dict[str, str] = {}  # allowed and added categories, by URL slug
        self.children: dict[int, list[str]] = {}
        for item in export.items:
            if item.post_type == "attachment" and item.attachment_url:
                self.attachments.setdefault(item.id, item.attachment_url)
                self.children.setdefault(item.parent, []).append(item.attachment_url)
        self.new_authors: dict[str, dict[str, str]] = {}
        self.new_categories: list[str] = []
        self.needs_key = 0
        self._earlier_authors: set[str] | None = None
        self.login_ids: dict[str, str] = {}

    # ---- selection
    def select(self) -> list[tuple[Item, str]]:
        chosen: list[tuple[Item, str]] = []
        self.report.site = self.site
        for error in self.export.unreadable:
            self.report.found["unreadable item"] += 1
            self.report.skipped.append(
                {"wordpress_id": None, "type": "unreadable item", "title": "", "reason": error.message,
                 "line": error.line, "group": "cannot be read"}
            )
            self.report.skipped_counts["cannot be read"] += 1
        for item in self.export.items:
            kind = item.post_type
            self.report.found[kind] += 1
            self.report.found["comment"] += len(item.comments)
            if kind == "attachment":
                if item.attachment_url:
                    self.report.assets.append(
                        {"url": item.attachment_url, "wordpress_id": item.id, "in": "media library"}
                    )
                continue
            if kind not in ("post", "page"):
                if kind in _MACHINERY:
                    self.report.skipped_counts[f"type {kind}"] += 1
                else:
                    self._skip(item, f"type '{kind}' (only posts and pages are imported)")
                continue
            if kind == "page" and not self.options.pages:
                self._skip(item, "a page (use --pages to import pages)")
                continue
            reason = self._status_problem(item)
            if reason:
                self._skip(item, reason)
                continue
            chosen.append((item, kind))
        return chosen

    def _status_problem(self, item: Item) -> str | None:
        """Why an item is left out, by its status; None when it is imported."""
        if item.password:
            return "password-protected"
        status = item.status
        if status == "private" and not self.options.private_as_drafts:
            return "private (use --private-as-drafts to import it as a draft)"
        if status in ("draft", "pending", "private") and self.options.only_published:
            return f"{status} (--only-published)"
        if status == "trash":
            return "in the trash"
        if status == "auto-draft":
            return "an automatic draft (never written)"
        if status not in ("publish", "future", "draft", "pending", "private"):
            return f"status '{status}'"
        return None

    def _skip(self, item: Item, reason: str) -> None:
        self.report.skipped.append(
            {
                "wordpress_id": item.id,
                "type": item.post_type,
                "title": plain_text(item.title),
                "reason": reason,
            }
        )
        self.report.skipped_counts[reason.split(" (")[0]] += 1
        if item.comments:
            self.report.comments_skipped["on a post or page not imported"] += len(item.comments)

    # ---- files
    def folder(self, kind: str) -> str:
        return self.existing.posts_dir if kind == "post" else self.options.pages_dir.strip("/")

    def _known_file(self, item: Item, folder: str) -> str | None:
        """The file an earlier import of this blog wrote for ``item`` (same kind, not taken in this run)."""
        candidates = [
            (file, record)
            for file, record in self.by_wp_id.get(item.id, [])
            if PurePosixPath(file).parent.as_posix() == folder and file not in self.claimed
        ]
        for file, record in candidates:  # two items with one id (seen in real exports): the link tells
            if record.link == item.link:
                return file
        return candidates[0][0] if candidates else None

    def assign_files(self, chosen: list[tuple[Item, str]]) -> list[_Target]:
        targets: list[_Target] = []
        for item, kind in chosen:
            folder = self.folder(kind)
            taken = self.taken.setdefault(folder, set())
            file = self._known_file(item, folder)
            if file is None:
                wanted = (
                    unicode_slug(item.post_name)
                    or unicode_slug(plain_text(item.title))
                    or f"{kind}-{item.id}"
                )
                slug, number = wanted, 2
                while (
                    slug in taken
                    or f"{folder}/{slug}.md" in self.existing.documents
                    or (self.existing.docs_dir / folder / f"{slug}.md").exists()  # even an unreadable one
                    or (kind == "post" and (self.existing.comments_dir / slug).exists())  # a post gone
                ):
                    slug, number = f"{wanted}-{number}", number + 1
                if slug != wanted:
                    self.report.slug_changes.append(
                        {
                            "wordpress_id": item.id,
                            "type": kind,
                            "slug": wanted,
                            "new_slug": slug,
                            "reason": f"already used by another {kind} or file in {folder}/",
                        }
                    )
                file = f"{folder}/{slug}.md"
            taken.add(PurePosixPath(file).stem)
            self.claimed.add(file)
            target = _Target(item, file)
            self.links.add(target)
            targets.append(target)
        return targets

    # ---- authors
    def author_for(self, login: str) -> str:
        if login in self.options.author_map:
            return self.options.author_map[login]
        if login in self.login_ids:
            return self.login_ids[login]
        wp_author = next((a for a in self.export.authors if a.login == login), None)
        name = html.unescape(wp_author.display_name if wp_author else login) or login
        wanted = author_id(login) or "author"
        base, number = wanted, 2
        while base in self.login_ids.values():  # two logins, one id ("john.doe", "john_doe")
            base, number = f"{wanted}-{number}", number + 1
        self.login_ids[login] = base
        if base in self.existing.rules.authors:
            if base not in self.report.authors_reused and base not in self._imported_authors():
                self.report.authors_reused.append(base)
                self.report.notes.append(
                    f"WordPress user '{login}' is the existing author '{base}' "
                    "(use --author-map to choose another)"
                )
            return base
        if base not in self.new_authors:
            avatar = f"assets/authors/{base}.svg"
            svg = avatar_svg(name)
            path = self.existing.docs_dir / avatar
            if path.exists() and path.read_bytes() != svg:
                avatar = f"assets/authors/{base}-wordpress.svg"
                path = self.existing.docs_dir / avatar
            self.writes[path] = svg
            self.new_authors[base] = {"name": name, "description": AUTHOR_DESCRIPTION, "avatar": avatar}
            self.report.authors_added.append(base)
        return base

    def _imported_authors(self) -> set[str]:
        """Authors an earlier import added (their description says so): no note when they are reused."""
        if self._earlier_authors is None:
            try:
                data = yaml.safe_load(self.existing.authors_text) or {}
            except yaml.YAMLError:
                data = {}
            authors = data.get("authors") if isinstance(data, dict) else None
            self._earlier_authors = {
                str(key)
                for key, entry in (authors or {}).items()
                if isinstance(entry, dict) and entry.get("description") == AUTHOR_DESCRIPTION
            }
        return self._earlier_authors

    # ---- categories
    def category_names(self) -> dict[str, str]:
        """Category nicename -> the flat name posts get."""
        cats = {c.nicename: c for c in self.export.categories}
        by_name: dict[str, list[str]] = {}
        for category in cats.values():
            by_name.setdefault(html.unescape(category.name).casefold(), []).append(category.nicename)
        names: dict[str, str] = {}
        for category in cats.values():
            name = html.unescape(category.name)
            if len(by_name[name.casefold()]) > 1 and category.parent in cats:
                name = f"{html.unescape(cats[category.parent].name)} / {name}"
            names[category.nicename] = name
        return names

    def allowed(self, name: str) -> str:
        name = " ".join(name.split())
        allowed = self.existing.rules.categories_allowed
        if not allowed:
            return name
        if name in self.category_by_slug.values():
            return name
        slugify = self.existing.category_slugify
        if not self.category_by_slug:  # the allowed names' slugs, once (asked for every post's categories)
            for existing_name in allowed:
                self.category_by_slug.setdefault(slugify(existing_name, "-"), existing_name)
        slug = slugify(name, "-")
        if slug in self.category_by_slug:
            return self.category_by_slug[slug]
        self.category_by_slug[slug] = name
        self.new_categories.append(name)
        return name

    def vocabulary(self, targets: list[_Target]) -> dict[str, tuple[str, str]]:
        """Each WordPress tag name -> ("category" or "tag", the name it takes).

        The site refuses a tag that is another spelling of a category ("template" beside the
        category "Template") or of another tag (kb_engine.vocabulary). WordPress allows both, so the
        import merges such a tag into the category (the post is filed under it), or into the
        spelling more pages use, and reports each merge, rather than leave the post out.
        """
        categories = list(self.existing.rules.categories_allowed or ()) + list(self.new_categories)
        if not self.existing.rules.categories_allowed:  # no fixed list: the categories posts get
            names = self.category_names()
            categories = list(dict.fromkeys(
                " ".join(names.get(t.nicename, html.unescape(t.name)).split())
                for target in targets if target.item.post_type == "post"
                for t in target.item.terms if t.domain == "category"
            ))
        used = Counter(
            name for target in targets if target.item.post_type == "post" for name in _tag_names(target.item)
        )
        existing = sorted(self.existing.tag_counts.items(), key=lambda kv: (-kv[1], kv[0]))
        canonical = [name for name, _ in existing]
        plan: dict[str, tuple[str, str]] = {}
        for name, count in sorted(used.items(), key=lambda kv: (-kv[1], kv[0])):
            if name in categories:
                plan[name] = ("tag", name)  # the very name of a category: allowed as it is
            elif (category := near_duplicate(name, categories)) is not None:
                plan[name] = ("category", category)
            elif name in canonical:
                plan[name] = ("tag", name)
            elif (other := near_duplicate(name, canonical)) is not None:
                plan[name] = ("tag", other)
            else:
                canonical.append(name)
                plan[name] = ("tag", name)
                continue
            kind, final = plan[name]
            if final != name:
                self.report.vocabulary.append(
                    {"tag": name, "merged_into": kind, "name": final, "posts": count}
                )
        return plan

    # ---- one post
    def document(self, target: _Target, names: dict[str, str], rules: BlogRules) -> str | None:
        item = target.item
        title = plain_text(item.title)
        if not title:
            title = f"Untitled {item.post_type} {item.id}"
            self.report.notes.append(f"WordPress {item.post_type} {item.id} has no title; it is '{title}'")
        created = aware(item.date_local, item.date_gmt, self.offset)
        assert created is not None  # the reader requires a date on posts and pages
        converted = convert(
            item.content,
            item.link,
            lambda url: self.links.resolve(url, target.file),
            attachments=self.attachments,
            children=[u for u in self.children.get(item.id, []) if _is_image(u)],
            local=lambda url: self.local_file(url, target.file),
        )
        self.copied_urls.update(converted.copied)
        for url in converted.assets:
            self.report.assets.append({"url": url, "wordpress_id": item.id, "in": target.file})
        if converted.shortcodes:
            self.report.shortcodes.append(
                {"wordpress_id": item.id, "in": target.file, "shortcodes": converted.shortcodes}
            )
        if converted.had_nextpage:
            self.report.page_breaks.append({"wordpress_id": item.id, "in": target.file})
        meta: dict[str, Any] = {"title": title}
        if target.item.post_type == "post":
            meta["slug"] = PurePosixPath(target.file).stem
            dates: dict[str, Any] = {"created": created}
            modified = parse_wp_date(item.modified_gmt)
            if modified is not None:
                updated = modified.replace(tzinfo=dt.UTC).astimezone(created.tzinfo)
                if updated > created and updated.date() != created.date():
                    dates["updated"] = updated
            meta["date"] = dates
            meta["authors"] = [self.author_for(item.creator or "admin")]
            categories = [
                self.allowed(names.get(t.nicename, html.unescape(t.name)))
                for t in item.terms
                if t.domain == "category" and (names.get(t.nicename) or t.name).strip()
            ]
            tags: list[str] = []
            for name in _tag_names(item):
                kind, final = self.tags.get(name, ("tag", name))
                (categories if kind == "category" else tags).append(final)
            if categories:
                meta["categories"] = list(dict.fromkeys(categories))
            if tags:
                meta["tags"] = list(dict.fromkeys(tags))
            if item.status in _DRAFT_STATUSES:
                meta["draft"] = True
            if item.sticky:
                meta["pin"] = True
        excerpt = plain_text(item.excerpt)
        if excerpt:
            meta["description"] = excerpt
        redirects = self.redirects(item, target.file)
        record: dict[str, Any] = {}
        if self.site:
            record["site"] = self.site
        record.update({"id": item.id, "type": item.post_type, "status": item.status})
        if item.link:
            record["link"] = item.link
        if redirects:
            record["redirect_from"] = redirects
        feeds = self.feed_redirects(item, target.file) if item.post_type == "post" else []
        if feeds:
            record["comment_feed_from"] = feeds
        meta[FRONT_MATTER_KEY] = record
        front = yaml.dump(
            meta, Dumper=Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1000
        )
        body = converted.markdown
        text = f"---\n{front}---\n\n# {escape_heading(title)}\n\n{body}"
        if item.post_type == "post":
            shown = f"{self.existing.docs_dir.name}/{target.file}"
            problems = check_post(shown, text, rules)
            if problems:
                self._skip(item, f"the post would not pass the check: {problems[0].message}")
                return None
        elif item.status in (*_DRAFT_STATUSES, "future"):
            # A page has no date to wait for and no `draft:`; MkDocs' `draft_docs` keeps it unpublished.
            self.draft_pages.append(target.file)
            if item.status == "future":
                self.report.notes.append(
                    f"WordPress page {item.id} is scheduled ({item.date_local}); "
                    f"it is a draft (draft_docs) until you publish it"
                )
        else:
            self.published_pages.append(target.file)
        return text

    def local_file(self, url: str, file: str) -> str | None:
        """With ``--uploads``: copy the old site's file at ``url`` beside ``file``; its new relative link."""
        uploads = self.options.uploads
        if uploads is None or _host(url) not in self.links.hosts:
            return None
        path = unquote(urlsplit(url).path)
        if _UPLOADS not in path:
            return None
        relative = PurePosixPath(path.split(_UPLOADS, 1)[1])
        if not relative.parts or any(part in ("", ".", "..") for part in relative.parts):
            return None
        source = uploads.joinpath(*relative.parts)
        if not source.is_file():
            return None
        here = PurePosixPath(file)
        beside = PurePosixPath(here.stem) / relative
        dest = self.existing.docs_dir / here.parent / beside
        if dest not in self.copied:
            self.copied.add(dest)
            if self._stage(dest, source.read_bytes()) != "unchanged":
                self.report.uploads_copied += 1
        return quote(beside.as_posix())

    def feed_redirects(self, item: Item, file: str) -> list[str]:
        """The post's old comment feed (``<permalink>feed/``), to go to its comment feed here."""
        path = old_path(item.link)
        if not path or not path.endswith("/"):
            return []
        old = f"{path}feed/"
        parsed = parse_redirect(old, "/", "", file)
        if not isinstance(parsed, Redirect) or self.redirect_claims.get(parsed.dest, file) != file:
            return []
        self.redirect_claims[parsed.dest] = file
        return [old]

    def archive_table(self, published: list[_Target]) -> None:
        """Old category, tag and author archives and the feeds, into the redirects table."""
        if self.existing.table_file is None:
            return
        try:
            prefix = urlsplit(self.site).path.rstrip("/")
        except ValueError:
            prefix = ""
        wanted: dict[str, str] = {}
        cats = {c.nicename: c for c in self.export.categories}
        names = self.category_names()

        def chain(nicename: str) -> str:
            parts, seen = [], set()
            while nicename in cats and nicename not in seen:
                seen.add(nicename)
                parts.append(unquote(nicename))
                nicename = cats[nicename].parent
            return "/".join(reversed(parts)) if parts else unquote(nicename)

        category_url, tag_url, author_url = (
            self.existing.category_url, self.existing.tag_url, self.existing.author_url
        )
        for target in published:
            item = target.item
            if item.post_type != "post":
                continue
            for term in item.terms:
                if not term.nicename:
                    continue
                if term.domain == "category" and category_url is not None:
                    if not (names.get(term.nicename) or term.name).strip():
                        continue  # a blank name is no category (see document())
                    name = self.allowed(names.get(term.nicename, html.unescape(term.name)))
                    wanted.setdefault(f"{prefix}/category/{chain(term.nicename)}/", category_url(name))
                elif term.domain == "post_tag":
                    spelled = " ".join(html.unescape(term.name).split())
                    kind, final = self.tags.get(spelled, ("tag", term.name))
                    address = category_url(final) if kind == "category" and category_url else (
                        tag_url(final) if tag_url is not None else None
                    )
                    if address is not None:
                        wanted.setdefault(f"{prefix}/tag/{unquote(term.nicename)}/", address)
            if author_url is not None and item.creator:
                author = self.author_for(item.creator)
                wanted.setdefault(f"{prefix}/author/{author_id(item.creator)}/", author_url(author))
        if published:
            for old, new in _FEEDS:
                wanted.setdefault(f"{prefix}{old}", new)
        current = _table(self.existing.table_text)
        added: dict[str, str] = {}
        for old, new in wanted.items():
            parsed = parse_redirect(old, new, new, "")
            reason = ""
            if not isinstance(parsed, Redirect):
                reason = parsed.message
            elif current.get(old, new) != new:
                reason = f"the redirects table already sends it to {current[old]}"
            elif parsed.dest in self.existing.site_files or parsed.dest in self.redirect_claims:
                reason = "the site already has a page or a redirect there"
            if reason:
                self.report.redirects_dropped.append(
                    {"from": old, "to": new, "wordpress_id": "", "reason": reason}
                )
                continue
            self.report.archive_redirects.append({"from": old, "to": new})
            if old not in current:
                added[old] = new
        if added:
            text = self.existing.table_text or _TABLE_HEADER
            if not text.endswith("\n"):
                text += "\n"
            text += yaml.dump(added, Dumper=Dumper, allow_unicode=True, default_flow_style=False, width=1000)
            self.writes[self.existing.table_file] = text.encode("utf-8")

    def redirects(self, item: Item, file: str) -> list[str]:
        paths: list[str] = []
        path = old_path(item.link)
        if path:
            paths.append(path if path.endswith("/") or "." in path.rsplit("/", 1)[-1] else path + "/")
        paths.append(f"/?{'p' if item.post_type == 'post' else 'page_id'}={item.id}")
        kept: list[str] = []
        for old in paths:
            parsed = parse_redirect(old, "/", "", file)
            reason = ""
            if not isinstance(parsed, Redirect):
                reason = parsed.message
            elif parsed.dest in self.existing.site_files:
                # e.g. WordPress's /about/ where this site has its own About page: the page wins
                reason = f"the site already has a page there ({parsed.dest})"
            elif self.redirect_claims.get(parsed.dest, file) != file:
                # the same old address on another blog imported before, or two items with one id
                reason = f"{self.redirect_claims[parsed.dest]} already redirects from there"
            if reason:
                self.report.redirects_dropped.append(
                    {"from": old, "to": file, "wordpress_id": str(item.id), "reason": reason}
                )
                continue
            assert isinstance(parsed, Redirect)
            self.redirect_claims[parsed.dest] = file
            kept.append(old)
            self.report.redirects.append({"from": old, "to": file, "wordpress_id": str(item.id)})
        return kept

    # ---- comments
    def comments(self, target: _Target) -> dict[str, str]:
        """File name -> text of the comment files of one post."""
        item = target.item
        if not item.comments:
            return {}
        if item.post_type != "post":
            self.report.comments_skipped["on a page (comments belong to posts)"] += len(item.comments)
            return {}
        post_id = PurePosixPath(target.file).relative_to(self.existing.posts_dir).with_suffix("").as_posix()
        by_id = {c.id: c for c in item.comments}
        wanted: dict[int, WPComment] = {}
        for comment in item.comments:
            reason = self._comment_problem(comment)
            if reason:
                self.report.comments_skipped[reason] += 1
            else:
                wanted[comment.id] = comment
        if not wanted:
            return {}
        if not self.options.comments:
            self.report.comments_skipped["not imported (--no-comments)"] += len(wanted)
            return {}
        if self.key is None:
            self.needs_key += len(wanted)
            return {}
        refused: set[int] = set()
        post_ids = self.existing.post_ids | {post_id}
        while True:
            before = len(refused)
            texts: dict[int, str] = {}
            parsed: dict[int, Comment] = {}
            for comment in wanted.values():
                if comment.id in refused:
                    continue
                parent = self._parent(comment, by_id, wanted, refused)
                text = self.comment_text(comment, post_id, parent)
                stem = f"{COMMENT_PREFIX}{comment.id}"
                shown = f"{self.existing.comments_dir.name}/{post_id}/{stem}.yml"
                value, problems = parse_comment(text, shown, stem=stem, folder=post_id, post_ids=post_ids)
                if value is None:
                    refused.add(comment.id)
                    self.report.comments_refused.append(
                        {
                            "wordpress_id": comment.id,
                            "post": post_id,
                            "problems": [p.message for p in problems],
                        }
                    )
                    continue
                texts[comment.id], parsed[comment.id] = text, value
            if len(refused) == before:  # no new refusal: every parent above is final
                break
        reply_problems = check_replies(parsed.values())
        if (
            reply_problems
        ):  # cannot happen with parents chosen above; refuse rather than write a broken thread
            bad = {p.file for p in reply_problems}
            for wp_id, value in list(parsed.items()):
                if value.file in bad:
                    self.report.comments_refused.append(
                        {
                            "wordpress_id": wp_id,
                            "post": post_id,
                            "problems": [p.message for p in reply_problems if p.file == value.file],
                        }
                    )
                    del texts[wp_id]
        for comment in wanted.values():
            if comment.id in texts:
                parent = self._parent(comment, by_id, wanted, refused)
                if comment.parent and parent != comment.parent:
                    self.report.comments_reparented.append(
                        {
                            "wordpress_id": comment.id,
                            "post": post_id,
                            "wordpress_parent": comment.parent,
                            "now_replies_to": f"{COMMENT_PREFIX}{parent}" if parent else None,
                        }
                    )
                kind = comment.type if comment.type in ("pingback", "trackback") else "comment"
                self.report.comments[kind] += 1
        return {f"{COMMENT_PREFIX}{wp_id}.yml": text for wp_id, text in texts.items()}

    def _comment_problem(self, comment: WPComment) -> str | None:
        if comment.approved != "1":
            return {"0": "pending", "spam": "spam", "trash": "trash", "post-trashed": "trash"}.get(
                comment.approved, f"not approved ({comment.approved or 'no status'})"
            )
        if comment.type in ("pingback", "trackback"):
            return None if self.options.pingbacks else f"{comment.type} (use --pingbacks to keep them)"
        if comment.type not in ("", "comment"):
            return f"comment type '{comment.type}'"
        if aware(comment.date_local, comment.date_gmt, self.offset) is None:
            return "no date"
        return None

    @staticmethod
    def _parent(
        comment: WPComment, by_id: dict[int, WPComment], wanted: dict[int, WPComment], refused: set[int]
    ) -> int:
        """The nearest ancestor that is imported; 0 for a top-level comment."""
        seen = {comment.id}
        parent = comment.parent
        while parent and (parent not in wanted or parent in refused):
            if parent in seen or parent not in by_id:
                return 0
            seen.add(parent)
            parent = by_id[parent].parent
        return parent if parent not in seen else 0

    def comment_author(self, comment: WPComment, post_id: str) -> str:
        """The commenter's name as the comment rules take it: invisible characters out, at most
        AUTHOR_MAX characters (WordPress keeps up to 255), each change reported."""
        written = " ".join(html.unescape(comment.author).split())
        author = LINE_UNSAFE.sub("", written).strip()
        if len(author) > AUTHOR_MAX:
            author = author[: AUTHOR_MAX - 1].rstrip() + "…"
        if author != written and comment.id not in self.adapted:
            self.adapted.add(comment.id)
            self.report.comments_adapted.append(
                {"wordpress_id": comment.id, "post": post_id, "change": "name shortened or cleaned"}
            )
        return author or "Anonymous"

    def comment_text(self, comment: WPComment, post_id: str, parent: int) -> str:
        assert self.key is not None
        author = self.comment_author(comment, post_id)
        website = imported_website(comment.url)
        date = aware(comment.date_local, comment.date_gmt, self.offset)
        assert date is not None  # comments without a date are skipped before
        body = sanitize_html(comment.content.replace("\r\n", "\n").replace("\r", "\n"))
        return comment_file_text(CommentFile(
            id=f"{COMMENT_PREFIX}{comment.id}", post=post_id, author=author,
            date=date.astimezone(dt.UTC).isoformat(), body=body, website=website or "",
            reply_to=f"{COMMENT_PREFIX}{parent}" if parent else "",
            email_hash=email_hash(comment.email, self.key) if comment.email else "",
            kind=comment.type if comment.type in ("pingback", "trackback") else "",
        ))

    # ---- everything
    def run(self, progress: Callable[[int, int], None] | None = None) -> Plan:
        targets = self.assign_files(self.select())
        names = self.category_names()
        # First pass: authors and categories, so every post is checked against the final rules.
        for target in targets:
            if target.item.post_type == "post":
                self.author_for(target.item.creator or "admin")
                for term in target.item.terms:
                    if term.domain == "category" and (names.get(term.nicename) or term.name).strip():
                        self.allowed(names.get(term.nicename, html.unescape(term.name)))
        self.tags = self.vocabulary(targets)
        rules = BlogRules(
            authors=self.existing.rules.authors | frozenset(self.new_authors),
            categories_allowed=(*self.existing.rules.categories_allowed, *self.new_categories)
            if self.existing.rules.categories_allowed
            else (),
            authors_file=self.existing.rules.authors_file,
        )
        new_post_ids = {
            PurePosixPath(t.file).relative_to(self.existing.posts_dir).with_suffix("").as_posix()
            for t in targets
            if t.item.post_type == "post"
        }
        self.existing.post_ids = self.existing.post_ids | new_post_ids
        wrote_pages = False
        for number, target in enumerate(targets, 1):
            if progress is not None and (number % 25 == 0 or number == len(targets)):
                progress(number, len(targets))
            text = self.document(target, names, rules)
            if text is None:
                continue
            if target.item.status in ("publish", "future"):
                self.published.append(target)
            path = self.existing.docs_dir / target.file
            counter = self.report.posts if target.item.post_type == "post" else self.report.pages
            state = self._stage(path, text.encode("utf-8"))
            counter[state] += 1
            if target.item.post_type == "page":
                wrote_pages = True
            for name, comment_text in self.comments(target).items():
                post_id = PurePosixPath(target.file).relative_to(self.existing.posts_dir).with_suffix("")
                self._stage(
                    self.existing.comments_dir / post_id.as_posix() / name, comment_text.encode("utf-8")
                )
        self.archive_table(self.published)
        self.report.categories_added = list(self.new_categories)
        self.report.authors_added = list(self.new_authors)
        config_text = self.existing.config_text
        if self.new_categories:
            config_text = add_categories(config_text, self.new_categories, self.existing.config_file.name)
        if wrote_pages:
            config_text = add_pattern(
                config_text,
                "not_in_nav",
                f"/{self.options.pages_dir.strip('/')}/",
                "Pages imported from WordPress: built and linkable, not in the navigation.",
                self.existing.config_file.name,
            )
        for file in self.draft_pages:
            config_text = add_pattern(
                config_text,
                "draft_docs",
                f"/{file}",
                "WordPress pages imported as drafts: shown by `serve`, left out of `build`.",
                self.existing.config_file.name,
            )
        for file in self.published_pages:  # a draft page published since the last import
            config_text = remove_pattern(config_text, "draft_docs", f"/{file}")
        if config_text != self.existing.config_text:
            self.writes[self.existing.config_file] = config_text.encode("utf-8")
        if self.new_authors:
            authors_text = add_authors(
                self.existing.authors_text, list(self.new_authors.items()), self.existing.rules.authors_file
            )
            self.writes[self.existing.authors_file] = authors_text.encode("utf-8")
        else:
            for path in [p for p in self.writes if p.suffix == ".svg"]:
                del self.writes[path]
        # the media library's files that a post now has beside it are not left on the old site
        self.report.assets = [
            a for a in self.report.assets if a["in"] != "media library" or a["url"] not in self.copied_urls
        ]
        for path in [p for p, data in self.writes.items() if p.exists() and p.read_bytes() == data]:
            del self.writes[path]
        return Plan(self.writes, self.report, self.needs_key)

    def _stage(self, path: Path, data: bytes) -> str:
        if path.exists():
            if path.read_bytes() == data:
                self.report.files_unchanged += 1
                return "unchanged"
            self.writes[path] = data
            return "updated"
        self.writes[path] = data
        return "created"


# Post types that are the old site's machinery, not its content: counted, not listed one by one.
_MACHINERY = frozenset({
    "nav_menu_item", "revision", "customize_changeset", "custom_css", "oembed_cache", "user_request",
    "wp_global_styles", "wp_navigation", "wp_template", "wp_template_part", "wp_font_family",
    "wp_font_face",
})




_DRAFT_STATUSES = ("draft", "pending", "private")  # private only with --private-as-drafts
# WordPress's feeds and where this site has them (kb_engine.feeds.paths)
_FEEDS = (
    ("/feed/", RSS_PATH), ("/feed/rss/", RSS_PATH), ("/feed/rss2/", RSS_PATH), ("/feed/atom/", ATOM_PATH),
    ("/comments/feed/", SITE_COMMENTS_PATH),
)
_TABLE_HEADER = (
    "# Old addresses of pages the build makes (category, tag and author archives, feeds) and where\n"
    "# they are now, from the site root (kb_engine.redirects). Written by the WordPress import; edit freely.\n"
)


def _table(text: str) -> dict[str, str]:
    try:
        data = yaml.safe_load(text) if text.strip() else {}
    except yaml.YAMLError:
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
_UPLOADS = "/wp-content/uploads/"


def _is_image(url: str) -> bool:
    return urlsplit(url).path.lower().endswith((".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".avif"))


def _tag_names(item: Item) -> list[str]:
    return [
        " ".join(html.unescape(t.name).split())
        for t in item.terms
        if t.domain == "post_tag" and t.name.strip()
    ]


def plan_import(
    export: Export,
    existing: Existing,
    options: Options,
    key: bytes | None,
    progress: Callable[[int, int], None] | None = None,
) -> Plan:
    """Every file the import writes, and its report. Raises :class:`ImportRefused` when it cannot go ahead."""
    unknown = sorted(set(options.author_map.values()) - existing.rules.authors)
    if unknown:
        raise ImportRefused(
            f"--author-map names authors that are not in {existing.rules.authors_file}: {', '.join(unknown)}"
        )
    return _Planner(export, existing, options, key).run(progress)
