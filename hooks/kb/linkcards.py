"""Link preview cards: one image per page title, drawn at build time, kept in a cache.

When a link to the site is pasted in a chat or a CRM note, the preview shows
the page's ``og:image``. Each card is 1200x630 (the size OpenGraph and
``twitter:card = summary_large_image`` expect): the site's name (or, on the
home page, its address) in small letters and the page's title in large
ones, in the font Pillow ships (FreeType, ``ImageFont.load_default``), so a
build needs no network and no font file. Cards are drawn in one colour
ramp from the theme's indigo to white and saved as palette PNGs (about
25 KB, a few milliseconds each).

A card's name is a digest of everything drawn on it and of
:data:`DESIGN_VERSION`, so a card is only drawn again when its text or the
design changes. Drawn cards are kept in a cache folder outside ``docs/``
and outside git (``.cache/link-cards/``, safe to delete) and copied into
each build.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

if TYPE_CHECKING:  # Pillow is imported when a card is drawn: a build with every card cached needs none
    from PIL import ImageFont

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


class LinkCardSettings(Config):  # type: ignore[no-untyped-call]  # mkdocs leaves this untyped
    """``extra.link_cards``: every key is optional."""

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


def wrap(text: str, fits: ImageFont.FreeTypeFont, width: int) -> list[str]:
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


@dataclass
class _Fonts:
    """Fonts are made once per :class:`CardMaker` (loading one takes longer than drawing a card)."""

    sizes: dict[int, ImageFont.FreeTypeFont] = field(default_factory=dict)

    def get(self, size: int) -> ImageFont.FreeTypeFont:
        font = self.sizes.get(size)
        if font is None:
            from PIL import ImageFont

            loaded = ImageFont.load_default(size=size)
            if not isinstance(loaded, ImageFont.FreeTypeFont):  # Pillow built without FreeType
                raise RuntimeError("link cards need Pillow with FreeType (ImageFont.load_default(size=...))")
            font = self.sizes[size] = loaded
        return font


class CardMaker:
    """Draws cards; one per build."""

    def __init__(self) -> None:
        self._fonts = _Fonts()
        self._palette = _ramp()

    def title_lines(self, title: str) -> tuple[int, list[str]]:
        """The title's font size and lines (the last one ends in an ellipsis if the title is cut)."""
        width = WIDTH - 2 * _MARGIN
        for size in _TITLE_SIZES:
            lines = wrap(title, self._fonts.get(size), width)
            if len(lines) <= _MAX_LINES:
                return size, lines
        font = self._fonts.get(_TITLE_SIZES[-1])
        lines = wrap(title, font, width)[:_MAX_LINES]
        last = lines[-1]
        while last and font.getlength(last + " …") > width:
            last = last[:-1].rstrip()
        lines[-1] = last + " …"
        return _TITLE_SIZES[-1], lines

    def draw(self, header: str, title: str) -> bytes:
        """The PNG of one card."""
        from PIL import Image, ImageDraw

        image = Image.new("L", (WIDTH, HEIGHT), 0)
        draw = ImageDraw.Draw(image)
        header_font = self._fonts.get(34)
        draw.text((_MARGIN, _MARGIN), header, font=header_font, fill=_HEADER_LEVEL)
        draw.rectangle((_MARGIN, _MARGIN + 62, _MARGIN + 120, _MARGIN + 68), fill=_RULE_LEVEL)
        size, lines = self.title_lines(title)
        font = self._fonts.get(size)
        step = round(size * 1.22)
        top = _MARGIN + 110 + max(0, (HEIGHT - _MARGIN - (_MARGIN + 110) - step * len(lines)) // 2)
        for number, line in enumerate(lines):
            draw.text((_MARGIN, top + number * step), line, font=font, fill=255)
        image.putpalette(self._palette)
        out = io.BytesIO()
        image.save(out, "PNG", compress_level=3)
        return out.getvalue()


class CardCache:
    """Drawn cards by name in ``folder``; draws only the missing ones."""

    def __init__(self, folder: Path, maker: CardMaker | None = None) -> None:
        self.folder = folder
        self.maker = maker or CardMaker()
        self.drawn = 0  # cards drawn by this cache (the others came from the folder)

    def path(self, name: str, header: str, title: str) -> Path:
        """The cached card ``name`` (made from ``header`` and ``title``), drawn first if missing."""
        target = self.folder / name
        if not target.exists():
            self.folder.mkdir(parents=True, exist_ok=True)
            data = self.maker.draw(header, title)
            # Written whole under a temporary name, then renamed: a stopped
            # build never leaves half a card in the cache.
            handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(handle, "wb") as f:
                f.write(data)
            os.chmod(temporary, 0o644)  # mkstemp makes it private; the site serves it
            os.replace(temporary, target)
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
            if target.exists():
                target.unlink()
            os.link(source, target)  # same disk: no copy
        except OSError:
            shutil.copyfile(source, target)
