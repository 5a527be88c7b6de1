"""``python3 dev.py moderate``: the moderation command (thin argparse over actions).

Everything a reader wrote is printed through :func:`kb_engine.intake.safetext.safe_text`:
control characters, bidi overrides and other invisible characters appear as
escapes, never raw, so a comment cannot take over the moderator's terminal.

The comment key comes from ``KB_COMMENT_KEY`` or ``KB_COMMENT_KEY_FILE``;
without either, approving uses the development key in ``var/comment-key``
of the repository (created on first use) and says so in one line.
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from pathlib import Path

from kb_engine.cli.anywhere import shared_options
from kb_engine.cli.program import command_prog
from kb_engine.comments.identity import MissingKey
from kb_engine.comments.rules import mask
from kb_engine.core.paths import CommentsDirectoryError
from kb_engine.intake.devkey import project_key
from kb_engine.intake.queue import Queue, QueueError
from kb_engine.intake.safetext import safe_text
from kb_engine.intake.settings import QUEUE_ENV
from kb_engine.moderation import actions


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=command_prog("moderate"), description="Moderate readers' comments.")
    common = shared_options(
        parser,
        (("--queue",), {"default": os.environ.get(QUEUE_ENV) or "var/moderation-queue",
                        "help": f"the moderation queue (${QUEUE_ENV}; default var/moderation-queue)"}),
        (("--repo",), {"default": ".", "help": "the repository whose comments folder (its mkdocs.yml's "
                       "plugins.kb-comments.directory) gets approved comments"}),
    )
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("list", help="list pending comments, oldest first", parents=[common])
    for name, text in (("show", "show one comment in full"), ("reject", "reject a comment"),
                       ("spam", "mark a comment as spam")):
        sub.add_parser(name, help=text, parents=[common]).add_argument("id")
    approve = sub.add_parser("approve", help="publish a comment into <comments folder>/<post>/<id>.yml",
                             parents=[common])
    approve.add_argument("id")
    approve.add_argument("--commit", action="store_true", help="git add and commit the comment file")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    queue = Queue(Path(args.queue).resolve())
    try:
        return run(args, queue)
    except (actions.ModerationError, QueueError, MissingKey, CommentsDirectoryError) as error:
        print(f"moderate: error: {error}", file=sys.stderr)
        return 1


def run(args: argparse.Namespace, queue: Queue) -> int:
    if args.action != "list" and not queue.root.is_dir():
        raise actions.ModerationError(f"no moderation queue at {queue.root} (set --queue or ${QUEUE_ENV})")
    if args.action in ("list", "show"):
        when = actions.date_style(Path(args.repo).resolve()).timestamp  # the site's date style
    if args.action == "list":
        comments = actions.pending(queue) if queue.root.is_dir() else []
        if not comments:
            print(f"No comments are waiting in {queue.root}.")
        for c in comments:
            flag = f"  HELD: {c.links} links" if c.held else ""
            excerpt = textwrap.shorten(" ".join(safe_text(c.body).split()), 60, placeholder=" …")
            who = f"{safe_text(when(c.date))}  {safe_text(c.post)}  {safe_text(c.author)}"
            print(f"{c.id}  {who}{flag}\n    {excerpt}")
        return 0
    if args.action == "show":
        state, c = actions.find(queue, args.id)
        held = f"  (HELD for review: {c.links} links)" if c.held else ""
        s = safe_text
        print(f"id:       {c.id}\nstate:    {state}{held}")
        print(f"post:     {s(c.post)}\nauthor:   {s(c.author)}\nemail:    {s(mask(c.email))}\n"
              f"website:  {s(c.website or '-')}")
        print(f"date:     {s(when(c.date))}\nreply_to: {s(c.reply_to or '-')}\nclient:   {s(c.client)}\n\n"
              f"{s(c.body, keep_newlines=True)}")
        return 0
    if args.action == "approve":
        repo = Path(args.repo).resolve()
        result = actions.approve(queue, repo, args.id, comment_key(repo), commit=args.commit)
        shown = os.path.relpath(result.path)
        what = "wrote" if result.written else "already approved:"
        print(f"{what} {shown}{' (committed)' if result.committed else ''}")
        return 0
    previous = actions.mark_spam(queue, args.id) if args.action == "spam" else actions.reject(queue, args.id)
    print(f"{args.id}: {previous} -> {'spam' if args.action == 'spam' else 'rejected'}")
    return 0


def comment_key(repo: Path) -> bytes:
    """The production key from the environment, else the repository's development key (said in one line)."""
    key, note = project_key(repo)
    if note:
        print(f"moderate: {note}", file=sys.stderr)
    return key

if __name__ == "__main__":
    raise SystemExit(main())
