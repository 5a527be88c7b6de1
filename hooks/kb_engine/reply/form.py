"""What the "Leave a Reply" form on a post needs: plain data for the template."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kb_engine.comments import rules
from kb_engine.comments.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS
from kb_engine.core import fields as f
from kb_engine.core.dates import DateStyle

CONTEXT_KEY = "kb_reply"


@dataclass(frozen=True)
class ReplyTarget:
    """An approved comment a new comment can answer."""

    id: str
    author: str
    date: str  # ISO 8601, for sorting
    shown_date: str = ""  # the date as the site writes it (plugins.kb-dates)

    @property
    def label(self) -> str:
        shown = self.shown_date or self.date[:10]
        return f"{self.author}, {shown}" if shown else self.author


@dataclass(frozen=True)
class Fields:
    post: str = f.POST
    author: str = f.AUTHOR
    email: str = f.EMAIL
    website: str = f.WEBSITE
    body: str = f.BODY
    reply_to: str = f.REPLY_TO
    honeypot: str = f.HONEYPOT


@dataclass(frozen=True)
class Limits:
    author: int = rules.AUTHOR_MAX
    email: int = rules.EMAIL_MAX
    website: int = rules.WEBSITE_MAX
    body: int = rules.BODY_MAX


@dataclass(frozen=True)
class ReplyForm:
    post: str
    action: str | None  # None: no intake service, so no form (and no Reply links)
    allowed_tags: tuple[str, ...]
    targets: tuple[ReplyTarget, ...] = ()
    closed: bool = False  # the post takes no more comments: "Comments are closed."
    fields: Fields = field(default_factory=Fields)
    limits: Limits = field(default_factory=Limits)
    # What the page checks before sending (kb_engine.comments.rules.form_rules), as JSON for its script.
    rules: dict[str, object] = field(default_factory=rules.form_rules)

    @property
    def open(self) -> bool:
        """Readers can comment here: the form, and a Reply link on each comment."""
        return self.action is not None and not self.closed


def allowed_tags() -> tuple[str, ...]:
    """The sanitiser's allow-list as WordPress shows it: ``<a href="" title="">``, ..."""
    shown = []
    for tag in sorted(ALLOWED_TAGS):
        attributes = "".join(f' {name}=""' for name in sorted(ALLOWED_ATTRIBUTES.get(tag, ())))
        shown.append(f"<{tag}{attributes}>")
    return tuple(shown)


def post_id(src_uri: str, posts_dir: str) -> str | None:
    """The post id of a page (its path under the posts folder without ``.md``), or None."""
    prefix = posts_dir.rstrip("/") + "/"
    if not src_uri.startswith(prefix) or not src_uri.endswith(".md"):
        return None
    return src_uri[len(prefix) : -len(".md")]


def reply_targets(folder: Path, dates: DateStyle | None = None) -> tuple[ReplyTarget, ...]:
    """Approved comments of one post (``comments/<post>/*.yml``), oldest first.

    Only ids, names and dates are read, leniently: the comment files are
    validated by the comments feature, which stops the build on a bad one.
    """
    targets: list[ReplyTarget] = []
    if not folder.is_dir():
        return ()
    for path in sorted(folder.glob("*.yml")):
        try:
            data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        if isinstance(data, dict) and isinstance(data.get("id"), str) and data["id"] == path.stem:
            date = data.get("date", "")
            shown = (dates or DateStyle()).date(date) if isinstance(date, dt.date) else ""
            targets.append(ReplyTarget(data["id"], str(data.get("author", "")), str(date), shown))
    return tuple(sorted(targets, key=lambda t: (t.date, t.id)))
