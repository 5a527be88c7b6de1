"""Every built page is valid HTML5 (Nu HTML Checker), apart from a short list of theme markup."""

from __future__ import annotations

from pathlib import Path

from htmlcheck import THEME_SUPPRESSIONS, validate
from sitebuild import Site


def test_every_page_of_the_site_is_valid_html(real_site: Site) -> None:
    assert validate(real_site.site_dir) == []


def test_the_checker_reports_errors_and_suppresses_only_theme_markup(tmp_path: Path) -> None:
    head = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head><body>'
    (tmp_path / "bad.html").write_text(
        head + '<p title="a" title="b">x</p>'
        '<input class="md-toggle" type="checkbox" id="t" autocomplete="off">'
        '<input type="checkbox" id="mine" autocomplete="off"></body></html>'
    )
    (tmp_path / "good.html").write_text(head + "<p>fine</p></body></html>")
    errors = validate(tmp_path)
    assert len(errors) == 2, errors
    assert errors[0].startswith("bad.html:1: error: Duplicate attribute “title”")
    assert "autocomplete" in errors[1]  # the same markup outside the theme's toggles is reported
    assert len(validate(tmp_path, suppressions=())) == 3


def test_every_suppression_says_why() -> None:
    assert len(THEME_SUPPRESSIONS) <= 6
    assert all(len(s.why) > 40 and s.extract for s in THEME_SUPPRESSIONS)
