"""The rules of a comment's content: one module, called by every gate.

A comment reaches the site through three gates: the intake service
(``kb_engine.intake.validation.check_submission``), the content check
(``dev.py check``) and the build (both through
``kb_engine.comments.model.check_comments``), and comment files written by an
importer go through the last two. Each gate calls :func:`content_problems`
on the fields that are published (author, website, body), so what one gate
accepts the others accept too.

The rules:

- **Limits**: the name at most :data:`AUTHOR_MAX` characters, the website
  :data:`WEBSITE_MAX`, the body :data:`BODY_MAX` (as stored: the sanitised
  XHTML a comment file holds). The reply form's ``maxlength`` reads them too.
- **Invisible and control characters** are refused: in the name and the
  website any control or format character (bidirectional overrides such as
  U+202E, zero-width spaces, C1 controls such as U+009B, NUL; a name may
  keep the zero-width joiners emoji and scripts need), and a name must have
  a visible character; in the body, control characters other than
  tab and line breaks, and the format characters that reorder or hide text
  (bidirectional embeddings, overrides and isolates, U+FEFF, interlinear
  annotations, tag characters). Joiners, soft hyphens and direction marks
  stay allowed in a body: languages need them.
- **No e-mail address is published, in any spelling**: each field is read
  as written, with HTML entities and percent-escapes decoded (also twice),
  and each of those as a reader sees it (:func:`kb_engine.comments.readerview.fold`:
  NFKC, so a full-width "＠" is an "@"; invisible code points removed, and
  white space that is not ASCII beside an "@"; the ideographic full stops
  "。", "．", "｡" read as dots, as UTS #46 reads them in a domain; every other
  character by its UTS #39 prototype, so a Cyrillic "а" is an "a"); the
  body also as the text of its sanitised HTML, tags dropped, which is what
  the page, the feeds and the search index carry (``ann<b></b>@gmail.com``
  is "ann@gmail.com" there). An address is a local part (letters of any
  script, digits, ``!#$%&'*+/=?^`{|}~-``, dots, or a quoted string), "@",
  and either an IP literal (``[192.0.2.1]``) or a domain of two labels or
  more whose last label is two letters or more of any script, or a punycode
  label (``xn--p1ai``) that decodes to letters. So ``info@bücher.de`` and
  ``ivan@пример.рф`` are addresses; ``lodash@4.17.21``,
  ``@types/node@18.11.9`` and a price such as ``5@3.50`` are not, nor are a
  fediverse handle written with its leading "@" (``@alice@mastodon.social``)
  and a plain ``@name``. A web address with a user name or password
  (``https://john@host/``, ``https://x:pw@host/``) is refused the same way,
  in any field. Messages show an address elided (``a…@gmail.com``).

Every message names what is wrong and how to fix it; callers add the field.
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import NamedTuple
from urllib.parse import unquote

import email_validator
import idna

from kb_engine.comments import readerview
from kb_engine.comments.sanitize import body_text, sanitize_html
from kb_engine.core.urls import CONTROL_CHARACTERS, FORMAT_CHARACTERS, USER_INFO, code_point, http_url_problem

AUTHOR_MAX = 100
EMAIL_MAX = 254
WEBSITE_MAX = 200
BODY_MAX = 5000

AUTHOR = "author"
WEBSITE = "website"
BODY = "body"

# Something that may be an e-mail address, in a folded view (see
# readerview.fold): a local part (RFC 5322 atoms of any script starting
# with a letter or digit, or a quoted string), "@", and an IP literal or dotted labels (whose last label
# :func:`_address_domain` checks); not when the local part follows an "@"
# (a fediverse handle, @alice@mastodon.social) or a character of a word.
# ("/", "=" and "?" are left out: in a URL's path or query they end a word,
# and "?from=ann@example.org" holds the address "ann@example.org".)
_ATEXT = r"[\w!#$%&'*+^`{|}~-]"
_EMAIL = re.compile(
    rf'(?<![\w.@-])(?P<local>"[^"\n]{{1,64}}"|\w{_ATEXT}*(?:\.{_ATEXT}+)*)'
    r"@(?P<domain>\[(?:IPv6:)?[0-9A-Fa-f:.]+\]|[\w-]+(?:\.[\w-]+)+)",
    re.IGNORECASE,
)
# Something that reads as a tag: "ann<b></b>@gmail.com" is an address once tags are dropped.
_MARKUP = re.compile(r"<[^<>]*>")
# White space that is not ASCII, beside an at sign: it reads as nothing there.
_SPACE_BY_AT = re.compile("[^\\S \t\n\r]+(?=[@\uff20\ufe6b])|(?<=[@\uff20\ufe6b])[^\\S \t\n\r]+")
# A URL whose authority holds user information (a name, or name:password).
# (An empty one, "https://@host", names nobody: a file's YAML escapes can
# put one in its text, "https://@\\t@", where the value holds none.)
_USERINFO_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://([^/?#\s\"'<>@]+)@[^\s\"'<>]", re.IGNORECASE)

# Characters a name or e-mail address must not hold: controls (C0, DEL, C1)
# and every format character (Unicode category Cf), the sets the address rule
# (kb_engine.core.urls) uses, plus line and paragraph separators.
_UNSAFE = re.compile(f"[{CONTROL_CHARACTERS}{FORMAT_CHARACTERS}\u2028\u2029]")
# A name may hold the joiners (U+200C, U+200D) that emoji and scripts need.
_FORMAT_BUT_JOINERS = FORMAT_CHARACTERS.replace("\u200b-\u200f", "\u200b\u200e\u200f")
LINE_UNSAFE = re.compile(f"[{CONTROL_CHARACTERS}{_FORMAT_BUT_JOINERS}\u2028\u2029]")
# In a body: controls other than tab and line ends, and the format
# characters that reorder or hide text: bidirectional embeddings, overrides
# and isolates, the byte order mark, interlinear annotations, tag
# characters, line separators.
_BODY_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ufff9-\ufffb\u2028\u2029"
    "\U000e0001\U000e0020-\U000e007f]"
)
# The characters whose compatibility form (NFKC) holds an "@" (a test checks this).
_WIDE_AT_SIGNS = ("\uff20", "\ufe6b")


class FieldProblem(NamedTuple):
    """What is wrong with one published field; ``message`` says how to fix it."""

    field: str  # AUTHOR, WEBSITE or BODY
    message: str


def content_problems(author: str | None, website: str | None, body: str | None) -> list[FieldProblem]:
    """Every rule above, on a comment's published fields (as stored, or as submitted).

    ``author`` without surrounding white space; ``body`` the limited XHTML as
    a comment file holds it (or as a reader typed it: it is sanitised here to
    see its published text). None: the field is absent (required fields are
    the caller's to report), and not checked.
    """
    problems: list[FieldProblem] = []
    message = author_problem(author) if author is not None else None
    if message:
        problems.append(FieldProblem(AUTHOR, message))
    message = website_problem(website) if website is not None else None
    if message:
        problems.append(FieldProblem(WEBSITE, message))
    if body is not None:
        message = body_problem(body)
        if message is None and may_hold_at_sign(body):  # else no address can be in it, nor in its text
            message = published_text_problem(body, published_body_text(body))
        if message:
            problems.append(FieldProblem(BODY, message))
    return problems


def author_problem(author: str) -> str | None:
    """The commenter's name: one line of visible text, at most AUTHOR_MAX characters."""
    if not author.strip():
        return AUTHOR_REQUIRED
    if len(author) > AUTHOR_MAX:
        return f"the name is {len(author)} characters long; shorten it to at most {AUTHOR_MAX}"
    if "\n" in author or "\r" in author:
        return "must be one line of text; join the lines"
    unsafe = LINE_UNSAFE.search(author)
    if unsafe:
        return f"the name holds an invisible or control character ({code_point(unsafe.group())}); remove it"
    # Printable ASCII that is not all spaces is visible (controls are refused above).
    if not author.isascii() and not any(_visible(char) for char in author):
        return "the name has no visible character; write a name"
    return published_text_problem(author) if may_hold_at_sign(author) else None


def website_problem(url: str) -> str | None:
    """An optional http(s) address (the core's rule, kb_engine.core.urls), at most WEBSITE_MAX characters.

    Then, as every published field: no e-mail address in any spelling (which also
    says best what is wrong with ``https://ann@example.com/``).
    """
    problem = http_url_problem(url, max_length=WEBSITE_MAX)
    if problem and problem != USER_INFO:
        return problem
    return (published_text_problem(url) if may_hold_at_sign(url) else None) or problem


def email_problem(email: str) -> str | None:
    """The private address the intake keys its hash with (never stored, never published).

    Read by email-validator (syntax only: no network), which also reads an
    internationalised domain (``ann@bücher.de``) and its punycode alike.
    """
    if not email:
        return EMAIL_REQUIRED
    unsafe = _UNSAFE.search(email)
    if unsafe:
        found = code_point(unsafe.group())
        return f"the address holds an invisible or control character ({found}); remove it"
    if len(email) > EMAIL_MAX or canonical_email(email) is None:
        return EMAIL_SHAPE
    return None


def canonical_email(email: str) -> str | None:
    """The one form of an address that is hashed, or None if it is not an address.

    email-validator's normalised form (the local part NFC, the domain read
    with IDNA/UTS 46 and written in Unicode, so ``ann@bücher.de`` and
    ``ann@xn--bcher-kva.de`` are one address), in lower case.
    """
    try:
        valid = email_validator.validate_email(email.strip(), check_deliverability=False)
    except (email_validator.EmailNotValidError, UnicodeError, ValueError):
        return None
    return valid.normalized.lower()


def body_problem(body: str) -> str | None:
    """The body's size and characters (its addresses: :func:`published_text_problem`)."""
    if len(body) > BODY_MAX or not body or body[0].isspace() or body[-1].isspace():
        text = body.strip()
        if not text:
            return BODY_REQUIRED
        if len(text) > BODY_MAX:
            return f"the comment is {len(text)} characters long; shorten it to at most {BODY_MAX}"
    unsafe = _BODY_UNSAFE.search(body)
    if unsafe:
        found = code_point(unsafe.group())
        return f"the comment holds an invisible or control character ({found}); remove it"
    return None


def published_body_text(body: str) -> str:
    """The text a body publishes: its sanitised HTML with tags dropped, entities decoded.

    The page, the feeds and the search index carry this text (the build also
    wraps blocks in paragraphs, which adds tags and white space, nothing an
    address could be made of). Empty when no "@" can be in it, skipping the
    sanitiser: it cannot make one out of nothing (see :func:`may_hold_at_sign`).
    """
    if not may_hold_at_sign(body):
        return ""
    return body_text(sanitize_html(body))


def published_text_problem(*texts: str) -> str | None:
    """An e-mail address, or a web address with user information, in any view of ``texts``."""
    for text in texts:
        if not may_hold_at_sign(text):
            continue
        for view in decoded_views(text):
            if "@" not in view:
                continue
            address = find_address(view)
            if address:
                return ADDRESS_IN_TEXT.format(address=mask(address))
            credentials = _USERINFO_URL.search(view)
            if credentials:
                return (
                    f"holds a web address with a user name or password ({credentials.group(1)[:1]}…@…): "
                    "remove the part before the '@'"
                )
    return None


def find_address(view: str) -> str | None:
    """The first e-mail address in ``view`` (one of :func:`decoded_views`), or None."""
    for match in _EMAIL.finditer(view):
        domain = _address_domain(match.group("domain"))
        if domain:
            return f"{match.group('local')}@{domain}"
    return None


def _address_domain(domain: str) -> str | None:
    """The longest start of ``domain`` that names a mail domain, or None.

    An IP literal, or two labels or more ending in a top-level label of
    letters: two or more letters of any script, or a punycode label that
    decodes to such (``xn--p1ai`` is "рф"). A version number (4.17.21) or a
    price (3.50) ends in digits and names none.
    """
    if domain.startswith("["):
        return domain
    labels = domain.split(".")
    for end in range(len(labels), 1, -1):
        if _is_top_label(labels[end - 1]) and all(labels[:end]):
            return ".".join(labels[:end])
    return None


def _is_top_label(label: str) -> bool:
    if label[:4].lower() == "xn--":
        try:
            label = idna.decode(label)
        except (idna.IDNAError, UnicodeError, ValueError):
            return False
    return len(label) >= 2 and label.isalpha()


def may_hold_at_sign(text: str) -> bool:
    """False when no "@" can be in ``text`` nor in any of its decoded views.

    An "@" is written as itself, as a compatibility form (full-width "＠",
    small "﹫"), or decoded (once or twice) from a percent-escape (%40) or an
    entity: a numeric one (&#64;), &commat;, or one that first decodes to "#"
    or "%" (&num;, &percnt;). No HTML entity decodes to a letter of those
    names (a test checks every one), so they must be written out. The
    sanitiser decodes entities the same way and adds only tags and
    attributes without "@", so a body for which this is False publishes
    none either. Plain substring tests: this runs on every field of every
    comment file.
    """
    return (
        "@" in text
        or "%" in text
        or ("&" in text and ("#" in text or "commat" in text or "num" in text or "percnt" in text))
        or (not text.isascii() and any(sign in text for sign in _WIDE_AT_SIGNS))
    )


def decoded_views(text: str) -> tuple[str, ...]:
    """``text`` as written, with entities and percent-escapes decoded (also twice), and tags dropped.

    Text that is not ASCII is also read as a reader sees it
    (:func:`kb_engine.comments.readerview.fold`, with white space that is not ASCII
    beside an at sign removed and combining marks dropped, so that a word
    of any script is one run of letters): "ann\u034f＠gmаil。com" is
    "ann@gmail.com".
    """
    decoded = html.unescape(unquote(html.unescape(text)))
    views: tuple[str, ...] = (text, decoded, unquote(decoded))
    if "<" in decoded:  # markup shown as text, or dropped by a program reading the page: both
        views += tuple(_MARKUP.sub("", view) for view in views)
    if all(view.isascii() for view in views):
        return views
    return views + tuple(_reader_view(view) for view in views if not view.isascii())


def _reader_view(text: str) -> str:
    folded = readerview.fold(_SPACE_BY_AT.sub("", text))
    if folded.isascii():
        return folded
    return "".join(char for char in folded if not unicodedata.category(char).startswith("M"))


def mask(address: str) -> str:
    """Enough of an address to find it, not enough to publish it in a log: ``a…@gmail.com``."""
    local, _, domain = address.rpartition("@")
    first = next((char for char in local if char.isalnum()), "")
    # A domain read through look-alikes is shown only when it reads as ASCII.
    return f"{first}…@{domain if domain.isascii() else '…'}"


def elide_addresses(text: str) -> str:
    """``text`` for a message quoting it: an address in it (in any spelling) shown elided.

    For messages that quote what someone wrote (an id, a file name, a
    setting): a value that holds an e-mail address is shown as that address
    elided (``a…@gmail.com``), one with a user name or password as ``j…@…``.
    """
    if not may_hold_at_sign(text):
        return text
    for view in decoded_views(text):
        if "@" not in view:
            continue
        address = find_address(view)
        if address:
            return mask(address)
        credentials = _USERINFO_URL.search(view)
        if credentials:
            return f"{credentials.group(1)[:1]}…@…"
    return text


def shown(value: object, limit: int = 60) -> str:
    """A value someone wrote, quoted safely in a message, a log line or an exception.

    An address in it is elided (:func:`elide_addresses`), invisible and
    control characters are written as ``\\uXXXX`` escapes, and it is cut
    to ``limit`` characters.
    """
    text = elide_addresses(value if isinstance(value, str) else str(value))
    if not (text.isascii() and text.isprintable()):  # printable ASCII hides nothing
        text = "".join(_escaped(char) if readerview.is_hidden(char) else char for char in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _escaped(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _visible(char: str) -> bool:
    return not readerview.is_hidden(char) and unicodedata.category(char)[0] in "LNPS"


# -- the rules the reply form checks in the browser ------------------------------

AUTHOR_REQUIRED = "your name is required"
EMAIL_REQUIRED = "your e-mail address is required (it is never published)"
EMAIL_SHAPE = "this is not an e-mail address (like name@example.com)"
BODY_REQUIRED = "the comment is empty"
ADDRESS_IN_TEXT = ("holds an e-mail address ({address}), and this text is published: "
                   "remove the address (it is only ever kept as a private hash)")
TOO_LONG = "is {length} characters long; shorten it to at most {limit}"


def form_rules() -> dict[str, object]:
    """What the reply form can check before sending, as data the page reads (JSON).

    The same limits, required fields, e-mail shape and "an address in the
    text" pattern the gates above apply, with their messages; the page's
    script checks them as a convenience, the intake service stays the
    authority (it also decodes entities, escapes and look-alike characters,
    which the page does not try). Patterns are written for JavaScript.
    """
    return {
        "limits": {AUTHOR: AUTHOR_MAX, "email": EMAIL_MAX, WEBSITE: WEBSITE_MAX, BODY: BODY_MAX},
        "required": {AUTHOR: AUTHOR_REQUIRED, "email": EMAIL_REQUIRED, BODY: BODY_REQUIRED},
        "email": {"pattern": _FIELD_SHAPE_JS, "message": EMAIL_SHAPE},
        "address": {"pattern": _ADDRESS_JS, "message": ADDRESS_IN_TEXT,
                    "fields": [AUTHOR, WEBSITE, BODY]},
        "too_long": TOO_LONG,
    }


# The browser's patterns are looser than the gates, never stricter: a page must not
# refuse what the service accepts. The e-mail field: something, "@", something
# (email-validator reads it for real on the service). An address in the text: ASCII
# atoms, "@", dotted labels ending in a label of letters, not after "@" or a word
# character (so version pins such as lodash@4.17.21, prices such as 5@3.50 and
# fediverse handles pass, as they pass the gates); the service also reads
# entities, escapes, other scripts and look-alikes, which the page does not try.
_FIELD_SHAPE_JS = r"^[^\s@]+@[^\s@]+$"
_ADDRESS_JS = (
    r"(?<![\w.@-])[\w!#$%&'*+^`{|}~-]+(?:\.[\w!#$%&'*+^`{|}~-]+)*"
    r"@(?:[\w-]+\.)+[A-Za-z]{2,}(?![\w-])"
)
