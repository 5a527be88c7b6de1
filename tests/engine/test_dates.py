"""One date style, set once in mkdocs.yml (plugins.kb-dates), on every page (kb_engine.core.dates)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from enginesite import THREAD_URL
from kb_engine.core.dates import DateStyle
from sitebuild import BuildFailed, Site, build_site


def test_the_default_style_and_the_comment_time() -> None:
    style = DateStyle()
    assert style.date(dt.date(2009, 4, 6)) == "6 April 2009"
    assert style.date_time(dt.datetime(2026, 11, 26, 14, 3, tzinfo=dt.UTC)) == "26 November 2026 at 14:03 UTC"
    zone = dt.timezone(-dt.timedelta(hours=5, minutes=30))
    assert style.date_time(dt.datetime(2026, 1, 2, 8, 5, tzinfo=zone)) == "2 January 2026 at 08:05 UTC-05:30"


def test_another_pattern_and_language() -> None:
    assert DateStyle("long", "en").date(dt.date(2009, 4, 6)) == "April 6, 2009"
    assert DateStyle("d MMMM yyyy", "de").date(dt.date(2009, 3, 6)) == "6 März 2009"


def test_posts_lists_and_comments_write_dates_alike(engine_site: Site) -> None:
    post = engine_site.text(THREAD_URL)
    index = engine_site.text("blog/")
    assert ">2 March 2026</time>" in post
    assert ">2 March 2026</time>" in index
    assert ">3 March 2026 at 08:00 UTC</time>" in post  # a comment's time
    for text in (post, index):
        assert "March 2, 2026" not in text
    shape = re.compile(r"\d{1,2} [A-Z][a-z]+ \d{4}( at \d\d:\d\d UTC([+-]\d\d:\d\d)?)?")
    for shown in re.findall(r"<time[^>]*>([^<]+)</time>", post):
        assert shape.fullmatch(shown.strip()), shown


def test_a_wrong_pattern_is_one_line_naming_the_field(engine_project: Path, tmp_path: Path) -> None:
    config = engine_project
    text = config.read_text().replace("format: d MMMM yyyy", "format: d MMMM yyyy qqqqqq")
    config.write_text(text)
    with pytest.raises(BuildFailed) as failed:
        build_site(config, tmp_path / "site")
    [line] = str(failed.value).splitlines()
    assert "mkdocs.yml: plugins.kb-dates.format: 'd MMMM yyyy qqqqqq' is not a date pattern" in line
