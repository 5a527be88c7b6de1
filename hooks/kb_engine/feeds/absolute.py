"""Make every link and image in an HTML fragment absolute.

Feed readers show item content away from the site, where a relative URL
(``../img.png``, ``#fn:1``) points nowhere. Every ``href``, ``src`` and
``srcset`` (and the rarer URL attributes) is resolved against the page's URL.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urljoin

import lxml.html
from lxml import etree

# Attributes holding one URL; ``srcset`` holds a list and is handled apart.
URL_ATTRIBUTES = ("href", "src", "poster", "cite", "action", "data", "longdesc", "{http://www.w3.org/1999/xlink}href")

_WRAPPER = "div"


_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def absolute_url(url: str, base_url: str) -> str:
    """``url`` resolved against ``base_url`` (absolute and scheme URLs stay as they are)."""
    stripped = url.strip()
    if not stripped:
        return base_url
    if _SCHEME.match(stripped):  # https:, mailto:, data: ... (the common case, and cheap)
        return stripped
    if stripped.startswith("#"):
        return base_url.split("#", 1)[0] + stripped
    return urljoin(base_url, stripped)


def absolute_srcset(value: str, base_url: str, resolve: Callable[[str], str] | None = None) -> str:
    """Every candidate URL of a ``srcset`` resolved, descriptors kept."""
    candidates: list[str] = []
    position, length = 0, len(value)
    while position < length:
        while position < length and (value[position].isspace() or value[position] == ","):
            position += 1
        if position >= length:
            break
        start = position
        while position < length and not value[position].isspace():
            position += 1
        url = value[start:position]
        descriptor = ""
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            start = position
            while position < length and value[position] != ",":
                position += 1
            descriptor = value[start:position].strip()
        resolved = resolve(url) if resolve else absolute_url(url, base_url)
        candidates.append(f"{resolved} {descriptor}" if descriptor else resolved)
    return ", ".join(candidates)


def absolutize_tree(root: etree._Element, base_url: str, cache: dict[str, str] | None = None) -> None:
    """Resolve the URL attributes of ``root`` and everything under it, in place.

    ``cache`` (URL -> absolute URL for this ``base_url``) may be shared by
    calls with the same base: pages repeat the same few URLs many times.
    """
    known: dict[str, str] = {} if cache is None else cache

    def resolve(url: str) -> str:
        found = known.get(url)
        if found is None:
            found = known[url] = absolute_url(url, base_url)
        return found

    for element in root.iter():
        if not isinstance(element.tag, str):  # comments, processing instructions
            continue
        for attribute in URL_ATTRIBUTES:
            value = element.get(attribute)
            if value is not None:
                element.set(attribute, resolve(value))
        srcset = element.get("srcset")
        if srcset is not None:
            element.set("srcset", absolute_srcset(srcset, base_url, resolve))


def parse_fragment(html: str) -> etree._Element:
    """``html`` parsed into a wrapper element (serialise with :func:`serialize_fragment`)."""
    return lxml.html.fragment_fromstring(html, create_parent=_WRAPPER)


def serialize_fragment(root: etree._Element) -> str:
    """The HTML inside the wrapper made by :func:`parse_fragment`."""
    text: str = lxml.html.tostring(root, encoding="unicode", method="html")
    return text[len(f"<{_WRAPPER}>") : -len(f"</{_WRAPPER}>")]


def absolutize_html(html: str, base_url: str) -> str:
    """``html`` with every href/src/srcset made absolute against ``base_url``."""
    if not html.strip():
        return html
    root = parse_fragment(html)
    absolutize_tree(root, base_url)
    return serialize_fragment(root)
