"""kb-blog's front matter (hooks/kb_engine/compat/fastblog/frontmatter.py): PyYAML's answer, sooner, kept.

``parse_front_matter`` must give exactly what Material's ``yaml.load(text,
SafeLoader)`` gives (the same value, of the same types, in the same order, or
the same exception and message), on generated front matter and hostile text;
``KeptFrontMatter`` hands out copies that share nothing mutable, parses a
text once, and parses it again when it changes. A longer run of the property:
``KB_FRONT_MATTER_EXAMPLES=20000 pytest tests/engine/test_fastblog_frontmatter.py``.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kb_engine.compat.fastblog.frontmatter import (
    _UNSURE,
    MAX_FAST_DEPTH,
    KeptFrontMatter,
    _plain_lines,
    fresh,
    parse_front_matter,
)

EXAMPLES = int(os.environ.get("KB_FRONT_MATTER_EXAMPLES", "150"))


def _canon(value: Any) -> Any:
    """A value as something ``==`` compares strictly: types, key order and NaN included."""
    if isinstance(value, dict):
        return ("dict", [(_canon(k), _canon(v)) for k, v in value.items()])
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [_canon(item) for item in value])
    if isinstance(value, set):
        return ("set", sorted(repr(_canon(item)) for item in value))
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    if isinstance(value, dt.datetime):
        return ("datetime", repr(value), repr(value.tzinfo))
    return (type(value).__name__, repr(value))


def _outcome(load: Any) -> Any:
    try:
        return ("value", _canon(load()))
    except Exception as error:
        return ("error", type(error).__name__, str(error))


def assert_same_as_safeloader(text: str) -> None:
    reference = _outcome(lambda: yaml.load(text, yaml.SafeLoader))
    assert _outcome(lambda: parse_front_matter(text)) == reference, repr(text)


SCALARS = (
    "plain text", "Ünïcödé – “quoted” text", "'single ''quoted'''", '"double \\"escaped\\" \\u00e9 \\x41"',
    "2024-05-01", "2024-13-01", "2024-02-30", "2024-05-01 10:20:30", "2024-05-01T10:20:30+02:00",
    "2024-05-01t10:20:30.5Z", "2001-12-14 21:59:43.10 -5", "12:30:00", "190:20:30", "0x1F", "0o17", "017",
    "0b101", "1_000", "+12", "-0", "1e3", "1.5e-3", ".inf", "-.Inf", ".nan", "~", "null", "Null", "true",
    "yes", "No", "on", "OFF", "y", "n", "=", "<<", "@at", "`tick", "%percent", "!!str 12", "!!int '7'",
    "!!float 1", "!!binary aGVsbG8=", "!!timestamp 2024-01-01", "!unknown x", "!!python/name:os.system",
    "&anchor value", "*alias", "a: b", "a #not comment", "a # comment", "- not a list", "[flow, list]",
    "{flow: map, other: [1, 2]}", "{a, b}", "[a, [b, [c]]]", "|\n  literal\n   more\n", ">-\n  folded\n\n  text\n",
    "|+\n  keep\n\n", "\"multi\n  line\"", "'multi\n\n  line'", "x" * 300, "", "  ", "? complex", ": bare",
    "a\\tb", "\"\\ttab\\n\"", "\"\\L\\P\\N\\_\"", "!!set {a, b}", "!!omap [a: 1, b: 2]", "!!pairs [a: 1, a: 2]",
)
KEYS = ("title", "date", "slug", "categories", "tags", "authors", "description", "draft", "hide", "1", "2024-01-01",
        "'quoted key'", "\"k\"", "null", "true", "? x", "<<", "a b", "é", "[a]", "{b: c}")


@st.composite
def values(draw: st.DrawFn, depth: int = 0) -> str:
    """A YAML value written as block text indented by ``depth * 2`` spaces (without the leading key)."""
    indent = "  " * (depth + 1)
    kind = draw(st.sampled_from(("scalar", "scalar", "scalar", "list", "map", "flow") if depth < 4 else ("scalar",)))
    if kind == "scalar":
        return " " + draw(st.sampled_from(SCALARS)).replace("\n", "\n" + indent)
    if kind == "flow":
        items = draw(st.lists(st.sampled_from(SCALARS[:40]), max_size=4))
        return " [" + ", ".join(items) + "]"
    if kind == "list":
        items = draw(st.lists(values(depth + 1), min_size=1, max_size=3))
        return "".join(f"\n{indent}-{item}" for item in items)
    keys = draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=3))
    return "".join(f"\n{indent}{key}:{draw(values(depth + 1))}" for key in keys)


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    lines = []
    for key in draw(st.lists(st.sampled_from(KEYS), min_size=0, max_size=6)):
        lines.append(f"{key}:{draw(values())}")
        if draw(st.booleans()) and draw(st.booleans()):
            lines.append(draw(st.sampled_from(("# a comment", "", "   ", "---", "...", "%YAML 1.1", "- stray"))))
    return "\n".join(lines) + "\n"


# Scalars near the edge of the fast path's plain forms: letters, digits and the
# characters that end, start or change a plain scalar.
WORDS = st.one_of(
    st.text(alphabet="abcXYZ019 .-_/()é日", min_size=1, max_size=14),
    st.text(alphabet="abcXYZ019 .-_/()é日", min_size=1, max_size=14),
    st.text(alphabet="abcXYZ019 .-_:#/,!?'\"()[]{}*&|>%@`~é日", min_size=1, max_size=14),
)


@st.composite
def plain_values(draw: st.DrawFn, depth: int = 0) -> str:
    """A value as :func:`values` writes it, from :data:`WORDS`, quoted or not."""
    indent = "  " * (depth + 1)
    word = draw(WORDS)
    scalar = draw(st.sampled_from((word, word, f"'{word}'", f'"{word}"', word.strip())))
    kind = draw(st.sampled_from(("scalar", "scalar", "list", "map", "flow", "block") if depth < 3 else ("scalar",)))
    if kind == "scalar":
        return " " + scalar
    if kind == "flow":
        return " [" + ", ".join(draw(st.lists(WORDS, max_size=3))) + "]"
    if kind == "block":
        lines = draw(st.lists(WORDS, min_size=1, max_size=3))
        return " " + draw(st.sampled_from(("|", ">", "|-", ">+"))) + "".join(f"\n{indent}{line}" for line in lines)
    if kind == "list":
        return "".join(f"\n{indent}-{draw(plain_values(depth + 1))}" for _ in range(draw(st.integers(1, 3))))
    keys = draw(st.lists(st.sampled_from(KEYS[:10]), min_size=1, max_size=3))
    return "".join(f"\n{indent}{key}:{draw(plain_values(depth + 1))}" for key in keys)


@st.composite
def plain_front_matter(draw: st.DrawFn) -> str:
    """Front matter of the forms the fast path takes, and ones just outside them."""
    keys = draw(st.lists(st.sampled_from(KEYS[:10]), min_size=1, max_size=6))
    return "".join(f"{key}:{draw(plain_values())}\n" for key in keys)


HOSTILE = ("\t", "\r", "\r\n", "\x00", "\x07", "\x1b", "\x7f", "\x85", "\xa0", "\u2028", "\u2029", "\ufeff",
           "\ufffe", "\ud800", "\U0001f600", "\u200b", ":", "- ", "#", "&", "*", "!", "|", ">", "'", '"', "[", "{",
           "}", "]", ",", "? ", "\n  ", "\n", "%", "@", "`", "\\")


@st.composite
def hostile_front_matter(draw: st.DrawFn) -> str:
    """Generated front matter with odd characters put in at random places."""
    text = draw(front_matter())
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(HOSTILE)) + text[at:]
    return text


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(front_matter(), plain_front_matter()))
def test_generated_front_matter_reads_as_safeloader_reads_it(text: str) -> None:
    assert_same_as_safeloader(text)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(hostile_front_matter(), plain_front_matter(), st.text(max_size=80),
                 st.text(alphabet="[]{}:-,? \n\t'\"ab1#&*!|>", max_size=60)))
@example("!")  # libyaml: '', PyYAML: None
@example("a: !\n")
@example("title: Sell more!\n")
@example("|#")  # libyaml: '', PyYAML: an error
@example("a: >- # folded\n  text\n")
@example("title: plain text\ntitle: [p? lain text]\n")  # libyaml: a value, PyYAML: an error
@example("title: a\tb\n")
@example("a: b\r\nc: d\n")
@example("a:\x85- b\n")
@example("a: \ufeffb\n")
@example("a: b\u2028c\n")
@example("a: [" * 200 + "]" * 200 + "\n")
@example("- " * 200 + "x\n")
@example("a: &x [1]\nb: *x\n")
@example("a: &x [*x]\n")
def test_hostile_front_matter_reads_as_safeloader_reads_it(text: str) -> None:
    assert_same_as_safeloader(text)


REAL = [  # the forms the fast parser is meant for: the test above compares them
    "title: A post\ndate: 2024-05-01\nauthors: [ada-baker, ben-miller]\ncategories:\n  - Starters\n",
    "date:\n  created: 2024-03-01T09:30:00+02:00\n  updated: 2024-03-05\nslug: a-slug\ndraft: true\n",
    "description: >-\n  A folded description: with a colon,\n  and C# in it.\n\ntags: ['Q&A', \"quoted\"]\n",
    "# a comment\ntitle: 'It''s here'\nhide:\n  - toc\nreadtime: 5\nlink: https://example.org/a?b=1#c\n",
]


@pytest.mark.parametrize("text", REAL)
def test_plain_front_matter_takes_the_fast_path(text: str) -> None:
    assert _UNSURE.search(text) is None and _plain_lines(text), text
    assert_same_as_safeloader(text)


def test_a_share_of_the_generated_front_matter_takes_the_fast_path() -> None:
    """So that the comparison above exercises libyaml, not only the fallback (derandomized: the same draws each run)."""
    taken: list[bool] = []

    @settings(max_examples=200, derandomize=True, database=None, deadline=None)
    @given(plain_front_matter())
    def draw(text: str) -> None:
        taken.append(_UNSURE.search(text) is None and _plain_lines(text))

    draw()
    assert 0.25 < sum(taken) / len(taken) < 0.95, sum(taken)


@pytest.mark.parametrize("depth", [MAX_FAST_DEPTH - 1, MAX_FAST_DEPTH, MAX_FAST_DEPTH + 1, 400])
def test_deep_nesting_is_left_to_safeloader(depth: int) -> None:
    assert_same_as_safeloader("a: " + "[" * depth + "]" * depth + "\n")


def _mutables(value: Any) -> list[int]:
    if isinstance(value, dict):
        return [id(value)] + [i for item in value.values() for i in _mutables(item)]
    if isinstance(value, (list, set)):
        return [id(value)] + [i for item in value for i in _mutables(item)]
    if isinstance(value, tuple):
        return [i for item in value for i in _mutables(item)]
    return []


@settings(max_examples=EXAMPLES, deadline=None)
@given(front_matter())
def test_a_fresh_copy_is_equal_and_shares_nothing_mutable(text: str) -> None:
    try:
        value = yaml.load(text, yaml.SafeLoader)
    except (yaml.YAMLError, ValueError):  # an impossible date
        return
    copied = fresh(value)
    assert _canon(copied) == _canon(value)
    assert not set(_mutables(copied)) & set(_mutables(value))


POST = "title: A post\ndate: 2024-05-01\ncategories:\n  - Starters\nhide: [toc]\n"


def test_kept_front_matter_is_parsed_once_and_handed_out_as_copies() -> None:
    kept = KeptFrontMatter()
    first = kept.load(POST)
    first["hide"].append("navigation")  # what Material does to a post's meta
    first["categories"].clear()
    again = kept.load(POST)
    assert again == yaml.load(POST, yaml.SafeLoader)
    assert (kept.parsed, kept.reused) == (1, 1)
    kept.start()  # the next build: the last one's parses are kept
    assert kept.load(POST) == again and (kept.parsed, kept.reused) == (0, 1)
    edited = POST.replace("A post", "An edited post")
    assert kept.load(edited)["title"] == "An edited post" and kept.parsed == 1
    kept.start()
    kept.start()  # a build that parsed nothing keeps what the one before kept
    kept.load(edited)
    assert (kept.parsed, kept.reused) == (0, 1)
    kept.start()
    kept.load(POST)  # dropped: not in the last build
    assert kept.parsed == 1


def test_aliases_share_as_in_a_fresh_parse() -> None:
    kept = KeptFrontMatter()
    text = "a: &x [1]\nb: *x\n"
    kept.load(text)
    value = kept.load(text)
    assert value["a"] is value["b"] and value == {"a": [1], "b": [1]}


def test_errors_are_safeloaders_and_not_kept() -> None:
    kept = KeptFrontMatter()
    for text in ("a: [unclosed\n", "a: b\n\tc: d\n", "a: *nowhere\n"):
        with pytest.raises(yaml.YAMLError) as fast:
            kept.load(text)
        with pytest.raises(yaml.YAMLError) as reference:
            yaml.load(text, yaml.SafeLoader)
        assert str(fast.value) == str(reference.value)
    assert not kept._now and not kept._last
