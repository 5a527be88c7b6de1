"""One Hypothesis strategy of hostile comments, shared by every gate's property test.

A hostile comment mixes random Unicode (surrogates and controls included),
markup, entities, YAML-special text, honest technical text that must pass
(version pins, prices, handles), and an e-mail address spelled the ways a
reader would still read as one: look-alike letters, invisible code points,
other at signs and dots, entities and percent-escapes, tags between its
parts, internationalised and punycode domains, quoted local parts, IP
literals.

Each generated address comes with its plain form, so a test can look for
exactly that address in whatever was published, committed or logged, by
its UTS #39 skeleton (:func:`holds_address`), independently of the rule
under test.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote

from hypothesis import strategies as st

from kb_engine.comments.readerview import skeleton

# Plain addresses, and how each may be respelled.
ADDRESSES = (
    "ann.45@gmail.com",
    "info@bücher.de",
    "ivan@пример.рф",
    "josé@example.org",
    "ann@[192.0.2.1]",
)
PUNYCODE = {"bücher.de": "xn--bcher-kva.de", "пример.рф": "xn--e1afmkfd.xn--p1ai"}
LOOK_ALIKES = {"a": "а", "e": "е", "o": "о", "c": "с", "p": "р", "i": "і", "x": "х", "y": "у"}
INVISIBLE = ("\u200b", "\u00ad", "\u034f", "\ufe0f", "\u3164", "\u180b", "\u2800", "\u00a0", "\u2060")
AT_SIGNS = ("@", "＠", "﹫", "&#64;", "&#x40;", "&commat;", "%40", "%2540", "&#0064;")
DOTS = (".", "。", "．", "｡", "ꓸ", "&#46;")
TAGS = ("<b></b>", "<i></i>", "<em></em>", "<!-- -->", "<span></span>")
HONEST = (
    "lodash@4.17.21", "@types/node@18.11.9", "black@24.1.0", "5@3.50", "@alice@mastodon.social", "@name",
    "R&D", "50%", "3 < 4", "a->b", "C:\\path", "x: y", "- item", "# heading", "key: [1, 2]", "'quoted'",
    "\"double\"", "&amp;", "&lt;b&gt;", "https://example.net/a?b=c&d=e", "Zoë", "李小龍", "مرحبا",
    "👩\u200d👩\u200d👧",
)
MARKUP = (
    "<b>", "</b>", "<p>", "</p>", "<a href=\"https://example.net/\">", "</a>", "<script>", "</script>",
    "<![CDATA[", "]]>", "<blockquote>", "</blockquote>", "&#0064;", "&", "&#", ";", "<!--", "-->", "\t",
    "\n", "\r\n", "\n\n", "%", "%25", "\\x40", "\\u0040", "{{", "}}", "{%", "---", "...", "*", "&anchor",
    "!!python/object", "? ", ": ", "|", ">", "~", "null", "yes",
)


@dataclass(frozen=True)
class Spelled:
    """An address as written in a comment, and the plain address a reader reads in it."""

    text: str
    plain: str


@st.composite
def spelled_addresses(draw: st.DrawFn) -> Spelled:
    """One of ADDRESSES, respelled as a reader would still read it."""
    plain = draw(st.sampled_from(ADDRESSES))
    local, _, domain = plain.partition("@")
    if domain in PUNYCODE and draw(st.booleans()):
        domain = PUNYCODE[domain]
    if draw(st.booleans()):
        local = "".join(LOOK_ALIKES.get(c, c) if draw(st.booleans()) else c for c in local)
    if not domain.startswith("[") and draw(st.booleans()):
        domain = "".join(LOOK_ALIKES.get(c, c) if draw(st.booleans()) else c for c in domain)
    if not domain.startswith("["):
        dot = draw(st.sampled_from(DOTS))
        domain = domain.replace(".", dot)
    if draw(st.booleans()) and not local.startswith('"'):
        local = f'"{local}"' if draw(st.integers(0, 4)) == 0 else local
    at = draw(st.sampled_from(AT_SIGNS))
    before = draw(st.sampled_from(("", *INVISIBLE, *TAGS)))
    after = draw(st.sampled_from(("", *INVISIBLE, *TAGS)))
    return Spelled(f"{local}{before}{at}{after}{domain}", plain)


def _pieces() -> st.SearchStrategy[str]:
    """One piece of a hostile text; one in three may hold what a gate must refuse outright."""
    return st.one_of(
        st.text(st.characters(codec=None), max_size=12),  # any code point but surrogates
        st.text(st.characters(categories=["Cs", "Co", "Cn"]), max_size=2),  # surrogates, private, unassigned
        st.text(st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp", "Mn"]), max_size=4),
        st.sampled_from(MARKUP),
        st.sampled_from(HONEST),
        st.sampled_from(HONEST),
        st.text(st.characters(categories=["L", "M", "N", "P", "S", "Zs"]), max_size=12),
        st.text(st.characters(categories=["L", "M", "N", "P", "S", "Zs"]), max_size=12),
        st.sampled_from(MARKUP),
        st.sampled_from(INVISIBLE[-3:]),  # the ones a body may hold: no-break space, word joiner...
    )


@st.composite
def hostile_texts(draw: st.DrawFn, max_pieces: int = 8) -> tuple[str, tuple[str, ...]]:
    """A text of hostile pieces, and the plain addresses spelled in it (maybe none)."""
    parts: list[str] = []
    plains: list[str] = []
    for _ in range(draw(st.integers(0, max_pieces))):
        if draw(st.integers(0, 5)) == 5:
            spelled = draw(spelled_addresses())
            parts.append(f" {spelled.text} ")  # a word of its own: not part of a handle
            plains.append(spelled.plain)
        else:
            parts.append(draw(_pieces()))
    return "".join(parts), tuple(plains)


@dataclass(frozen=True)
class HostileComment:
    fields: dict[str, object]  # as sent to the intake (JSON)
    addresses: tuple[str, ...]  # plain addresses spelled somewhere in the published fields


@st.composite
def hostile_comments(draw: st.DrawFn, post: str) -> HostileComment:
    """A submission for ``post`` whose fields are hostile texts (the e-mail field too)."""
    # Half the names are hostile; the others are plain, so that more comments reach every gate.
    plain_name = st.text(st.characters(categories=["L", "N"]), min_size=1, max_size=20)
    author, in_author = draw(st.one_of(hostile_texts(max_pieces=3), st.tuples(plain_name, st.just(()))))
    website, in_website = draw(st.one_of(
        st.just(("", ())),
        st.builds(lambda t: (f"https://example.net/{t[0]}", t[1]), hostile_texts(max_pieces=2)),
        st.builds(lambda url: (url, ()), hostile_urls()),  # no address of ADDRESSES in them
    ))
    body, in_body = draw(hostile_texts())
    valid = ("reader@example.com", "ann@bücher.de", "ann@xn--bcher-kva.de", "Ann.Reader+kb@Example.ORG")
    email = draw(st.sampled_from(valid)) if draw(st.integers(0, 4)) < 4 else draw(st.text(max_size=30))
    reply_to = draw(st.one_of(st.just(""), st.text(max_size=20), st.sampled_from(ADDRESSES)))
    fields: dict[str, object] = {"post": post, "author": author or "Reader", "email": email,
                                 "website": website, "comment": body or "Hello", "reply_to": reply_to}
    if draw(st.integers(0, 9)) == 8:  # now and then half of a UTF-16 pair, as JSON may escape it
        name = draw(st.sampled_from(sorted(fields)))
        fields[name] = f"{fields[name]}{draw(st.characters(categories=['Cs']))}"
    if draw(st.integers(0, 9)) == 9:  # now and then a field that is not text
        name = draw(st.sampled_from(sorted(fields)))
        fields[name] = draw(st.one_of(st.integers(), st.none(), st.lists(st.integers(), max_size=3)))
    addresses = in_author + in_website + in_body
    if isinstance(email, str) and "@" in email:
        addresses += (email,)  # the private address must never appear either
    return HostileComment(fields, addresses)


# --- the oracle: is this address, in any spelling, in that text? -------------

_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"[^\S \n]")  # white space other than the ASCII space and newlines


def reader_views(text: str) -> set[str]:
    """``text`` as programs and readers may read it: decoded, tags dropped, folded to skeletons."""
    once = html.unescape(unquote(html.unescape(text)))
    views = {text, once, unquote(once), html.unescape(unquote(once))}
    views |= {_TAG.sub("", view) for view in views}
    return {skeleton(_dotted(view)).casefold() for view in views}


def _dotted(text: str) -> str:
    """NFKC, with the ideographic full stop read as a dot (as UTS #46 reads it in a domain),
    without quotes and white space other than ASCII spaces and newlines."""
    return unicodedata.normalize("NFKC", _SPACE.sub("", text).replace('"', "")).replace("\u3002", ".")


def address_skeleton(plain: str) -> str:
    """The skeleton an address has in any of its spellings (punycode read as Unicode)."""
    local, _, domain = plain.partition("@")
    for unicode_domain, puny in PUNYCODE.items():
        domain = domain.replace(puny, unicode_domain)
    return skeleton(_dotted(f"{local}@{domain}")).casefold()


def holds_address(text: str, plains: tuple[str, ...]) -> str | None:
    """The first of ``plains`` that ``text`` holds in a form a reader reads as it, or None."""
    if not plains:
        return None
    views = reader_views(text)
    for view in list(views):
        for puny, unicode_domain in ((p, u) for u, p in PUNYCODE.items()):
            views.add(view.replace(skeleton(puny).casefold(), skeleton(unicode_domain).casefold()))
    for plain in plains:
        target = address_skeleton(plain)
        if any(target in view for view in views):
            return plain
    return None


# --- hostile web addresses, for every gate that takes one (kb_engine.core.urls) ---

SCHEMES = ("http://", "https://", "HTTPS://", "Http://", "ftp://", "javascript:", "http:", "https:/", "//",
           "")
USER_INFOS = ("", "", "", "ann@", "ann.45@", "a:pw@", "@", ":@", "＠", "%40", "ann%40gmail.com@")
HOSTS = (
    "kb.example.org", "example.net", "bücher.de", "xn--bcher-kva.de", "пример.рф", "xn--zz", "127.0.0.1",
    "[::1]", "[::1", "[zz]", "", "a_b.example", "-bad.example", "ex..ample", "a" * 64 + ".example",
    "ex\u200bample.org", "exаmple.org", "ＥＸＡＭＰＬＥ.org", "localhost", "host.", "999.1.1.1",
    "ex ample.org",
)
PORTS = ("", "", "", ":80", ":8000", ":0", ":65535", ":65536", ":x", ":", ":-1", ":８０")
PATHS = ("", "/", "/", "/a/b/", "/ä", "/%41", "/%", "/a b", "/<b>", "/a\"b", "/\u202e", "/\x00",
         "/@x", "/a@b.example", "/~user/", "/{x}", "/a|b", "/\\")
TAILS = ("", "", "", "?", "#", "?q=1", "#top", "?ref=a@b.example", "?a=b&c=d", "#\u200d")
AROUND = ("", "", "", " ", "\t", "\n", "\u00a0", "\u3000")


@st.composite
def hostile_urls(draw: st.DrawFn) -> str:
    """A web address as someone may type or paste one: mostly near a real one, now and then anything."""
    if draw(st.integers(0, 9)) == 0:
        return draw(_pieces())
    parts = [draw(st.sampled_from(options)) for options in (SCHEMES, USER_INFOS, HOSTS, PORTS, PATHS)]
    if draw(st.booleans()):
        parts.append(draw(_pieces()))  # random text in the path
    parts.append(draw(st.sampled_from(TAILS)))
    if draw(st.integers(0, 19)) == 0:
        parts.append("/" + "x" * draw(st.integers(150, 2100)))  # past the limits
    url = "".join(parts)
    return draw(st.sampled_from(AROUND)) + url + draw(st.sampled_from(AROUND))
