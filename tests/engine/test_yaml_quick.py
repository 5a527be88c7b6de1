"""kb_engine.yamlfile.load_yaml_quick: the same values as load_yaml, or None where load_yaml fails."""

from __future__ import annotations

import datetime as dt

import pytest

from kb_engine.yamlfile import LineDict, YAMLProblem, load_yaml, load_yaml_quick

SAME = [
    "id: a\npost: b\nbody: |\n  one\n\n  two\n",
    "date: 2026-11-26T14:03:00+00:00\nn: 3\nflag: true\nempty:\nq: 'quoted'\n",
    "nested:\n  a: [1, 2, {b: c}]\n  d: !!str 5\nanchor: &x hello\n",
    "merge:\n  <<: {a: 1}\n  b: 2\n1: number key\n",
    "- a list\n- at the top\n",
]


@pytest.mark.parametrize("text", SAME)
def test_same_values_as_load_yaml(text: str) -> None:
    quick = load_yaml_quick(text)
    assert quick == load_yaml(text, "f.yml")
    assert type(quick) is type(load_yaml(text, "f.yml"))


def test_mappings_are_line_dicts_without_lines() -> None:
    quick = load_yaml_quick("a:\n  b: 1\n")
    assert isinstance(quick, LineDict) and isinstance(quick["a"], LineDict)
    assert quick.line == 0 and quick.key_lines == {}
    assert quick["a"] == {"b": 1}
    assert load_yaml_quick("when: 2026-11-26\n") == {"when": dt.date(2026, 11, 26)}


BAD = [
    "a: 1\na: 2\n",  # duplicate key
    "outer:\n  k: 1\n  k: 2\n",  # duplicate key in a nested mapping
    "1: x\n'1': y\n",  # keys equal as text
    "date: 2024-13-01\n",  # impossible date
    "a: [unclosed\n",  # malformed
    "? [a, b]\n: 1\n",  # a key that is not a plain value
    "a: 1\n---\nb: 2\n",  # two documents
    "anchor: &x hello\nalias: *x\n",  # an alias
    "n: " + "9" * 101 + "\n",  # a number of more than 100 digits
    "n: " + "[" * 101 + "]" * 101 + "\n",  # nested more than 100 levels
    "n: a\x07b\n",  # a control character
]


@pytest.mark.parametrize("text", BAD)
def test_none_exactly_where_load_yaml_fails(text: str) -> None:
    assert load_yaml_quick(text) is None
    with pytest.raises(YAMLProblem):
        load_yaml(text, "f.yml")
