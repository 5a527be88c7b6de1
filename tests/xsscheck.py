"""The issue's allow-list, written out independently of the sanitiser's own.

Used to check every output a comment body reaches: page, feeds, search index.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

# Issue 5, point 3: WordPress's comment set, plus p and br.
TAGS = {
    "a": {"href", "title"}, "abbr": {"title"}, "acronym": {"title"}, "b": set(),
    "blockquote": {"cite"}, "cite": set(), "code": set(), "del": {"datetime"}, "em": set(),
    "i": set(), "q": {"cite"}, "s": set(), "strike": set(), "strong": set(), "p": set(), "br": set(),
}  # fmt: skip
SCHEMES = {"http", "https", "mailto"}
URL_ATTRIBUTES = {"href", "cite"}
# The sanitiser adds this to every link, as WordPress does.
LINK_REL = "nofollow ugc noopener"
_INVISIBLE = "".join(chr(c) for c in range(0x21)) + "\x7f"


def url_problem(value: str, *, absolute: bool) -> str | None:
    """Why ``value`` is not an allowed URL, or None."""
    squeezed = "".join(ch for ch in value if ch not in _INVISIBLE).lower()
    scheme = urlsplit(squeezed).scheme
    if scheme and scheme not in SCHEMES:
        return f"scheme {scheme!r}"
    if any(squeezed.startswith(bad) for bad in ("javascript", "vbscript", "data:", "livescript")):
        return "script URL"
    if absolute and scheme not in SCHEMES:
        return "not absolute"
    return None


def outside_allow_list(root: Any, *, absolute: bool = False) -> list[str]:
    """Everything under ``root`` (not root itself) that the allow-list does not allow."""
    found: list[str] = []
    for element in root.iterdescendants():
        tag = element.tag
        if not isinstance(tag, str):
            found.append(f"non-element node {element!r}")
            continue
        if tag not in TAGS:
            found.append(f"element <{tag}>")
            continue
        for name, value in element.attrib.items():
            if tag == "a" and name == "rel":
                if value != LINK_REL:
                    found.append(f"<a rel={value!r}>")
                continue
            if name not in TAGS[tag]:
                found.append(f"attribute {name!r} on <{tag}>")
            elif name in URL_ATTRIBUTES:
                problem = url_problem(value, absolute=absolute)
                if problem:
                    found.append(f"<{tag} {name}={value!r}>: {problem}")
    return found
