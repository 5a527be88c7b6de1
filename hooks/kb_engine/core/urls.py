"""The one rule for an http(s) address, for every gate that takes one.

The gates: ``site_url`` (build and ``check``), ``plugins.kb-reply.intake_url``,
the posts manifest's ``site_url`` and post URLs (written by the build, read by
the intake), the intake's ``KB_INTAKE_SITE_URL``, ``KB_INTAKE_ORIGINS`` and
``KB_INTAKE_WEBHOOK_URL``, a comment's ``website`` (intake, comment files,
``check``, build) and the WordPress import's commenters' websites and embed
links. Each calls :func:`http_url_problem`; ``tests/engine/test_core_urls.py``
runs one strategy of hostile URLs through all of them.

An address passes when it is at most ``max_length`` characters; holds no
control, invisible (Unicode format) or white-space character, nor a character
no URL holds unescaped (RFC 3986) or a "%" that starts no escape; has the
scheme http or https (any case), a host, and a port (if any) from 1 to 65535;
holds no user information (``user:password@``: a browser asks for it, a
feed reader shows it, it is how an e-mail address hides in a link); and its
host is an IP address or a domain name (internationalised names are read with
IDNA/UTS 46, as browsers read them; a label may hold "_", which DNS allows).

Where contexts truly differ the caller says so:

- ``max_length``: a comment's website is shown in a form with its limit
  (``kb_engine.comments.rules.WEBSITE_MAX``); other addresses are settings
  or written by the build, and only need a bound.
- ``base=True``: an address other addresses are joined to (``site_url``, the
  intake's site address): a query or fragment there would be carried into every
  page's, feed item's and redirect's address, so neither is allowed.
- :func:`origin_of` reduces a checked address to its origin (the intake's
  allowed origins, compared with a request's ``Origin`` header).

Messages are one line without the value when it may hold an "@" (an address
a reader typed must not come back in a log line or a page).
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import SplitResult, urlsplit

import idna

MAX_LENGTH = 2000  # what browsers, servers and search engines all take
SCHEMES = ("http", "https")
EXAMPLE = "https://example.net/"
USER_INFO = "the address holds a user name or password before its host; remove it"

# Controls (C0, DEL, C1) and every format character (Unicode category Cf), listed
# by range as Unicode 15 has them (tests/engine/test_comments_rules.py compares this with
# unicodedata); the comment rules use the same sets for names and bodies.
CONTROL_CHARACTERS = "\x00-\x1f\x7f-\x9f"
FORMAT_CHARACTERS = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
_UNSAFE = re.compile(f"[{CONTROL_CHARACTERS}{FORMAT_CHARACTERS}\u2028\u2029]")
_SPACE = re.compile(r"\s")
# Characters a URL cannot hold unescaped (RFC 3986), and a "%" that starts no escape.
_NOT_IN_URLS = re.compile(r'["<>\\^`{|}]|%(?![0-9A-Fa-f]{2})')
# An ASCII domain name: labels of letters, digits, "-" and "_", not starting or ending with "-".
_ASCII_LABEL = re.compile(r"\A(?!-)[A-Za-z0-9_-]{1,63}(?<!-)\Z")
# What may read as an "@" in a message (the comment rules read far more; a message only needs caution).
_AT_LIKE = re.compile("[@\uff20\ufe6b]|%40|&#0*64;|&#x0*40;|&commat;", re.IGNORECASE)


def code_point(char: str) -> str:
    return f"U+{ord(char):04X}"


def http_url_problem(url: str, *, max_length: int = MAX_LENGTH, base: bool = False) -> str | None:
    """What is wrong with ``url`` as an http(s) address, or None; see the module's docstring."""
    if len(url) > max_length:
        return f"the address is {len(url)} characters long; the limit is {max_length}"
    unsafe = _UNSAFE.search(url)
    if unsafe:
        found = code_point(unsafe.group())
        return f"the address holds an invisible or control character ({found}); remove it"
    if _SPACE.search(url):
        return "the address holds a space; remove it"
    illegal = _NOT_IN_URLS.search(url)
    if illegal:
        return f"the address holds '{illegal.group()}', which no web address can: remove it"
    shown = "the address" if _AT_LIKE.search(url) else f"'{url}'"
    parts = _split(url)
    if parts is None:
        return f"{shown} is not a web address (e.g. {EXAMPLE})"
    if parts.scheme.lower() not in SCHEMES or not parts.hostname:
        return f"{shown} is not an http:// or https:// URL (e.g. {EXAMPLE})"
    if "@" in parts.netloc:
        return USER_INFO
    if not _is_host(parts.hostname):
        return f"{shown} does not name a host that can exist (e.g. {EXAMPLE})"
    if base and (parts.query or parts.fragment or url.endswith(("?", "#"))):
        return f"{shown} must end with its path: no '?' query or '#' fragment"
    return None


def is_http_url(url: object, *, max_length: int = MAX_LENGTH, base: bool = False) -> bool:
    return isinstance(url, str) and http_url_problem(url, max_length=max_length, base=base) is None


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of an http(s) address that passes the rule, lower case; '' otherwise."""
    if not is_http_url(url):
        return ""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _split(url: str) -> SplitResult | None:
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError when it is not a number from 0 to 65535
    except ValueError:
        return None
    if port == 0:  # not a port a server listens on
        return None
    return parts


def _is_host(host: str) -> bool:
    """An IP address, or a domain name an IDNA (UTS 46) reader takes, as a browser does."""
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    if len(host) > 253:
        return False
    labels = host.removesuffix(".").split(".")
    if host.isascii():
        if not all(_ASCII_LABEL.match(label) for label in labels):
            return False
        punycode = [label for label in labels if label[:4].lower() == "xn--"]
        return not punycode or _idna_takes(".".join(punycode))
    return _idna_takes(host)


def _idna_takes(host: str) -> bool:
    try:
        idna.encode(host, uts46=True)
    except (idna.IDNAError, UnicodeError, ValueError):
        return False
    return True
