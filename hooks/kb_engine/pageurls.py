"""Two files published at one address: the second would silently replace the first.

MkDocs writes every file to its destination in turn, so a post whose slug
and date give it another post's address, or ``guide.md`` beside
``guide/index.md``, leaves one page where there were two (and a feed item or
a sitemap entry pointing at the wrong one). The build and the content check
both refuse it, with one line naming both files.
"""

from __future__ import annotations

from collections.abc import Iterable

from kb_engine.problems import Problem


def url_collisions(files: Iterable[tuple[str, str]]) -> list[Problem]:
    """One problem per destination shared by several files.

    ``files``: ``(file as shown in messages, destination path under the
    site folder)`` pairs, e.g. ``("docs/blog/posts/a.md",
    "blog/2009/04/06/a/index.html")``.
    """
    by_destination: dict[str, list[str]] = {}
    for shown, destination in files:
        by_destination.setdefault(destination, []).append(shown)
    problems: list[Problem] = []
    for destination, sources in sorted(by_destination.items()):
        if len(sources) < 2:
            continue
        first, *others = sorted(set(sources)) if len(set(sources)) > 1 else sources
        address = destination.removesuffix("index.html") or "/"
        problems.append(
            Problem(
                first,
                None,
                f"{' and '.join(others)} {'is' if len(others) == 1 else 'are'} published at the same "
                f"address, {address}: one would silently replace the other; give one another slug, date or "
                "file name",
            )
        )
    return problems
