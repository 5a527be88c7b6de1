"""Reading the site's text files: UTF-8, or one problem naming the file and line.

Every input the build and the content check read as text (posts, pages,
``.authors.yml``, decision-tree files) goes through :func:`decode`, so a
stray byte from another encoding is reported as
``docs/x.md:12: not UTF-8 text (byte 0xff at column 5); save the file as UTF-8``
instead of a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable

from kb_engine.problems import Problem


def decode(data: bytes, shown: str) -> str | Problem:
    """``data`` as text (a leading byte order mark dropped), or the problem with it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        byte = data[error.start]
        message = f"not UTF-8 text (byte 0x{byte:02x} at column {column}); save the file as UTF-8"
        return Problem(shown, line, message)


def read(path: str, shown: str) -> str | Problem:
    """The file's text, or the problem with it (also when it cannot be read)."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as error:
        return Problem(shown, None, f"cannot be read ({error.strerror or error})")
    return decode(data, shown)


def unreadable(paths: Iterable[tuple[str, str]]) -> list[Problem]:
    """The problems of ``(path, shown)`` files that are not UTF-8 text."""
    problems: list[Problem] = []
    for path, shown in paths:
        text = read(path, shown)
        if isinstance(text, Problem):
            problems.append(text)
    return problems
