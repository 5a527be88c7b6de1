"""One date style for the whole site: ``plugins.kb-dates`` in mkdocs.yml.

Posts, the blog's lists, comments, the home page and the feed pages all
write dates with :class:`DateStyle`; the blog plugin gets the same pattern
as its ``post_date_format`` (kb-dates), so a reader sees one way
of writing a date everywhere. Machine-readable dates (``<time datetime>``,
feed timestamps) keep their standard forms.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from babel.core import Locale, UnknownLocaleError
from babel.dates import format_date
from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ValidationError

from kb_engine.core.configtext import plugin_setting, section
from kb_engine.core.settings import feature_settings

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

DEFAULT_FORMAT = "d MMMM yyyy"  # 6 April 2009
_SAMPLE = dt.date(2009, 4, 6)


def pattern_problem(value: object) -> str | None:
    """What is wrong with a date pattern, or None (the rule for mkdocs.yml and the posts manifest)."""
    if not isinstance(value, str) or not value.strip():
        return f"expected a date pattern such as '{DEFAULT_FORMAT}', got {value!r}"
    try:
        format_date(_SAMPLE, format=value, locale="en")
    except (ValueError, KeyError, AttributeError) as error:
        return f"{value!r} is not a date pattern ({error}); use e.g. '{DEFAULT_FORMAT}' or 'long'"
    return None


class DatePattern(c.OptionallyRequired[str]):
    """A CLDR date pattern (``d MMMM yyyy``) or one of short, medium, long, full."""

    def run_validation(self, value: object) -> str:
        problem = pattern_problem(value)
        if problem:
            raise ValidationError(problem)
        assert isinstance(value, str)
        return value


class DatesSettings(Config):  # type: ignore[no-untyped-call]  # mkdocs leaves this untyped
    """``plugins.kb-dates``: every key is optional."""

    # How dates are written for readers: a CLDR pattern (d = day, MMMM = month
    # name, yyyy = year) or short / medium / long / full, in the site's language.
    format = DatePattern(default=DEFAULT_FORMAT)


class DateStyle:
    """Writes dates in one pattern and language; remembers each day it wrote (one build)."""

    def __init__(self, pattern: str = DEFAULT_FORMAT, language: str = "en") -> None:
        try:
            self.locale = Locale.parse(language.replace("-", "_"))
        except (ValueError, UnknownLocaleError):
            self.locale = Locale.parse("en")
        self.pattern = pattern
        self._written: dict[dt.date, str] = {}

    def date(self, value: dt.date) -> str:
        """``6 April 2009`` (for a datetime: its day, in its own offset)."""
        day = value.date() if isinstance(value, dt.datetime) else value
        text = self._written.get(day)
        if text is None:
            text = self._written[day] = format_date(day, format=self.pattern, locale=self.locale)
        return text

    def date_time(self, value: dt.datetime) -> str:
        """``26 November 2026 at 14:03 UTC``: the date, then the time in the value's own offset."""
        offset = value.utcoffset() or dt.timedelta(0)
        if offset:
            minutes = int(offset.total_seconds()) // 60
            sign = "+" if minutes >= 0 else "-"
            zone = f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
        else:
            zone = "UTC"
        return f"{self.date(value)} at {value.hour:02d}:{value.minute:02d} {zone}"


    def timestamp(self, value: str) -> str:
        """An ISO 8601 timestamp as :meth:`date_time` writes it; text that is not one comes back as it is."""
        try:
            moment = dt.datetime.fromisoformat(value.strip())
        except (ValueError, AttributeError):
            return value
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        return self.date_time(moment)


def style_of_project(data: dict[str, Any], where: str = "mkdocs.yml") -> DateStyle:
    """The style of a project's mkdocs.yml read as data (:mod:`kb_engine.core.configtext`).

    For the tools that do not build.

    A wrong ``plugins.kb-dates.format`` raises ``ValueError`` with one line naming it.
    """
    pattern = plugin_setting(data, "kb-dates", "format")
    if pattern is None:
        pattern = DEFAULT_FORMAT
    problem = pattern_problem(pattern)
    if problem:
        raise ValueError(f"{where}: plugins.kb-dates.format: {problem}")
    language = section(data, "theme", "language")
    return DateStyle(pattern, language if isinstance(language, str) and language else "en")


def style_of(config: MkDocsConfig) -> DateStyle:
    """A fresh :class:`DateStyle` from ``plugins.kb-dates`` and the theme's language (call in on_config)."""
    settings = feature_settings(config, "dates", DatesSettings)
    return DateStyle(settings.format, str(config.theme["language"] or "en"))
