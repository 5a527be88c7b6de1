"""One Pygments style sheet per build, not one per code block; each lexer looked up once.

``pymdownx.highlight`` makes a new Pygments ``HtmlFormatter`` for every code
block (its options carry the block's line anchors, highlighted lines and
title), and ``HtmlFormatter.__init__`` ends with ``_create_stylesheet``, which
goes through every token type of the style and writes out its CSS: nearly all
of a formatter's cost (about 1.7 ms of 1.74 ms), for 2,800 code blocks in a
1,000-post site. What it makes, the formatter's ``ttype2class`` and
``class2style``, depends on the style, the class prefix and how the formatter
names a token type's class (``_get_css_class``) and on nothing else, and
Pygments only reads the two afterwards. :func:`install` wraps the method so
that the first formatter of a build with a given style, prefix and naming
makes them as Pygments does, and every later one shares them.

The same code block also asks Pygments for its lexer by name
(``pymdownx.highlight`` calls ``get_lexer_by_name(language, **options)``),
and Pygments finds the name by going through the aliases of all its 600
lexers in turn: 0.27 ms for ``python``, for every block. What it returns is
an instance of the lexer class the name belongs to, made with the options
given (or the ``ClassNotFound`` error), and the names do not change while
the process runs; so :func:`install` also puts a wrapper in
``pymdownx.highlight``'s place for that function that remembers, for one
build, the class a name gave and makes the next lexer of that name from it
with its own options. A name Pygments does not know is asked again each
time, and fails as before.

Nothing of Pygments is copied: its own code runs, once per key. It was
written against Pygments 2.21.0, whose ``html.py`` and ``get_lexer_by_name``
were read for the claims above, and pymdown-extensions 13.1.2's
``highlight.py`` (:data:`kb_engine.compat.BORROWED`): under another version
``kb-speed`` does not install it, and says so, and tests/engine/test_compat.py
fails until the claims are checked against the new version.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pymdownx.highlight
from pygments.formatters.html import HtmlFormatter

_ORIGINAL = "kb_original"  # on the wrapper: the method it wraps


def install(sheets: dict[tuple[Any, ...], tuple[Any, Any]], lexers: dict[str, type] | None = None) -> None:
    """Make formatters share their style sheets through ``sheets``, and lexers their lookup through
    ``lexers`` (one of each per build).

    Replaces the wrappers a previous build installed.
    """
    original = _original()
    find = _original_lookup()
    classes: dict[str, type] = {} if lexers is None else lexers

    def get_lexer_by_name(_alias: str, **options: Any) -> Any:
        known = classes.get(_alias)
        if known is not None:
            return known(**options)
        lexer = find(_alias, **options)
        classes[_alias] = type(lexer)
        return lexer

    setattr(get_lexer_by_name, _ORIGINAL, find)
    pymdownx.highlight.get_lexer_by_name = get_lexer_by_name

    def _create_stylesheet(self: HtmlFormatter) -> None:
        key = (self.style, self.classprefix, type(self)._get_css_class)
        known = sheets.get(key)
        if known is None:
            original(self)
            sheets[key] = (self.ttype2class, self.class2style)
        else:
            self.ttype2class, self.class2style = known

    setattr(_create_stylesheet, _ORIGINAL, original)
    HtmlFormatter._create_stylesheet = _create_stylesheet


def uninstall() -> None:
    """Give Pygments its own method back, and pymdownx.highlight Pygments' own lexer lookup."""
    HtmlFormatter._create_stylesheet = _original()
    pymdownx.highlight.get_lexer_by_name = _original_lookup()


def _original_lookup() -> Callable[..., Any]:
    function = pymdownx.highlight.get_lexer_by_name
    return getattr(function, _ORIGINAL, function)  # type: ignore[no-any-return]


def _original() -> Callable[[HtmlFormatter], None]:
    method = HtmlFormatter._create_stylesheet
    return getattr(method, _ORIGINAL, method)  # type: ignore[no-any-return]
