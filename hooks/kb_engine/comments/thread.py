"""Comments of one post arranged as a thread, at most five levels deep.

Top-level comments and the replies to each comment are in date order (the
id breaks ties), oldest first, as the conversation happened. A reply to a
comment that is already at the deepest level is shown at that level, after
its parent, under the same level-4 comment: the same rule WordPress uses
for its "threaded comments ... levels deep" setting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from kb_engine.comments.model import Comment

MAX_DEPTH = 5


class ThreadNode(NamedTuple):
    """A comment in its thread: its level (1 = top) and the replies shown under it.

    (A named tuple: one is made for every comment of every post page.)
    """

    comment: Comment
    depth: int
    parent: Comment | None  # the comment it replies to (also when shown flattened)
    children: tuple[ThreadNode, ...]


def build_thread(comments: Iterable[Comment], max_depth: int = MAX_DEPTH) -> tuple[ThreadNode, ...]:
    """The thread of one post's comments (``reply_to`` already validated).

    A comment whose ``reply_to`` is not among ``comments`` is shown at the top.
    """
    if max_depth < 1:
        raise ValueError("max_depth must be at least 1")
    ordered = sorted(comments, key=_by_date)
    by_id = {c.id: c for c in ordered}
    replies: dict[str | None, list[Comment]] = {}
    for comment in ordered:
        parent = comment.reply_to if comment.reply_to in by_id else None
        replies.setdefault(parent, []).append(comment)

    def parent_of(comment: Comment) -> Comment | None:
        return by_id.get(comment.reply_to) if comment.reply_to else None

    def leaf(comment: Comment) -> ThreadNode:
        return ThreadNode(comment, max_depth, parent_of(comment), ())

    def node(comment: Comment, depth: int) -> ThreadNode:
        if depth == max_depth - 1:
            # The deepest level holds every reply below, in date order.
            below = sorted(_descendants(comment.id, replies), key=_by_date)
            children = tuple(leaf(c) for c in below)
        else:
            children = tuple(node(child, depth + 1) for child in replies.get(comment.id, []))
        return ThreadNode(comment, depth, parent_of(comment), children)

    if max_depth == 1:
        # Everything at the top, in date order.
        return tuple(ThreadNode(c, 1, parent_of(c), ()) for c in ordered)
    return tuple(node(c, 1) for c in replies.get(None, []))


def _by_date(comment: Comment) -> tuple[dt.datetime, str]:
    return (comment.date, comment.id)


def _descendants(comment_id: str, replies: dict[str | None, list[Comment]]) -> Iterator[Comment]:
    for child in replies.get(comment_id, []):
        yield child
        yield from _descendants(child.id, replies)


def walk(nodes: Iterable[ThreadNode]) -> Iterator[ThreadNode]:
    """Every node, in the order the page shows them."""
    for node in nodes:
        yield node
        yield from walk(node.children)
