"""The published comment file, ``<comments folder>/<post>/<id>.yml``, made from a queued comment.

The fields the build reads, with the email address replaced by its keyed
hash: the address itself stays in the queue and never reaches the
repository. Both the moderation command (queue mode) and the git delivery
(git mode) write exactly this, into the folder ``plugins.kb-comments.directory``
names (resolved by :mod:`kb_engine.core.paths`).
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

import yaml

from kb_engine.comments.identity import email_hash
from kb_engine.comments.sanitize import sanitize_html
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
    data: dict[str, Any] = {"id": comment.id, "post": comment.post, "author": comment.author}
    if comment.website:
        data["website"] = comment.website
    data["date"] = comment.date
    if comment.reply_to:
        data["reply_to"] = comment.reply_to
    data["email_hash"] = email_hash(comment.email, key)
    data["body"] = _Block(sanitize_html(comment.body).strip() + "\n")
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False,
                     width=100)


class _Block(str):
    """A string written as a YAML literal block (``|``)."""


class _Dumper(yaml.SafeDumper):
    pass


def _represent_block(dumper: yaml.SafeDumper, value: _Block) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style="|")


_Dumper.add_representer(_Block, _represent_block)
