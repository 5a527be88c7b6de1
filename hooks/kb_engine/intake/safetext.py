"""Untrusted text made safe to print on a terminal or in a plain-text message.

Readers choose the names and bodies the moderation command prints. Every
code point a reader cannot see, or that moves or hides other text, is shown
as a ``\\xNN``/``\\uNNNN`` escape, never raw (:func:`kb_engine.comments.readerview.is_hidden`):
control characters (C0 such as ESC, C1 such as U+009B), bidirectional
controls (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F), every
default-ignorable code point (zero-width characters, the combining grapheme
joiner U+034F, variation selectors such as U+FE0F and U+180B, the Hangul
filler U+3164), blank graphic characters (U+2800), line separators,
private-use, surrogate and unassigned code points, and spaces other than
the ASCII space (a no-break space looks like one). So a comment cannot move
the cursor, recolour or clear the terminal, set its title, reorder what the
moderator reads, or hide an address ("ann\\u034f@gmail.com") from them.
"""

from __future__ import annotations

import unicodedata

from kb_engine.comments.readerview import is_hidden


def escape_char(char: str) -> str:
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _unsafe(char: str) -> bool:
    if char.isascii():
        return not char.isprintable()
    return is_hidden(char) or unicodedata.category(char) == "Zs"


def safe_text(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with every unsafe character escaped (newlines and tabs kept if asked)."""
    kept = "\n\t" if keep_newlines else ""
    return "".join(escape_char(c) if c not in kept and _unsafe(c) else c for c in text)
