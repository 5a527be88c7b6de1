"""Link preview cards (kb.linkcards, hooks/link_cards.py): og:image for every page, drawn once."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image, ImageFont

from kb.linkcards import HEIGHT, WIDTH, CardCache, CardMaker, card_name, wrap
from sitebuild import BuildFailed, Site, build_site

SITE_URL = "https://kb.example.org/"


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
    """og:image of every HTML page of the site, by page."""
    found = {}
    for path in site.files():
        if path.suffix != ".html":
            continue
        page = site.html(path.relative_to(site.site_dir).as_posix().removesuffix("index.html"))
        images = page.xpath("//head/meta[@property='og:image']/@content")
        assert len(images) == 1, path
        assert page.xpath("//head/meta[@name='twitter:card']/@content") == ["summary_large_image"], path
        found[path.relative_to(site.site_dir).as_posix()] = images[0]
    return found


def test_every_page_has_an_og_image_that_exists(real_site: Site) -> None:
    cards = _cards_of(real_site)
    assert len(cards) > 25 and "404.html" in cards and "feeds/rss/index.html" in cards
    for page, url in cards.items():
        assert url.startswith(SITE_URL), page
        image = real_site.site_dir / urlsplit(url).path.lstrip("/")
        assert image.is_file(), (page, url)
        with Image.open(image) as opened:
            assert opened.size == (WIDTH, HEIGHT)
    assert len(set(cards.values())) > 20  # one per title, not one for all


def test_a_rebuild_draws_only_changed_titles(project_copy: Path, tmp_path: Path) -> None:
    build_site(project_copy, tmp_path / "one")
    cache = project_copy.parent / ".cache" / "link-cards"
    before = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    build_site(project_copy, tmp_path / "two")
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == before
    about = project_copy.parent / "docs" / "about.md"
    about.write_text(about.read_text().replace("title: About this site", "title: About us"))
    build_site(project_copy, tmp_path / "three")
    after = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert set(after) - set(before) == {card_name("Partner or Vendor", "About us")}
    assert all(after[name] == stamp for name, stamp in before.items())


def test_a_cache_folder_that_cannot_be_written_is_one_line(project_copy: Path, tmp_path: Path) -> None:
    blocker = project_copy.parent / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    text = project_copy.read_text(encoding="utf-8")
    settings = "  link_cards:\n    enabled: true\n"
    assert settings in text
    text = text.replace(settings, settings + "    cache_dir: not-a-folder/cards\n")
    project_copy.write_text(text, encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        build_site(project_copy, tmp_path / "site")
    [line] = str(failed.value).splitlines()
    assert "extra.link_cards.cache_dir: cannot keep link preview cards in" in line and "not-a-folder" in line


def test_a_cache_folder_inside_docs_is_refused(project_copy: Path, tmp_path: Path) -> None:
    text = project_copy.read_text(encoding="utf-8")
    settings = "  link_cards:\n    enabled: true\n"
    text = text.replace(settings, settings + "    cache_dir: docs/cards\n")
    project_copy.write_text(text, encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        build_site(project_copy, tmp_path / "site")
    [line] = str(failed.value).splitlines()
    assert line.endswith("extra.link_cards.cache_dir: 'docs/cards' is inside the docs folder; "
                         "keep the cache outside it (e.g. .cache/link-cards)")
