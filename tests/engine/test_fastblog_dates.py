"""kb-blog's dates: each text made once per build, by Material's own ``_format_date``, the same text.

Whole builds against the stock plugin are in test_fastblog.py; here the memo alone,
against Material's method, on dates a post's front matter can give (dates, naive and
aware datetimes, fixed offsets with and without names, zones with summer time).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from material.plugins.blog.plugin import BlogPlugin
from mkdocs.config import load_config

from enginesite import copy_speed_site
from kb_engine.compat.fastblog.plugin import FastBlogPlugin, date_key
from sitebuild import captured_logs, own_plugin_instances

FORMATS = ("long", "medium", "short", "full", "yyyy/MM/dd", "d MMMM yyyy", "yyyy", "HH:mm z", "zzzz xxx", "EEEE")
LANGUAGES = ("en", "de", "fr", "pt-BR", "zh-Hant")
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Any:
    config_file = copy_speed_site(tmp_path_factory.mktemp("dates") / "project")
    with captured_logs(), own_plugin_instances():
        return load_config(str(config_file))


def _plugin() -> FastBlogPlugin:
    plugin = FastBlogPlugin()
    plugin.fast, plugin._dates = True, {}  # as on_config leaves them with speed-ups on
    return plugin


offsets = st.builds(dt.timedelta, minutes=st.integers(-23 * 60 - 59, 23 * 60 + 59))
zones = st.one_of(
    st.none(),
    st.just(dt.UTC),
    st.builds(dt.timezone, offsets),
    st.builds(dt.timezone, offsets, st.sampled_from(("CET", "EST", "Z", "UTC"))),
    st.just(PARIS),
)
moments = st.builds(
    lambda day, time, zone, fold: dt.datetime.combine(day, time, zone).replace(fold=fold),
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
    st.times(),
    zones,
    st.integers(0, 1),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.one_of(moments, st.dates()), st.sampled_from(FORMATS)), min_size=1, max_size=12),
       st.sampled_from(LANGUAGES))
def test_a_remembered_date_is_the_one_material_writes(
    config: Any, calls: list[tuple[Any, str]], language: str
) -> None:
    config.theme["language"] = language
    plugin = _plugin()
    for date, format in calls * 2:  # every call twice: the second one from the memo
        assert plugin._format_date(date, format, config) == BlogPlugin._format_date(plugin, date, format, config)


def test_the_same_instant_in_two_offsets_or_two_zone_names_is_two_texts(config: Any) -> None:
    config.theme["language"] = "en"
    plugin = _plugin()
    utc = dt.datetime(2026, 3, 2, 23, 30, tzinfo=dt.UTC)
    for date in (utc, utc.astimezone(dt.timezone(dt.timedelta(hours=2))),
                 utc.astimezone(dt.timezone(dt.timedelta(hours=2), "EET")), utc.replace(tzinfo=None)):
        for format in ("d MMMM yyyy", "HH:mm zzzz"):
            assert plugin._format_date(date, format, config) == BlogPlugin._format_date(plugin, date, format, config)
    assert plugin._format_date(utc, "d MMMM yyyy", config) == "2 March 2026"
    assert plugin._format_date(utc.astimezone(dt.timezone(dt.timedelta(hours=2))), "d MMMM yyyy", config) \
        == "3 March 2026"
    assert len(plugin._dates) == 8


def test_the_key_holds_what_material_reads_and_leaves_zones_with_rules_out() -> None:
    day = dt.datetime(2026, 3, 2, 12, 0)
    assert date_key(day, "long", "en") != date_key(day, "long", "de") != date_key(day, "short", "de")
    assert date_key(day, "long", "en") != date_key(day.date(), "long", "en")
    assert date_key(day, "long", "en") != date_key(day.replace(fold=1), "long", "en")
    assert date_key(day.replace(tzinfo=PARIS), "long", "en") is None


def test_with_speedups_off_every_date_is_formatted_by_material(config: Any) -> None:
    config.theme["language"] = "en"
    plugin = FastBlogPlugin()
    plugin.fast = False  # kb-speed's enabled: false (on_config); no memo is made
    assert plugin._format_date(dt.date(2026, 3, 2), "long", config) == "March 2, 2026"
    assert not plugin._dates


def test_a_plugin_asked_before_any_build_formats_dates_as_material(config: Any) -> None:
    """The content check asks a fresh plugin for a post's address (kb_engine.compat.blogpaths)."""
    config.theme["language"] = "en"
    plugin = FastBlogPlugin()  # no on_config: no memo
    assert plugin._format_date(dt.date(2026, 3, 2), "long", config) == "March 2, 2026"
    assert plugin._dates is None
