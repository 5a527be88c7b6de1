"""Comment ids and post ids: one definition each, for every reader and writer.

A comment id names a comment file (``<post>/<id>.yml``), a queue entry, a job
file and a ``reply_to``: the intake makes one (``20261126-3f9a0c1e``), the
WordPress import writes ``wp-<number>``, the build and ``check`` read them,
``moderate`` takes one on its command line. A post id is a post's path under
the posts folder without ``.md``: the build writes it into the posts manifest,
the intake and the comment files name posts by it.
"""

from __future__ import annotations

import re

# Lower-case letters, digits and "-", 1 to 64 characters, not starting with "-":
# safe as a file name and in a git branch name (comment/<post>/<id>).
COMMENT_ID_TEXT = r"[a-z0-9][a-z0-9-]{0,63}"
COMMENT_ID = re.compile(rf"\A{COMMENT_ID_TEXT}\Z")
COMMENT_ID_RULE = "lower-case letters, digits and '-', 1-64"
# Plain path segments: a safe relative path.
POST_ID = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9._-]*(?:/[A-Za-z0-9][A-Za-z0-9._-]*)*\Z")


def is_comment_id(value: object) -> bool:
    return isinstance(value, str) and bool(COMMENT_ID.match(value))


def is_post_id(value: object) -> bool:
    """A post id is a safe relative path: plain segments, no ``..``."""
    return isinstance(value, str) and bool(POST_ID.match(value)) and ".." not in value
