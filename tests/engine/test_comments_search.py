"""The comments' search section, made directly, equals what Material's search parser makes.

kb_engine.comments.search writes the section's text the way Material's
``html.parser``-based indexer would from the comments' HTML; these tests run
that indexer on the same comments, HTML in, and compare entry for entry.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import jinja2
import nh3
import pytest
from markupsafe import Markup
from material.plugins.search.plugin import Parser, SearchIndex

from commentfixtures import HOSTILE_AUTHORS, THREAD, vectors
from kb_engine.comments.body import clean_body
from kb_engine.comments.build import CommentsBuild
from kb_engine.comments.model import Comment
from kb_engine.comments.pages import add_to_search, section_for
from kb_engine.comments.settings import CommentSettings
from kb_engine.comments.view import walk_views

TRICKY_BODIES = (
    "Quotes \"double\" and 'single', <q>inline</q> &amp; an ampersand &lt;tag&gt;",
    "A\u00a0non-breaking space, &nbsp; an entity one, and &#160; a numeric one",
    "Lines\nbroken\r\nthree ways\rhere\n\nand a second paragraph",
    "Tabs\tand   runs   of spaces, \u2028 a line separator, emoji \U0001f600",
    "&amp;lt;not a tag&amp;gt; and &amp;amp; twice escaped, &unknown; and a bare & sign",
    "<pre>  keep\n  this  </pre> <code>x &lt; y</code> <p></p><p>   </p>",
    "<script>alert(1)</script>",
    "<b>   </b>\n\n\n\n<i>\n</i>",
)
AUTHORS = ("Ann Reader", 'Bob "the buyer" O\'Neil', "Carol & Co <3", "Dana\u00a0Nobody")


@pytest.fixture(scope="module")
def env(overrides_env: jinja2.Environment) -> jinja2.Environment:
    return overrides_env


def comments_for(bodies: list[str], authors: list[str]) -> list[Comment]:
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    return [
        Comment(
            id=f"c-{n:04d}",
            post="p",
            author=authors[n % len(authors)],
            website=None,
            date=start + dt.timedelta(minutes=n),
            reply_to=f"c-{n - 1:04d}" if n % 3 else None,
            email_hash=None,
            body=body,
            file=f"comments/p/c-{n:04d}.yml",
        )
        for n, body in enumerate(bodies)
    ]


# What kb-comments did before the section was made directly: the
# comments as HTML, through Material's own indexer. Kept here as the reference.
TEXT_ONLY = nh3.Cleaner(tags=set(), attributes={}, link_rel=None)
REFERENCE = jinja2.Environment(autoescape=True).from_string(
    '<h2 id="comments">{{ title }}</h2>\n'
    "{% for author, body in comments %}<p>{{ author }}: {{ body }}</p>\n{% endfor %}"
)


def page(meta: dict[str, Any] | None = None) -> Any:
    return SimpleNamespace(
        file=SimpleNamespace(src_uri="blog/posts/p.md"), url="blog/p/", toc=[], meta=meta or {}, title="P"
    )


def entry_by_parser(state: CommentsBuild, title: str, meta: dict[str, Any]) -> dict[str, Any]:
    views = walk_views(section_for(state.posts["blog/posts/p.md"], "", state).comments)
    # The text-only cleaner's output is the clean body's text, escaped.
    texts = [Markup(TEXT_ONLY.clean(str(v.body))) for v in views]  # noqa: S704
    html = REFERENCE.render(title=title, comments=list(zip((v.author for v in views), texts, strict=True)))
    parser = Parser()
    parser.feed(html)
    parser.close()
    index = SearchIndex()
    for found in parser.data:
        if found.id == "comments":
            index.create_entry_for_section(found, [], "blog/p/", page(meta))
    [entry] = index.entries
    return entry


def entry_made_directly(state: CommentsBuild, meta: dict[str, Any]) -> dict[str, Any]:
    plugin = SimpleNamespace(config=SimpleNamespace(enabled=True), search_index=SearchIndex())
    add_to_search(page(meta), state, {"material/search": plugin})
    [entry] = plugin.search_index.entries
    return entry


def state_with(env: jinja2.Environment, comments: list[Comment]) -> CommentsBuild:
    state = CommentsBuild(CommentSettings(), env)
    state.load({"p": "blog/posts/p.md"}, comments)
    return state


@pytest.mark.parametrize(
    ("name", "bodies", "authors"),
    [
        ("the XSS corpus", vectors(), ["Vector"]),
        ("tricky text", list(TRICKY_BODIES), list(AUTHORS)),
        ("the fixture thread", [f.body for f in THREAD], [f.author for f in THREAD]),
        ("hostile authors", ["Hostile author fields."] * 3, [a for a, _ in HOSTILE_AUTHORS]),
    ],
)
def test_the_section_equals_the_parsers(
    env: jinja2.Environment, name: str, bodies: list[str], authors: list[str]
) -> None:
    state = state_with(env, comments_for(bodies, authors))
    count = len(bodies)
    title = f"{count} comments" if count > 1 else "1 comment"
    meta = {"tags": ["Partners", 7, None], "search": {"boost": 2}}
    assert entry_made_directly(state, meta) == entry_by_parser(state, title, meta)


def test_one_comment_and_its_title(env: jinja2.Environment) -> None:
    state = state_with(env, comments_for(["Only <em>one</em>."], ["Ann"]))
    entry = entry_made_directly(state, {})
    assert entry == {"location": "blog/p/#comments", "title": "1 comment", "text": "<p>Ann: Only one.</p>"}
    assert entry == entry_by_parser(state, "1 comment", {})


def test_excluded_pages_and_posts_without_comments_are_not_indexed(env: jinja2.Environment) -> None:
    plugin = SimpleNamespace(config=SimpleNamespace(enabled=True), search_index=SearchIndex())
    add_to_search(
        page({"search": {"exclude": True}}), state_with(env, comments_for(["x"], ["A"])), {"search": plugin}
    )
    add_to_search(page(), state_with(env, []), {"search": plugin})
    assert plugin.search_index.entries == []


def test_a_disabled_search_plugin_is_left_alone(env: jinja2.Environment) -> None:
    plugin = SimpleNamespace(config=SimpleNamespace(enabled=False), search_index=SearchIndex())
    add_to_search(page(), state_with(env, comments_for(["x"], ["A"])), {"material/search": plugin})
    assert plugin.search_index.entries == []


def test_clean_bodies_are_what_is_indexed(env: jinja2.Environment) -> None:
    body = 'See <a href="https://e.net/">this</a> &amp; <code>x &lt; y</code><script>alert(1)</script>'
    state = state_with(env, comments_for([body], ["Ann"]))
    assert str(state.posts["blog/posts/p.md"].bodies["c-0000"]) == str(clean_body(env, body))
    assert entry_made_directly(state, {})["text"] == "<p>Ann: See this &amp; x &lt; y</p>"
