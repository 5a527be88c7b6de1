"""The text of a published comment file (``<comments folder>/<post>/<id>.yml``): one writer.

Every writer of comment files makes its text here: the intake's git
delivery and ``moderate approve`` (from a queued comment) and the WordPress
importer (from an exported one). The fields are the ones the build reads
(kb_engine.comments.model), in one order, the body as a YAML literal block;
an address is never written, only its keyed hash (kb_engine.comments.identity).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml


@dataclass(frozen=True)
class CommentFile:
    """A comment as its file has it. ``body`` is already sanitised; ``date`` an ISO 8601 text."""

    id: str
    post: str
    author: str
    date: str
    body: str
    website: str = ""
    reply_to: str = ""
    email_hash: str = ""
    kind: str = ""  # "pingback" or "trackback" for imported ones; empty for a reader's comment


def comment_file_text(comment: CommentFile) -> str:
    """The file's YAML text (the same bytes for the same comment, whoever writes it)."""
    data: dict[str, Any] = {"id": comment.id, "post": comment.post, "author": comment.author}
    if comment.website:
        data["website"] = comment.website
    data["date"] = comment.date
    if comment.reply_to:
        data["reply_to"] = comment.reply_to
    if comment.email_hash:
        data["email_hash"] = comment.email_hash
    if comment.kind:
        data["kind"] = comment.kind
    body = comment.body.strip()
    data["body"] = _Block(body + "\n") if body else ""
    text: str = yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False,
                          width=100)
    return text


class _Block(str):
    """A string written as a YAML literal block (``|``)."""


# libyaml's emitter when PyYAML has it: the pure-Python one took most of a large import's time.
_BaseDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class Dumper(_BaseDumper):  # type: ignore[valid-type,misc]
    """PyYAML's safe dumper (libyaml's when there), writing a ``_Block`` as a literal block."""


def _represent_block(dumper: yaml.SafeDumper, value: _Block) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style="|")


Dumper.add_representer(_Block, _represent_block)
