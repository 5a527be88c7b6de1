"""Every page the engine builds for its fixture site (posts with comments and the reply form, the tree,
feed pages, redirects) is valid HTML5 (Nu HTML Checker), apart from the theme markup listed in
tests/htmlcheck.py."""

from __future__ import annotations

from htmlcheck import validate
from sitebuild import Site


def test_every_page_of_the_fixture_site_is_valid_html(engine_site: Site) -> None:
    pages = [p for p in engine_site.files() if p.suffix == ".html"]
    assert len(pages) > 25
    assert validate(engine_site.site_dir) == []
