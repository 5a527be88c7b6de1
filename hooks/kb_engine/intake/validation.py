"""Checks on one submitted comment: pure functions, no Flask.

A submission is a mapping of field names to values (from a form or a JSON
object). :func:`check_submission` returns either a :class:`Submission`
(clean, with the body sanitised by the build's own sanitiser) or a
:class:`Refusal` with the HTTP status and a message naming the field. The
rules of the content itself (limits, characters, no e-mail address in
anything published) are the comment files' own, :mod:`kb_engine.comments.rules`.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from html.parser import HTMLParser

from kb_engine.comments import rules
from kb_engine.comments.identity import normalize_email
from kb_engine.comments.rules import content_problems
from kb_engine.comments.sanitize import sanitize_html
from kb_engine.core.fields import AUTHOR, BODY, EMAIL, HONEYPOT, POST, REPLY_TO, WEBSITE
from kb_engine.core.manifest import Manifest

MAX_LINKS = 2  # more than this holds a comment for closer review

_BARE_URL = re.compile(r"(?:https?://|www\.)\S", re.IGNORECASE)


@dataclass(frozen=True)
class Submission:
    """A comment that passed every check, ready for the queue."""

    post: str
    author: str
    email: str
    website: str | None
    body: str  # sanitised
    reply_to: str | None
    links: int

    @property
    def held(self) -> bool:
        return self.links > MAX_LINKS

    def content_hash(self, key: bytes) -> str:
        """What makes two submissions the same comment: post, address and body, keyed.

        An HMAC under the comment key, so that a stored hash cannot be
        matched against guessed addresses by anyone without the key.
        """
        text = "\0".join((self.post, normalize_email(self.email), " ".join(self.body.split())))
        return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Refusal:
    """Why a submission is refused: an HTTP status and a message for the reader."""

    status: int
    message: str
    field: str | None = None


def honeypot_filled(fields: Mapping[str, object]) -> bool:
    value = fields.get(HONEYPOT)
    return value is not None and value != ""


def check_submission(fields: Mapping[str, object], manifest: Manifest) -> Submission | Refusal:
    """Validate one submission against the limits and the published posts."""
    texts: dict[str, str] = {}
    for name in (POST, AUTHOR, EMAIL, WEBSITE, BODY, REPLY_TO):
        value = fields.get(name)
        if value is None:
            value = ""
        if not isinstance(value, str):
            return Refusal(422, f"`{name}` must be text", name)
        texts[name] = value

    post = texts[POST].strip()
    if not post:
        return Refusal(422, "`post` is required: which post is this comment for?", POST)
    entry = manifest.posts.get(post)
    if entry is None:
        return Refusal(404, f"`post`: there is no published post '{_shown(post)}'", POST)

    # The content rules are the comment files' own (kb_engine.comments.rules): first
    # on the fields as typed, then on what would be stored (the sanitised
    # body), so that whatever is accepted passes the check and the build.
    author = " ".join(texts[AUTHOR].split())
    website = texts[WEBSITE].strip() or None
    raw_body = texts[BODY].replace("\r\n", "\n").replace("\r", "\n").strip()
    refusal = _first_refusal(content_problems(author, website, raw_body))
    if refusal:
        return refusal

    email = texts[EMAIL].strip()
    problem = rules.email_problem(email)
    if problem:
        return Refusal(422, f"`{EMAIL}`: {problem}", EMAIL)

    body = sanitize_html(raw_body).strip()
    if not _has_text(body):
        return Refusal(422, f"`{BODY}`: nothing is left once disallowed HTML is removed", BODY)
    refusal = _first_refusal(content_problems(author, website, body))
    if refusal:
        return refusal

    reply_to = texts[REPLY_TO].strip() or None
    if reply_to is not None and reply_to not in entry.comments:
        return Refusal(
            422, f"`reply_to`: '{_shown(reply_to)}' is not an approved comment on this post", REPLY_TO
        )

    return Submission(post, author, email, website, body, reply_to, count_links(body))


_FIELD_NAMES = {rules.AUTHOR: AUTHOR, rules.WEBSITE: WEBSITE, rules.BODY: BODY}


def _first_refusal(problems: list[rules.FieldProblem]) -> Refusal | None:
    """The first problem the content rules found, as a refusal naming the form's field."""
    if not problems:
        return None
    field = _FIELD_NAMES[problems[0].field]
    return Refusal(422, f"`{field}`: {problems[0].message}", field)


def count_links(html: str) -> int:
    """Links in a sanitised body: ``<a href>`` elements plus bare URLs in the text."""
    counter = _LinkCounter()
    counter.feed(html)
    counter.close()
    return counter.links


class _LinkCounter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links = 0
        self._in_link = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._in_link += 1
            if any(name == "href" and value for name, value in attrs):
                self.links += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._in_link:
            self._in_link -= 1

    def handle_data(self, data: str) -> None:
        if not self._in_link:
            self.links += len(_BARE_URL.findall(data))


def _has_text(html: str) -> bool:
    class Text(HTMLParser):
        found = False

        def handle_data(self, data: str) -> None:
            self.found = self.found or bool(data.strip())

    parser = Text(convert_charrefs=True)
    parser.feed(html)
    parser.close()
    return parser.found


def _shown(value: str) -> str:
    """A user-supplied value for a message: shortened, escaped, any address elided."""
    return rules.shown(value)
