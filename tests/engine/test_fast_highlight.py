"""kb_engine.compat.highlight: code highlighted with one style sheet per build, as Pygments writes it."""

from __future__ import annotations

import random
from collections.abc import Iterator

import markdown
import pytest
from pygments import highlight
from pygments.formatters.html import HtmlFormatter
from pygments.lexers import get_lexer_by_name

from enginesite import ENGINE_SITE
from kb_engine.compat.highlight import install, uninstall

SNIPPETS = [
    ("python", 'def f(x: int) -> str:\n    """Doc."""\n    return f"{x!r}" + \'<b>&amp;\'  # note\n'),
    ("yaml", "key: value\nlist:\n  - 1\n  - 'two'\n# comment\n"),
    ("js", "const a = `t${b}`; // c\nfunction f() { return /re/g.test(a) }\n"),
    ("html", '<a href="x?a=1&b=2">link</a><script>let x = 1 < 2;</script>\n'),
    ("text", "plain <text> & more\n"),
]
OPTIONS = [
    {},
    {"cssclass": "highlight", "wrapcode": True},
    {"linenos": "table", "anchorlinenos": True, "lineanchors": "__code_0", "hl_lines": [1, 2]},
    {"linenos": "inline", "linespans": "line", "linenostart": 5},
    {"classprefix": "pg-", "style": "monokai"},
    {"noclasses": True, "style": "friendly"},
    {"nobackground": True, "style": "default", "filename": "a <file>.py"},
]


@pytest.fixture
def shared() -> Iterator[dict[tuple[object, ...], tuple[object, object]]]:
    sheets: dict[tuple[object, ...], tuple[object, object]] = {}
    install(sheets)
    try:
        yield sheets
    finally:
        uninstall()


def _all_highlighted() -> list[str]:
    out = []
    for options in OPTIONS:
        for language, code in SNIPPETS:
            formatter = HtmlFormatter(**options)
            out.append(highlight(code, get_lexer_by_name(language), formatter))
            out.append(formatter.get_style_defs(".highlight"))
    return out


def test_formatters_sharing_style_sheets_write_what_pygments_writes(
    shared: dict[tuple[object, ...], tuple[object, object]],
) -> None:
    uninstall()
    expected = _all_highlighted()
    install(shared)
    assert _all_highlighted() == expected
    assert 0 < len(shared) <= len(OPTIONS)  # one style sheet per style, prefix and naming, not per block


def test_a_sites_markdown_with_code_converts_the_same(
    shared: dict[tuple[object, ...], tuple[object, object]],
) -> None:
    pages = [p.read_text(encoding="utf-8") for p in sorted((ENGINE_SITE / "docs").rglob("*.md"))]
    pages = [p for p in pages if "```" in p or "`#!" in p] + [
        "```python hl_lines=\"2\" linenums=\"3\" title=\"t.py\"\nx = 1\ny = '<&>'\n```\n\n"
        "Inline `#!python a < b`.\n"
    ]
    extensions = ["pymdownx.highlight", "pymdownx.inlinehilite", "pymdownx.superfences"]
    configs = {"pymdownx.highlight": {"anchor_linenums": True}}

    def convert() -> list[str]:
        return [markdown.markdown(p, extensions=extensions, extension_configs=configs) for p in pages]

    uninstall()
    expected = convert()
    install(shared)
    assert convert() == expected


def test_any_code_is_highlighted_the_same() -> None:
    rng = random.Random(7)  # noqa: S311 - test data, not secrets
    alphabet = "abc xyz_019 \t\n'\"#<>&;:()[]{}=+-*/\\\x00\x7f\u00e9\u2028\U0001f600\ud800"
    lexers = [get_lexer_by_name(name) for name in ("python", "html", "yaml", "bash")]
    cases = []
    for _ in range(60):
        code = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120)))
        options = {"hl_lines": rng.sample(range(6), rng.randint(0, 2)), "lineanchors": "a",
                   "linenos": rng.choice([False, "table", "inline"]),
                   "style": rng.choice(["default", "monokai"])}
        cases.append((code, rng.choice(lexers), options))
    uninstall()
    expected = [highlight(code, lexer, HtmlFormatter(**options)) for code, lexer, options in cases]
    sheets: dict[tuple[object, ...], tuple[object, object]] = {}
    install(sheets)
    try:
        shared = [highlight(code, lexer, HtmlFormatter(**options)) for code, lexer, options in cases]
        assert shared == expected
        assert len(sheets) == 2
    finally:
        uninstall()


def test_a_lexer_looked_up_once_per_name_is_pygments_own_lexer() -> None:
    import pymdownx.highlight
    from pygments.util import ClassNotFound

    names = ["python", "Python", "py", "yaml", "text", "bash", "html+jinja", "no-such-language", "", "python"]
    options = [{"stripnl": False}, {"stripnl": True, "tabsize": 4}, {}]

    def lookups() -> list[tuple[str, object]]:
        out: list[tuple[str, object]] = []
        for name in names:
            for option in options:
                try:
                    lexer = pymdownx.highlight.get_lexer_by_name(name, **option)
                except ClassNotFound as error:
                    out.append(("error", str(error)))
                else:
                    out.append((type(lexer).__qualname__, sorted(lexer.options.items())))
                    out.append(("tokens", list(lexer.get_tokens("def f(x):\n\treturn '<b>'  # c\n"))))
        return out

    uninstall()
    expected = lookups()
    classes: dict[str, type] = {}
    install({}, classes)
    try:
        assert lookups() == expected
        assert set(classes) == {"python", "Python", "py", "yaml", "text", "bash", "html+jinja"}  # no failures kept
    finally:
        uninstall()
    assert pymdownx.highlight.get_lexer_by_name is get_lexer_by_name  # Pygments' own function back
