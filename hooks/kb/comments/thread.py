"""Comments of one post arranged as a thread, at most five levels deep.

Top-level comments and the replies to each comment are in date order (the
id breaks ties), oldest first, as the conversation happened. A reply to a
comment that is already at the deepest level is shown at that level, after
its parent, under the same level-4 comment: the same rule WordPress uses
for its "threaded comments ... levels deep" setting.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kb.comments.model import Comment

MAX_DEPTH = 5


@dataclass(frozen=True, slots=True)
class ThreadNode:
    """A comment in its thread: its level (1 = top) and the replies shown under it."""

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
    ordered = sorted(comments, key=lambda c: (c.date, c.id))
    by_id = {c.id: c for c in ordered}
    replies: dict[str | None, list[Comment]] = {}
    for comment in ordered:
        parent = comment.reply_to if comment.reply_to in by_id else None
        replies.setdefault(parent, []).append(comment)

    def subtree(comment: Comment, depth: int) -> ThreadNode:
        parent = by_id.get(comment.reply_to) if comment.reply_to else None
        if depth < max_depth:
            children = tuple(subtree(child, depth + 1) for child in replies.get(comment.id, []))
        else:
            children = ()
        return ThreadNode(comment, depth, parent, children)

    def with_flattened(node: ThreadNode) -> ThreadNode:
        """Give every node one level above the deepest the replies below its children."""
        if node.depth == max_depth - 1:
            below = [
                ThreadNode(c, max_depth, by_id.get(c.reply_to) if c.reply_to else None, ())
                for child in node.children
                for c in _descendants(child.comment.id, replies)
            ]
            merged = sorted([*node.children, *below], key=lambda n: (n.comment.date, n.comment.id))
            return ThreadNode(node.comment, node.depth, node.parent, tuple(merged))
        children = tuple(with_flattened(c) for c in node.children)
        return ThreadNode(node.comment, node.depth, node.parent, children)

    roots = [subtree(c, 1) for c in replies.get(None, [])]
    if max_depth == 1:
        # Everything at the top, in date order.
        return tuple(ThreadNode(c, 1, by_id.get(c.reply_to) if c.reply_to else None, ()) for c in ordered)
    return tuple(with_flattened(root) for root in roots)


def _descendants(comment_id: str, replies: dict[str | None, list[Comment]]) -> Iterator[Comment]:
    for child in replies.get(comment_id, []):
        yield child
        yield from _descendants(child.id, replies)


def walk(nodes: Iterable[ThreadNode]) -> Iterator[ThreadNode]:
    """Every node, in the order the page shows them."""
    for node in nodes:
        yield node
        yield from walk(node.children)
