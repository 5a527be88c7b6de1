"""Untrusted text made safe to print on a terminal or in a plain-text message.

Readers choose the names and bodies the moderation command prints. Control
characters (C0 such as ESC, C1 such as U+009B, the 8-bit CSI), bidirectional
overrides and isolates (U+202A-U+202E, U+2066-U+2069), zero-width and other
invisible format characters, line separators, private-use, surrogate and
unassigned code points are shown as ``\\xNN``/``\\uNNNN`` escapes, never raw:
a comment cannot move the cursor, recolour or clear the terminal, set its
title, or reorder what the moderator reads.
"""

from __future__ import annotations

import unicodedata

_UNSAFE = frozenset(("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"))


def escape_char(char: str) -> str:
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def safe_text(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with every unsafe character escaped (newlines and tabs kept if asked)."""
    kept = "\n\t" if keep_newlines else ""
    return "".join(
        escape_char(c) if c not in kept and unicodedata.category(c) in _UNSAFE else c for c in text
    )
