"""The order of the engine's events, declared in one place.

MkDocs runs each event's handlers by priority, highest first; handlers of
equal priority run in the order their plugins are listed in mkdocs.yml. So
that no feature depends on where a site lists it, every handler of the
engine has its own priority here, chosen against Material's plugins, whose
priorities are noted beside them (``search`` and ``tags`` at 0, ``blog`` and
``kb-blog`` at 0 for ``on_config``, -50 for ``on_files`` and
``on_page_markdown``, -100 for ``on_page_context``).

``PRIORITY[event][handler]``; a handler is ``"<plugin>"`` or
``"<plugin>.<part>"`` where one plugin handles an event twice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from mkdocs.plugins import event_priority

F = TypeVar("F", bound=Callable[..., Any])

PRIORITY: dict[str, dict[str, float]] = {
    "config": {
        "kb-site": 100,  # before the blog plugin reads its authors file in its own on_config (0)
        # The rest after Material's plugins (0), which they read.
        "kb-dates": -1,  # sets the blog's post_date_format
        "kb-git-dates": -2,
        "kb-comments": -3,
        "kb-feeds": -4,
        "kb-reply": -5,
        "kb-trees": -6,
        "kb-redirects": -7,
        "kb-latest-posts": -8,
        "kb-link-cards": -9,
        "kb-speed": -10,  # wraps the search plugin's index
        "kb-search": -11,
    },
    "files": {
        "kb-site.posts": 50,  # every post checked apart before anything reads them
        "kb-comments": 40,  # comments loaded before the blog plugin (-50) counts them
        "kb-redirects": -1,
        "kb-trees": -60,  # after the blog (-50) has settled which posts are published
        "kb-git-dates": -100,
        "kb-feeds": -101,
        "kb-site.addresses": -102,  # last: every file another plugin added has its address
    },
    "nav": {
        "kb-site": -100,  # after the blog (-50) has added its archive, category and author pages
    },
    "env": {
        # Material's tags (100) and the blog (0) first.
        "kb-trees": -1,  # every page's Markdown is rendered: cited anchors are known
        "kb-speed": -2,
        "kb-search": -3,
    },
    "pre_page": {
        "kb-speed": -100,  # last: the page every other plugin settled on gets the shared converter
    },
    "page_markdown": {
        "kb-site": 10,  # before the blog plugin (-50), which refuses a post without its excerpt marker
        "kb-redirects": -1,
    },
    "page_content": {
        "kb-latest-posts": -1,
        "kb-speed": -2,
        "kb-feeds": -100,
    },
    "page_context": {
        # After Material's search and tags (0), before the blog (-100).
        "kb-comments.show": -1,
        "kb-feeds": -2,
        "kb-reply": -3,
        "kb-trees": -4,
        "kb-link-cards": -5,
        "kb-search": -6,
        "kb-comments.index": -10,  # after the search plugin has indexed the page (0)
    },
    "template_context": {"kb-link-cards": 0},
    "post_page": {"kb-trees": 0},
    "post_build": {
        "kb-search": 50,  # before the search plugin (0) writes search_index.json
        "kb-comments": -1,
        "kb-feeds": -2,
        "kb-reply": -3,
        "kb-redirects": -4,
        "kb-link-cards": -5,
    },
    "serve": {"kb-comments": -1},
    "shutdown": {"kb-speed": -1},
    # These do nothing: they keep the plugins (and their kept parses) across `mkdocs serve` rebuilds.
    "startup": {"kb-site": 0, "kb-comments": 0},
}


def ordered(event: str, handler: str) -> Callable[[F], F]:
    """``@event_priority`` with the priority this table gives ``handler`` for ``event``."""
    return event_priority(PRIORITY[event][handler])
