"""The rules of a comment's content (kb.comments.rules): the parts the corpus cannot show."""

from __future__ import annotations

import random
import re
import sys
import unicodedata

import pytest

from kb.comments import rules
from kb.comments.rules import decoded_views, may_hold_at_sign, published_text_problem


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
    pattern = re.compile(f"[{rules._FORMAT}]")
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
    from kb.comments.sanitize import body_text, sanitize_html

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
    from kb.reply.form import Limits

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
