"""Link preview cards: one image per page title, drawn at build time, kept in a cache.

When a link to the site is pasted in a chat or a CRM note, the preview shows
the page's ``og:image``. Each card is 1200x630 (the size OpenGraph and
``twitter:card = summary_large_image`` expect): the site's name (or, on the
home page, its address) in small letters and the page's title in large
ones, in the font Pillow ships (FreeType, ``ImageFont.load_default``), so a
build needs no network and no font file. Cards are drawn in one colour
ramp from the theme's indigo to white and saved as palette PNGs (about
15-25 KB, about a millisecond each).

Drawing is made cheap for a first build, which draws a card for every page:
each glyph is rasterised once per font size per build and pasted where
Pillow's own layout puts it (:class:`Face`: the same pixels as
``ImageDraw.text``), and the PNG's blank rows are compressed once per build
(:class:`PaletteWriter`).

A card's name is a digest of everything drawn on it and of
:data:`DESIGN_VERSION`, so a card is only drawn again when its text or the
design changes. Drawn cards are kept in a cache folder outside ``docs/``
and outside git (``.cache/link-cards/``, safe to delete) and copied into
each build.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

if TYPE_CHECKING:  # Pillow is imported when a card is drawn: a build with every card cached needs none
    from PIL import Image, ImageFont

DESIGN_VERSION = "1"  # change whenever draw_card draws differently: every card is drawn again
WIDTH, HEIGHT = 1200, 630
CARDS_DIR = "assets/cards"  # in the built site
_MARGIN = 80
_BACKGROUND = (40, 53, 147)  # Material's indigo 800
_FOREGROUND = (255, 255, 255)
_HEADER_LEVEL = 205  # the header's shade on the ramp (0 background, 255 foreground)
_RULE_LEVEL = 120
# Largest title size first; the first size at which the title fits in _MAX_LINES lines wins.
_TITLE_SIZES = (72, 64, 56, 48)
_MAX_LINES = 5
_HEADER_SIZE = 34


class LinkCardSettings(Config):  # type: ignore[no-untyped-call]  # mkdocs leaves this untyped
    """``plugins.kb-link-cards``: every key is optional."""

    # Give every page an og:image / twitter:card preview image.
    enabled = c.Type(bool, default=True)
    # Where drawn cards are kept between builds, relative to mkdocs.yml (never under docs/).
    cache_dir = c.Type(str, default=".cache/link-cards")


def card_name(header: str, title: str) -> str:
    """The card's file name: a digest of what it shows and of the design."""
    digest = hashlib.sha256("\0".join((DESIGN_VERSION, header, title)).encode("utf-8")).hexdigest()
    return f"{digest[:24]}.png"


def _ramp() -> list[int]:
    return [
        round(_BACKGROUND[k] + (_FOREGROUND[k] - _BACKGROUND[k]) * level / 255)
        for level in range(256)
        for k in range(3)
    ]


class Measures(Protocol):
    """Anything that measures a line of text in pixels, as ``FreeTypeFont.getlength`` does."""

    def getlength(self, text: str) -> float: ...


def wrap(text: str, fits: Measures, width: int) -> list[str]:
    """Words of ``text`` in lines no wider than ``width`` (a single over-long word is cut)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if fits.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while fits.getlength(word) > width:  # a word wider than the card: cut it
            cut = len(word)
            while cut > 1 and fits.getlength(word[:cut] + "-") > width:
                cut -= 1
            lines.append(word[:cut] + "-")
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines


@dataclass(frozen=True)
class _Glyph:
    """One character's mask and its box from the pen (left, top: where ``ImageDraw.text`` is given)."""

    mask: Image.Image | None  # None for a blank (a space)
    left: int
    top: int
    right: int
    bottom: int


