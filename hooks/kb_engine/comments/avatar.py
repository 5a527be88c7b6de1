"""Avatars drawn locally from a commenter's keyed e-mail hash (identicons).

No request goes to a third party (unlike Gravatar), and the hash itself never
reaches the page: the picture comes from a second, one-way digest of it, so
the same commenter always gets the same picture, and nobody can get the hash
back from the picture. A comment without a hash gets a neutral placeholder.
"""

from __future__ import annotations

import hashlib
from typing import NamedTuple

GRID = 5  # cells per side; the left half is mirrored onto the right
_DOMAIN = b"kb-comment-avatar-v1\x00"  # keeps this digest apart from any other use of the hash


class Avatar(NamedTuple):
    """A GRID x GRID picture: the filled columns of each row, their SVG path and two colours.

    (A named tuple: one is made for every comment of every post page.)
    """

    columns: tuple[tuple[int, ...], ...]  # for each row, top to bottom, its filled columns
    color: str  # "#rrggbb"
    background: str  # "#rrggbb"
    placeholder: bool = False
    path: str = ""  # SVG path data filling the cells (see cells_path)

    @property
    def cells(self) -> tuple[tuple[int, int], ...]:
        """The filled cells as (column, row), row by row."""
        return tuple((col, row) for row, columns in enumerate(self.columns) for col in columns)


def cells_path(cells: tuple[tuple[int, int], ...]) -> str:
    """``M<x> <y>h<run>v1h-<run>z`` for each horizontal run of filled cells."""
    filled = set(cells)
    parts = []
    for row in range(GRID):
        col = 0
        while col < GRID:
            if (col, row) in filled:
                start = col
                while col < GRID and (col, row) in filled:
                    col += 1
                parts.append(f"M{start} {row}h{col - start}v1h-{col - start}z")
            else:
                col += 1
    return "".join(parts)


def _placeholder() -> Avatar:
    # A head and shoulders, in grey: for comments that carry no e-mail hash.
    columns = ((1, 2, 3), (1, 2, 3), (), (0, 1, 2, 3, 4), (0, 1, 2, 3, 4))
    cells = tuple((col, row) for row, cols in enumerate(columns) for col in cols)
    return Avatar(columns, color="#9e9e9e", background="#eeeeee", placeholder=True, path=cells_path(cells))


PLACEHOLDER = _placeholder()

_HALF = (GRID + 1) // 2  # the columns that are drawn; the rest mirror them
# A row is _HALF bits of the digest; these tables give, for each row pattern,
# its filled columns and its SVG path in each row (worked out once, here).
_ROW_COLUMNS: tuple[tuple[int, ...], ...] = tuple(
    tuple(sorted({col for c in range(_HALF) if pattern >> c & 1 for col in (c, GRID - 1 - c)}))
    for pattern in range(1 << _HALF)
)
_ROW_PATHS: tuple[tuple[str, ...], ...] = tuple(
    tuple(cells_path(tuple((c, row) for c in columns)) for columns in _ROW_COLUMNS) for row in range(GRID)
)
_ROW_MASK = (1 << _HALF) - 1
_CENTRE = 1 << (_HALF - 1)  # the pattern of the centre column alone


def avatar_for(email_hash: str | None) -> Avatar:
    """The avatar of a commenter, from their ``email_hash`` (or the placeholder)."""
    if not email_hash:
        return PLACEHOLDER
    return avatar_from_digest(hashlib.sha256(_DOMAIN + email_hash.encode("utf-8")).digest())


def avatar_from_digest(digest: bytes) -> Avatar:
    """The picture of a digest: its first 4 bytes give the cells, the next 2 the hue."""
    bits = int.from_bytes(digest[:4], "big")
    patterns = [bits >> (row * _HALF) & _ROW_MASK for row in range(GRID)]
    if not any(patterns):  # an empty picture says nothing; fill the centre column
        patterns = [_CENTRE] * GRID
    color, background = _COLOURS[int.from_bytes(digest[4:6], "big") % 360]
    return Avatar(
        tuple([_ROW_COLUMNS[pattern] for pattern in patterns]),
        color,
        background,
        False,
        "".join([_ROW_PATHS[row][pattern] for row, pattern in enumerate(patterns)]),
    )


def _hsl_to_hex(hue: int, saturation: float, lightness: float) -> str:
    chroma = (1 - abs(2 * lightness - 1)) * saturation
    x = chroma * (1 - abs((hue / 60) % 2 - 1))
    m = lightness - chroma / 2
    sector = hue // 60
    r, g, b = [
        (chroma, x, 0.0), (x, chroma, 0.0), (0.0, chroma, x),
        (0.0, x, chroma), (x, 0.0, chroma), (chroma, 0.0, x),
    ][sector]  # fmt: skip
    return "#" + "".join(f"{round((v + m) * 255):02x}" for v in (r, g, b))


# (colour, background) of each hue, worked out once.
_COLOURS: tuple[tuple[str, str], ...] = tuple(
    (_hsl_to_hex(hue, 0.55, 0.45), _hsl_to_hex(hue, 0.35, 0.92)) for hue in range(360)
)
