"""Link preview cards (kb_engine.linkcards, kb-link-cards): og:image for every page, drawn once."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont

from enginesite import SITE_URL
from kb_engine.linkcards import (
    HEIGHT,
    WIDTH,
    CardCache,
    CardMaker,
    Face,
    PaletteWriter,
    card_name,
    publish,
    wrap,
)
from sitebuild import BuildFailed, Site, build_site, set_plugin_options


def test_names_change_with_what_the_card_shows() -> None:
    assert card_name("Site", "Title") == card_name("Site", "Title")
    assert len({card_name("Site", "Title"), card_name("Site", "Title 2"), card_name("Other", "Title")}) == 3
    assert card_name("Site", "Title").endswith(".png")


def test_titles_wrap_at_words_and_cut_only_words_wider_than_the_card() -> None:
    font = ImageFont.load_default(size=40)
    lines = wrap("Sometimes all we want is good customers and good vendors", font, 400)
    assert all(font.getlength(line) <= 400 for line in lines)
    assert " ".join(lines) == "Sometimes all we want is good customers and good vendors"
    [*parts] = wrap("x" * 200, font, 400)
    assert len(parts) > 1 and all(p.endswith("-") for p in parts[:-1])


def test_a_long_title_is_cut_with_an_ellipsis() -> None:
    size, lines = CardMaker().title_lines("word " * 200)
    assert size == 48 and len(lines) == 5 and lines[-1].endswith("…")


def test_a_card_is_a_png_of_the_open_graph_size() -> None:
    image = Image.open(io.BytesIO(CardMaker().draw("Partner or Vendor", "Fish & Chips")))
    assert image.format == "PNG" and image.size == (WIDTH, HEIGHT)


def test_the_cache_draws_a_card_once(tmp_path: Path) -> None:
    cache = CardCache(tmp_path / "cards")
    first = cache.path(card_name("S", "T"), "S", "T")
    stamp = first.stat().st_mtime_ns
    again = CardCache(tmp_path / "cards").path(card_name("S", "T"), "S", "T")
    assert again == first and again.stat().st_mtime_ns == stamp
    assert cache.drawn == 1 and [p.name for p in (tmp_path / "cards").iterdir()] == [first.name]
    assert oct(first.stat().st_mode & 0o777) == "0o644"


def _cards_of(site: Site) -> dict[str, str]:
    """og:image of every HTML page of the site, by page (but the redirects from old addresses)."""
    found = {}
    for path in site.files():
        if path.suffix != ".html" or 'http-equiv="refresh"' in path.read_text(encoding="utf-8"):
            continue
        page = site.html(path.relative_to(site.site_dir).as_posix().removesuffix("index.html"))
        images = page.xpath("//head/meta[@property='og:image']/@content")
        assert len(images) == 1, path
        assert page.xpath("//head/meta[@name='twitter:card']/@content") == ["summary_large_image"], path
        found[path.relative_to(site.site_dir).as_posix()] = images[0]
    return found


def test_every_page_has_an_og_image_that_exists(engine_site: Site) -> None:
    cards = _cards_of(engine_site)
    assert len(cards) >= 25 and "404.html" in cards and "feeds/rss/index.html" in cards
    for page, url in cards.items():
        assert url.startswith(SITE_URL), page
        image = engine_site.site_dir / urlsplit(url).path.lstrip("/")
        assert image.is_file(), (page, url)
        with Image.open(image) as opened:
            assert opened.size == (WIDTH, HEIGHT)
    assert len(set(cards.values())) > 20  # one per title, not one for all


def test_a_rebuild_draws_only_changed_titles(engine_project: Path, tmp_path: Path) -> None:
    build_site(engine_project, tmp_path / "one")
    cache = engine_project.parent / ".cache" / "link-cards"
    before = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    build_site(engine_project, tmp_path / "two")
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == before
    about = engine_project.parent / "docs" / "about.md"
    about.write_text(about.read_text().replace("title: About Crumb & Crust", "title: About us"))
    build_site(engine_project, tmp_path / "three")
    after = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert set(after) - set(before) == {card_name("Crumb & Crust", "About us")}
    assert all(after[name] == stamp for name, stamp in before.items())


def test_a_cache_folder_that_cannot_be_written_is_one_line(engine_project: Path, tmp_path: Path) -> None:
    blocker = engine_project.parent / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    set_plugin_options(engine_project, "kb-link-cards", cache_dir="not-a-folder/cards")
    with pytest.raises(BuildFailed) as failed:
        build_site(engine_project, tmp_path / "site")
    [line] = str(failed.value).splitlines()
    assert "plugins.kb-link-cards.cache_dir: cannot keep link preview cards in" in line and "not-a-folder" in line


def test_a_cache_folder_inside_docs_is_refused(engine_project: Path, tmp_path: Path) -> None:
    set_plugin_options(engine_project, "kb-link-cards", cache_dir="docs/cards")
    with pytest.raises(BuildFailed) as failed:
        build_site(engine_project, tmp_path / "site")
    [line] = str(failed.value).splitlines()
    assert line.endswith("plugins.kb-link-cards.cache_dir: 'docs/cards' is inside the docs folder; "
                         "keep the cache outside it (e.g. .cache/link-cards)")


# Titles that exercise the layout: kerning pairs, glyphs that overlap their neighbours, accents,
# quotes and dashes, combining marks, characters the font lacks (drawn as its empty box), a word wider
# than the card, a title cut with an ellipsis, and no title at all.
_TITLES = (
    "Sometimes all we want is good customers and good vendors",
    "AV Wo Ty Te fi ffl jj “quoted” — dashes – and… ‘more’",
    "Ærø façade: ñandú, Straße, Œuvre, Ångström & 1,234.56 €",
    "Cafe\u0301 re\u0301sume\u0301 日本語 😀 ½ ™",
    "x" * 90,
    "word " * 200,
    "",
)


def _drawn_by_pillow(maker: CardMaker, header: str, title: str) -> Image.Image:
    """The card as ImageDraw.text draws it, line by line: what the glyph cache must equal."""
    image = Image.new("L", (WIDTH, HEIGHT), 0)
    draw = ImageDraw.Draw(image)
    for number, (size, x, y, text) in enumerate(maker.layout(header, title)):
        if number == 1:
            draw.rectangle((80, 142, 200, 148), fill=120)
        draw.text((x, y), text, font=ImageFont.load_default(size=size), fill=205 if number == 0 else 255)
    return image


@pytest.mark.parametrize("title", _TITLES)
def test_cards_from_cached_glyphs_have_the_pixels_of_pillows_text(title: str) -> None:
    maker = CardMaker()
    maker.image("Partner or Vendor", "Warm the glyph cache AVWATy fi")  # glyphs reused from an earlier card
    ours = maker.image("Partner or Vendor", title)
    theirs = _drawn_by_pillow(maker, "Partner or Vendor", title)
    histogram = ImageChops.difference(ours, theirs).histogram()
    mean = sum(level * count for level, count in enumerate(histogram)) / (WIDTH * HEIGHT)
    assert histogram[0] == WIDTH * HEIGHT, f"{WIDTH * HEIGHT - histogram[0]} pixels differ, mean {mean:.4f}"


@pytest.mark.parametrize("size", [34, 48, 72])
def test_lengths_from_cached_advances_are_pillows_so_titles_wrap_the_same(size: int) -> None:
    font = ImageFont.load_default(size=size)
    assert isinstance(font, ImageFont.FreeTypeFont)
    face = Face(font)
    for title in _TITLES:
        for end in range(0, min(len(title), 120), 7):
            assert face.getlength(title[:end]) == font.getlength(title[:end]), title[:end]
        assert wrap(title, face, 1040) == wrap(title, font, 1040)


def test_the_layout_keeps_the_header_and_centres_the_title() -> None:
    [header, *title] = CardMaker().layout("Partner or Vendor", "Fish & Chips")
    assert header == (34, 80, 80, "Partner or Vendor")
    assert title == [(72, 80, 326, "Fish & Chips")]  # 190 + (360 - 88) // 2


@pytest.mark.parametrize("title", _TITLES)
def test_a_png_holds_the_cards_pixels_and_palette(title: str) -> None:
    maker = CardMaker()
    data = maker.draw("kb.example.org", title)
    with Image.open(io.BytesIO(data)) as checked:
        checked.verify()  # chunk checksums
    with Image.open(io.BytesIO(data)) as card:
        assert card.format == "PNG" and card.mode == "P" and card.size == (WIDTH, HEIGHT)
        palette = card.getpalette()
        assert palette is not None and palette[:3] == [40, 53, 147] and palette[-3:] == [255, 255, 255]
        assert card.tobytes() == maker.image("kb.example.org", title).tobytes()  # palette indices
    assert len(data) < 60_000


def test_a_card_is_the_same_bytes_on_every_build() -> None:
    first = CardMaker().draw("Partner or Vendor", "Fish & Chips")
    maker = CardMaker()
    maker.draw("Partner or Vendor", "Another title first, to fill the caches in another order")
    assert maker.draw("Partner or Vendor", "Fish & Chips") == first


def test_the_writer_refuses_an_image_that_is_not_a_cards_scanlines() -> None:
    with pytest.raises(ValueError, match="1201x630 L scanlines: RGB"):
        PaletteWriter([0] * 768).encode(Image.new("RGB", (1201, 630)), [])


def test_the_cache_ignores_temporary_files_and_publish_replaces_a_card(tmp_path: Path) -> None:
    folder = tmp_path / "cards"
    folder.mkdir()
    name = card_name("S", "T")
    (folder / f".{name}.123.tmp").write_bytes(b"half a card")
    (folder / name.replace(".png", ".tmp")).write_bytes(b"")
    cache = CardCache(folder)
    site = tmp_path / "site"
    (site / "assets" / "cards").mkdir(parents=True)
    (site / "assets" / "cards" / name).write_bytes(b"a card from an earlier build")  # a dirty build
    publish(cache, {name: ("S", "T")}, site)
    assert cache.drawn == 1
    assert (site / "assets" / "cards" / name).read_bytes() == (folder / name).read_bytes()
    assert (folder / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    publish(CardCache(folder), {name: ("S", "T")}, site)  # a second build draws nothing
    assert sorted(p.name for p in folder.iterdir() if not p.name.endswith(".tmp")) == [name]