class Face:
    """One font size, each character drawn and measured once per build.

    Pillow's basic layout (the one ``load_default`` uses) places each glyph at
    the pen position rounded to a whole pixel, the pen moving by the glyph's
    advance plus the kerning with the next glyph, and draws each glyph from
    the same bitmap wherever it sits, one over the other (as ink over paper)
    where two overlap. :meth:`line_mask` does the same with masks and
    advances measured once, so a line is pasted from cached glyphs instead of
    being laid out and rasterised by FreeType every time; its pixels equal
    ``ImageDraw.text``'s (tests/engine/test_link_cards.py compares them).
    """

    def __init__(self, font: ImageFont.FreeTypeFont) -> None:
        self.font = font
        self._advances: dict[str, int] = {}  # pair "ab" -> a's advance + kerning before b, in 1/64 px
        self._glyphs: dict[str, _Glyph] = {}

    def _units(self, text: str) -> int:
        return round(self.font.getlength(text) * 64)  # FreeType's 26.6 fixed point: exact

    def _advance(self, pair: str) -> int:
        """``pair``'s first character's advance, kerning with the second included (or a lone one's)."""
        advance = self._advances.get(pair)
        if advance is None:
            if len(pair) == 1:
                advance = self._units(pair)
            else:
                advance = self._units(pair) - self._advance(pair[1])
            self._advances[pair] = advance
        return advance

    def pens(self, text: str) -> tuple[list[int], int]:
        """Each character's pen position and the line's length, in 1/64 px."""
        pens: list[int] = []
        pen = 0
        for index in range(len(text) - 1):
            pens.append(pen)
            pen += self._advance(text[index : index + 2])
        if text:
            pens.append(pen)
            pen += self._advance(text[-1])
        return pens, pen

    def getlength(self, text: str) -> float:
        """As ``FreeTypeFont.getlength``, from the measures cached so far."""
        return self.pens(text)[1] / 64

    def glyph(self, char: str) -> _Glyph:
        """``char``'s mask, drawn by FreeType the first time it is asked for."""
        found = self._glyphs.get(char)
        if found is None:
            from PIL import Image, ImageDraw

            # FreeType's bitmap can reach a row or a column past getbbox's box: draw with room, then crop
            left, top, right, bottom = (int(edge) for edge in self.font.getbbox(char))
            pad = 2 + int(self.font.size) // 8
            mask = Image.new("L", (right - left + 2 * pad, bottom - top + 2 * pad), 0)
            ImageDraw.Draw(mask).text((pad - left, pad - top), char, font=self.font, fill=255)
            ink = mask.getbbox()
            if ink is None:
                found = _Glyph(None, 0, 0, 0, 0)
            else:
                x0, y0 = left - pad, top - pad
                found = _Glyph(mask.crop(ink), x0 + ink[0], y0 + ink[1], x0 + ink[2], y0 + ink[3])
            self._glyphs[char] = found
        return found

    def line_mask(self, text: str) -> tuple[Image.Image, int, int] | None:
        """The line's mask and its offset from the point ``ImageDraw.text`` is given (anchor "la")."""
        from PIL import Image

        pens, _ = self.pens(text)
        placed = []
        for char, pen in zip(text, pens, strict=True):
            glyph = self.glyph(char)
            if glyph.mask is not None:
                placed.append(((pen + 32) >> 6, glyph))
        if not placed:
            return None
        x0 = min(x + glyph.left for x, glyph in placed)
        y0 = min(glyph.top for _, glyph in placed)
        x1 = max(x + glyph.right for x, glyph in placed)
        y1 = max(glyph.bottom for _, glyph in placed)
        line = Image.new("L", (x1 - x0, y1 - y0), 0)
        for x, glyph in placed:
            # where two glyphs overlap, FreeType's layout lays one over the other as ink over paper
            line.paste(255, (x + glyph.left - x0, glyph.top - y0), glyph.mask)
        return line, x0, y0


@dataclass
class _Faces:
    """Fonts are made once per :class:`CardMaker` (loading one takes longer than drawing a card)."""

    sizes: dict[int, Face] = field(default_factory=dict)

    def get(self, size: int) -> Face:
        face = self.sizes.get(size)
        if face is None:
            from PIL import ImageFont

            loaded = ImageFont.load_default(size=size)
            if not isinstance(loaded, ImageFont.FreeTypeFont):  # Pillow built without FreeType
                raise RuntimeError("link cards need Pillow with FreeType (ImageFont.load_default(size=...))")
            face = self.sizes[size] = Face(loaded)
        return face


