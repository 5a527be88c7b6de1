"""The published comment file, ``<comments folder>/<post>/<id>.yml``, made from a queued comment.

The fields the build reads, with the email address replaced by its keyed
hash: the address itself stays in the queue and never reaches the
repository. Both the moderation command (queue mode) and the git delivery
(git mode) write exactly this, into the folder ``plugins.kb-comments.directory``
names (resolved by :mod:`kb_engine.core.paths`).
"""

from __future__ import annotations

from pathlib import PurePosixPath

from kb_engine.comments.identity import email_hash
from kb_engine.comments.sanitize import sanitize_html
from kb_engine.core.commentfile import CommentFile, comment_file_text
from kb_engine.core.ids import is_comment_id, is_post_id
from kb_engine.core.paths import DEFAULT_DIRECTORY
from kb_engine.intake.queue import QueuedComment


class UnsafeName(ValueError):
    """A post or comment id that is not a safe file name."""


def relative_path(comment: QueuedComment, directory: str = DEFAULT_DIRECTORY) -> PurePosixPath:
    """``<directory>/<post>/<id>.yml``, after checking both parts are safe names.

    ``directory`` is the project's comments folder as :mod:`kb_engine.core.paths` resolves it.
    """
    if not is_post_id(comment.post) or not is_comment_id(comment.id):
        raise UnsafeName(f"comment '{comment.id}': post '{comment.post}' or id is not a safe file name")
    return PurePosixPath(directory, comment.post, f"{comment.id}.yml")


def comment_yaml(comment: QueuedComment, key: bytes) -> str:
    """The approved comment file: the fields the build reads, no email address."""
    return comment_file_text(CommentFile(
        id=comment.id, post=comment.post, author=comment.author, date=comment.date,
        body=sanitize_html(comment.body), website=comment.website or "", reply_to=comment.reply_to or "",
        email_hash=email_hash(comment.email, key),
    ))
