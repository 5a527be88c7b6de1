"""Avatars drawn locally from a commenter's keyed e-mail hash (identicons).

No request goes to a third party (unlike Gravatar), and the hash itself never
reaches the page: the picture comes from a second, one-way digest of it, so
the same commenter always gets the same picture, and nobody can get the hash
back from the picture. A comment without a hash gets a neutral placeholder.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

GRID = 5  # cells per side; the left half is mirrored onto the right
_DOMAIN = b"kb-comment-avatar-v1\x00"  # keeps this digest apart from any other use of the hash


@dataclass(frozen=True)
class Avatar:
    """A GRID x GRID picture: the filled cells (column, row) and two colours."""

    cells: tuple[tuple[int, int], ...]
    color: str  # "#rrggbb"
    background: str  # "#rrggbb"
    placeholder: bool = False

    @property
    def path(self) -> str:
        """SVG path data filling the cells, one rectangle per run of cells in a row."""
        return cells_path(self.cells)


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


# A head and shoulders, in grey: for comments that carry no e-mail hash.
PLACEHOLDER = Avatar(
    cells=((1, 0), (2, 0), (3, 0), (1, 1), (2, 1), (3, 1), (0, 3), (1, 3), (2, 3), (3, 3), (4, 3),
           (0, 4), (1, 4), (2, 4), (3, 4), (4, 4)),
    color="#9e9e9e",
    background="#eeeeee",
    placeholder=True,
)  # fmt: skip


def avatar_for(email_hash: str | None) -> Avatar:
    """The avatar of a commenter, from their ``email_hash`` (or the placeholder)."""
    if not email_hash:
        return PLACEHOLDER
    digest = hashlib.sha256(_DOMAIN + email_hash.encode("utf-8")).digest()
    bits = int.from_bytes(digest[:4], "big")
    half = (GRID + 1) // 2
    cells = []
    for row in range(GRID):
        for col in range(half):
            if bits >> (row * half + col) & 1:
                cells.append((col, row))
                if col != GRID - 1 - col:
                    cells.append((GRID - 1 - col, row))
    if not cells:  # an empty picture says nothing; fill the centre column
        cells = [(half - 1, row) for row in range(GRID)]
    hue = int.from_bytes(digest[4:6], "big") % 360
    return Avatar(
        cells=tuple(sorted(cells, key=lambda c: (c[1], c[0]))),
        color=_hsl_to_hex(hue, 0.55, 0.45),
        background=_hsl_to_hex(hue, 0.35, 0.92),
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
