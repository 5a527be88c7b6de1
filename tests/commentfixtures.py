"""Comment files for tests: a thread on the source post and the XSS corpus.

The files are written the way the intake service writes them (YAML, one
file per comment, ``email_hash`` from a test key), into a copy of the project.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from kb_engine.comments.identity import email_hash

TEST_KEY = b"comment-fixtures-test-key-0123456789"
SOURCE_POST = "good-customers-good-vendors"
SOURCE_URL = "blog/2009/04/06/good-customers-good-vendors/"
CORPUS_POST = "xss-corpus"
CORPUS_URL = "blog/2026/01/05/xss-corpus/"
VECTORS_FILE = Path(__file__).resolve().parent / "data" / "xss-vectors.txt"
SITE_FEED_ITEMS = 5

# Commenters of the fixture thread; their addresses must never reach the site.
ADDRESSES = {
    "Ann Reader": "ann.reader@example.com",
    "Bob Buyer": "Bob.Buyer+kb@example.org",
    "Carol Seller": "carol@sales.example.net",
}


@dataclass(frozen=True)
class Fixture:
    id: str
    author: str
    date: str
    body: str
    reply_to: str | None = None
    website: str | None = None


THREAD: tuple[Fixture, ...] = (
    Fixture("20261126-0a0a0001", "Ann Reader", "2026-11-26T09:00:00+00:00",
            "Great post. Most of our customers want a <em>great vendor</em>, not a partner.\n\n"
            "We learned that the hard way.", website="https://ann.example.net/blog"),
    Fixture("20261126-0a0a0002", "Bob Buyer", "2026-11-26T10:30:00+01:00",
            "Agreed: <q cite=\"https://example.net/q\">partnering</q> is overused.",
            reply_to="20261126-0a0a0001"),
    Fixture("20261126-0a0a0003", "Carol Seller", "2026-11-26T11:00:00+00:00",
            "How do you decide <strong>which</strong> customers are strategic?",
            reply_to="20261126-0a0a0002"),
    Fixture("20261126-0a0a0004", "Ann Reader", "2026-11-26T12:00:00+00:00",
            "We score them on <abbr title=\"total contract value\">TCV</abbr> and fit.",
            reply_to="20261126-0a0a0003"),
    Fixture("20261126-0a0a0005", "Bob Buyer", "2026-11-26T13:00:00+00:00",
            "Level five.", reply_to="20261126-0a0a0004"),
    Fixture("20261126-0a0a0006", "Carol Seller", "2026-11-26T14:00:00+00:00",
            "Level six, shown at level five.", reply_to="20261126-0a0a0005"),
    Fixture("20261127-0b0b0001", "Dana Nobody", "2026-11-27T08:15:00-05:00",
            "<blockquote cite=\"https://example.net/\">"
            "Sometimes all we want is good customers.</blockquote>\n\n"
            "See <a href=\"https://example.net/article\" title=\"An article\">this article</a> &amp; "
            "<code>vendor &lt; partner</code>.<br>Thanks!"),
    Fixture("20261127-0b0b0002", "Ann Reader", "2026-11-27T16:00:00+00:00",
            "Thanks, Dana.", reply_to="20261127-0b0b0001"),
)  # fmt: skip

HOSTILE_AUTHORS = (
    # Websites that try to leave their attribute with what a URL may hold ('),
    # or carry markup percent-encoded; '"' and '<' are refused (kb_engine.comments.rules).
    ("<script>alert(1)</script>", "https://example.net/'onmouseover='alert(1)"),
    ('"><img src=x onerror=alert(1)>', None),
    ("'; alert(1); //", "https://example.net/?a=%3Cscript%3E"),
)


def comment_text(
    post: str,
    comment_id: str,
    *,
    author: str,
    date: str,
    body: str,
    reply_to: str | None = None,
    website: str | None = None,
    email: str | None = None,
) -> str:
    data: dict[str, str] = {"id": comment_id, "post": post, "author": author}
    if website:
        data["website"] = website
    data["date"] = date
    if reply_to:
        data["reply_to"] = reply_to
    if email:
        data["email_hash"] = email_hash(email, TEST_KEY)
    data["body"] = body
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)


def write_comment(project: Path, post: str, comment_id: str, text: str) -> Path:
    folder = project / "comments" / post
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{comment_id}.yml"
    path.write_text(text, encoding="utf-8")
    return path


def vectors() -> list[str]:
    lines = VECTORS_FILE.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("# ")]


def add_thread(project: Path, post: str = SOURCE_POST) -> None:
    """The thread on ``post`` (by default the project's source post)."""
    for f in THREAD:
        text = comment_text(
            post, f.id, author=f.author, date=f.date, body=f.body,
            reply_to=f.reply_to, website=f.website, email=ADDRESSES.get(f.author),
        )  # fmt: skip
        write_comment(project, post, f.id, text)


def add_corpus(project: Path, author: str = "kb-team", category: str = "Partnerships") -> None:
    """A post whose comments are the XSS corpus, plus hostile author fields."""
    (project / "docs/blog/posts" / f"{CORPUS_POST}.md").write_text(
        f"---\ndate: 2026-01-05\nauthors: [{author}]\ncategories: [{category}]\n---\n\n"
        "# XSS corpus\n\nComments holding known XSS vectors.\n\n<!-- more -->\n\nNothing else.\n",
        encoding="utf-8",
    )
    for number, vector in enumerate(vectors(), start=1):
        comment_id = f"xss-{number:03d}"
        text = comment_text(
            CORPUS_POST, comment_id, author=f"Vector {number}",
            date=f"2026-01-06T00:{number // 60:02d}:{number % 60:02d}+00:00", body=vector,
        )  # fmt: skip
        write_comment(project, CORPUS_POST, comment_id, text)
    for number, (author, website) in enumerate(HOSTILE_AUTHORS, start=1):
        comment_id = f"hostile-{number}"
        text = comment_text(
            CORPUS_POST, comment_id, author=author, date=f"2026-01-07T00:00:0{number}+00:00",
            body="Hostile author fields.", website=website,
        )  # fmt: skip
        write_comment(project, CORPUS_POST, comment_id, text)


def set_site_feed_items(config_file: Path, count: int) -> None:
    text = config_file.read_text(encoding="utf-8")
    changed, replaced = re.subn(r"(?m)^(\s+site_feed_items:)\s*\d+", rf"\g<1> {count}", text)
    assert replaced == 1, "mkdocs.yml has no plugins.kb-comments.site_feed_items line"
    config_file.write_text(changed, encoding="utf-8")
