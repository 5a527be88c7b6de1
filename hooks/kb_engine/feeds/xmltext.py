"""Helpers shared by the XML writers: dates and text that XML can carry."""

from __future__ import annotations

import re
from datetime import datetime
from email.utils import format_datetime
from typing import Any

# Characters XML 1.0 cannot carry at all, even escaped (C0 controls other than
# tab, newline and carriage return, lone surrogates, U+FFFE and U+FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str) -> str:
    """``value`` without the characters XML 1.0 forbids."""
    return _NOT_XML.sub("", value)


def set_text(element: Any, text: str) -> None:
    """Set ``element.text``; characters XML forbids are dropped.

    lxml refuses such text with a ValueError, so the (costly) clean-up only
    runs for the rare text that needs it.
    """
    try:
        element.text = text
    except ValueError:  # includes UnicodeEncodeError (lone surrogates)
        element.text = xml_text(text)


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def rfc822(value: datetime) -> str:
    """An RFC 822 date as RSS 2.0 wants it: ``Mon, 06 Apr 2009 00:00:00 +0000``.

    Day and month names are always English, whatever the locale. The same
    text as :func:`email.utils.format_datetime`, written directly for the
    common case (a feed can hold thousands of dates).
    """
    offset = value.utcoffset()
    if offset is None or offset.microseconds or offset.seconds % 60:
        return format_datetime(value.replace(microsecond=0))
    minutes = (offset.days * 86400 + offset.seconds) // 60
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    return (
        f"{_DAYS[value.weekday()]}, {value.day:02d} {_MONTHS[value.month - 1]} {value.year:04d} "
        f"{value.hour:02d}:{value.minute:02d}:{value.second:02d} {sign}{hours:02d}{minutes:02d}"
    )


def rfc3339(value: datetime) -> str:
    """An RFC 3339 date (Atom, JSON Feed): ``2009-04-06T00:00:00+00:00``."""
    return value.isoformat(timespec="seconds")