class CardMaker:
    """Draws cards; one per build (it keeps every glyph it has drawn)."""

    def __init__(self) -> None:
        self._faces = _Faces()
        self._png = PaletteWriter(_ramp())

    def title_lines(self, title: str) -> tuple[int, list[str]]:
        """The title's font size and lines (the last one ends in an ellipsis if the title is cut)."""
        width = WIDTH - 2 * _MARGIN
        for size in _TITLE_SIZES:
            lines = wrap(title, self._faces.get(size), width)
            if len(lines) <= _MAX_LINES:
                return size, lines
        face = self._faces.get(_TITLE_SIZES[-1])
        lines = wrap(title, face, width)[:_MAX_LINES]
        last = lines[-1]
        while last and face.getlength(last + " …") > width:
            last = last[:-1].rstrip()
        lines[-1] = last + " …"
        return _TITLE_SIZES[-1], lines

    def layout(self, header: str, title: str) -> list[tuple[int, int, int, str]]:
        """What a card shows: (font size, x, y, text) of each line, in drawing order."""
        size, lines = self.title_lines(title)
        step = round(size * 1.22)
        top = _MARGIN + 110 + max(0, (HEIGHT - _MARGIN - (_MARGIN + 110) - step * len(lines)) // 2)
        return [(_HEADER_SIZE, _MARGIN, _MARGIN, header)] + [
            (size, _MARGIN, top + number * step, line) for number, line in enumerate(lines)
        ]

    def _render(self, header: str, title: str) -> tuple[Image.Image, list[tuple[int, int]]]:
        """The card as PNG scanlines, and the rows drawn on as (top, bottom) spans.

        The image is one column wider than the card: column 0 is each row's
        PNG filter byte (0, no filter), so its bytes are the rows PNG stores.
        Its pixels are shades of the ramp (0 background, 255 foreground).
        """
        from PIL import Image

        image = Image.new("L", (1 + WIDTH, HEIGHT), 0)
        rule = (1 + _MARGIN, _MARGIN + 62, 1 + _MARGIN + 121, _MARGIN + 69)
        spans = [(rule[1], rule[3])]
        for number, (size, x, y, text) in enumerate(self.layout(header, title)):
            if number == 1:  # the rule is drawn between the header and the title
                image.paste(_RULE_LEVEL, rule)
            drawn = self._faces.get(size).line_mask(text)
            if drawn is not None:
                mask, dx, dy = drawn
                image.paste(_HEADER_LEVEL if number == 0 else 255, (1 + x + dx, y + dy), mask)
                spans.append((y + dy, y + dy + mask.height))
        return image, spans

    def image(self, header: str, title: str) -> Image.Image:
        """The card, in shades of the ramp (mode "L": 0 background, 255 foreground)."""
        return self._render(header, title)[0].crop((1, 0, 1 + WIDTH, HEIGHT))

    def draw(self, header: str, title: str) -> bytes:
        """The PNG of one card."""
        return self._png.encode(*self._render(header, title))


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


class PaletteWriter:
    """PNG files of WIDTH x HEIGHT cards whose pixels are indices into one palette.

    Most of a card's rows are background. Pillow's encoder filters and
    compresses every row of every card; here rows without ink are compressed
    once per build (blocks of 1, 2, 4... blank rows, each a deflate piece that
    refers to nothing before it) and spliced into each card's stream, and only
    the rows drawn on are compressed per card (zlib level 1, no row filter:
    smaller than Pillow's level 3 with filters, for this picture). The pixels
    are those of the image; the bytes are the same on every build.
    """

    def __init__(self, palette: list[int]) -> None:
        header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 3, 0, 0, 0)  # 8-bit palette, not interlaced
        self._head = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"PLTE", bytes(palette))
        self._tail = _chunk(b"IEND", b"")
        self._blank: dict[int, bytes] = {}  # rows -> their deflate piece, for powers of two

    @staticmethod
    def _deflate(data: bytes) -> bytes:
        """A raw deflate piece that ends on a byte and refers to nothing before it."""
        packer = zlib.compressobj(1, zlib.DEFLATED, -15)
        return packer.compress(data) + packer.flush(zlib.Z_FULL_FLUSH)

    def _blank_rows(self, count: int) -> list[bytes]:
        pieces = []
        bit = 1
        while count:
            if count & bit:
                piece = self._blank.get(bit)
                if piece is None:
                    piece = self._blank[bit] = self._deflate(bytes((WIDTH + 1) * bit))
                pieces.append(piece)
                count -= bit
            bit <<= 1
        return pieces

    def encode(self, scanlines: Image.Image, spans: list[tuple[int, int]]) -> bytes:
        """The PNG of a card given as ``scanlines`` (see ``CardMaker._render``), blank outside ``spans``."""
        if scanlines.size != (1 + WIDTH, HEIGHT) or scanlines.mode != "L":
            raise ValueError(f"want {1 + WIDTH}x{HEIGHT} L scanlines: {scanlines.mode} {scanlines.size}")
        pieces: list[bytes] = []
        low, high = 1, 0  # the Adler-32 of the rows so far
        row = 0
        for top, bottom in _merged(spans):
            if top > row:
                pieces += self._blank_rows(top - row)
                high = (high + low * (top - row) * (1 + WIDTH)) % 65521  # zero bytes leave `low` as it is
            rows = scanlines.crop((0, top, 1 + WIDTH, bottom)).tobytes()
            pieces.append(self._deflate(rows))
            adler = zlib.adler32(rows, (high << 16) | low)
            low, high = adler & 0xFFFF, adler >> 16
            row = bottom
        if row < HEIGHT:
            pieces += self._blank_rows(HEIGHT - row)
            high = (high + low * (HEIGHT - row) * (1 + WIDTH)) % 65521
        # zlib header (deflate, 32K window), the pieces, an empty last block, the checksum
        stream = b"\x78\x01" + b"".join(pieces) + b"\x03\x00" + struct.pack(">I", (high << 16) | low)
        return self._head + _chunk(b"IDAT", stream) + self._tail


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Row spans clipped to the card, sorted, overlapping ones joined."""
    merged: list[tuple[int, int]] = []
    for top, bottom in sorted((max(0, t), min(HEIGHT, b)) for t, b in spans):
        if top >= bottom:
            continue
        if merged and top <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], bottom))
        else:
            merged.append((top, bottom))
    return merged


class CardCache:
    """Drawn cards by name in ``folder``; draws only the missing ones.

    The folder is listed once, on first use, instead of asking the disk about
    every card; a card is written whole under a temporary name and then
    renamed, so a stopped build never leaves half a card in the cache.
    """

    def __init__(self, folder: Path, maker: CardMaker | None = None) -> None:
        self.folder = folder
        self.maker = maker or CardMaker()
        self.drawn = 0  # cards drawn by this cache (the others came from the folder)
        self._known: set[str] | None = None

    def _listing(self) -> set[str]:
        if self._known is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            with os.scandir(self.folder) as entries:
                self._known = {entry.name for entry in entries if entry.name.endswith(".png")}
        return self._known

    def path(self, name: str, header: str, title: str) -> Path:
        """The cached card ``name`` (made from ``header`` and ``title``), drawn first if missing."""
        known = self._listing()
        target = self.folder / name
        if name not in known:
            data = self.maker.draw(header, title)
            temporary = self.folder / f".{name}.{os.getpid()}.tmp"
            with os.fdopen(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), "wb") as f:
                os.fchmod(f.fileno(), 0o644)  # whatever the umask: the site serves it
                f.write(data)
            os.replace(temporary, target)
            known.add(name)
            self.drawn += 1
        return target


def publish(cache: CardCache, cards: dict[str, tuple[str, str]], site_dir: Path) -> None:
    """Put every card of ``cards`` (name -> (header, title)) into the built site."""
    out = site_dir / CARDS_DIR
    out.mkdir(parents=True, exist_ok=True)
    for name, (header, title) in sorted(cards.items()):
        source = cache.path(name, header, title)
        target = out / name
        try:
            try:
                os.link(source, target)  # same disk: no copy
            except FileExistsError:  # a dirty build: the site already has a card by that name
                target.unlink()
                os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)
