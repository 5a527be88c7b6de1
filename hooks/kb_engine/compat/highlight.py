"""One Pygments style sheet per build, not one per code block.

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

Nothing of Pygments is copied: its own method runs, once per key. It was
written against Pygments 2.21.0, whose ``html.py`` was read for the claims
above (:data:`kb_engine.compat.BORROWED`): under another version ``kb-speed``
does not install it, and says so, and tests/engine/test_compat.py fails
until the claims are checked against the new version.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pygments.formatters.html import HtmlFormatter

_ORIGINAL = "kb_original"  # on the wrapper: the method it wraps


def install(sheets: dict[tuple[Any, ...], tuple[Any, Any]]) -> None:
    """Make formatters share their style sheets through ``sheets`` (one dict per build).

    Replaces the wrapper a previous build installed.
    """
    original = _original()

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
    """Give Pygments its own method back."""
    HtmlFormatter._create_stylesheet = _original()


def _original() -> Callable[[HtmlFormatter], None]:
    method = HtmlFormatter._create_stylesheet
    return getattr(method, _ORIGINAL, method)  # type: ignore[no-any-return]
