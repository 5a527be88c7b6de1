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


def rfc822(value: datetime) -> str:
    """An RFC 822 date as RSS 2.0 wants it: ``Mon, 06 Apr 2009 00:00:00 +0000``.

    Day and month names are always English, whatever the locale.
    """
    return format_datetime(value.replace(microsecond=0))


def rfc3339(value: datetime) -> str:
    """An RFC 3339 date (Atom, JSON Feed): ``2009-04-06T00:00:00+00:00``."""
    return value.isoformat(timespec="seconds")
