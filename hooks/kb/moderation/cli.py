"""``python3 dev.py moderate``: the moderation command (thin argparse over actions)."""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from pathlib import Path

from kb.comments.identity import MissingKey, load_key
from kb.intake.queue import Queue, QueueError
from kb.intake.settings import QUEUE_ENV
from kb.moderation import actions


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="dev.py moderate", description="Moderate readers' comments.")
    parser.add_argument("--queue", default=os.environ.get(QUEUE_ENV) or "var/moderation-queue",
                        help=f"the moderation queue (${QUEUE_ENV}; default var/moderation-queue)")
    parser.add_argument("--repo", default=".",
                        help="the repository whose comments/ folder gets approved comments")
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("list", help="list pending comments, oldest first")
    for name, text in (("show", "show one comment in full"), ("reject", "reject a comment"),
                       ("spam", "mark a comment as spam")):
        sub.add_parser(name, help=text).add_argument("id")
    approve = sub.add_parser("approve", help="publish a comment into comments/<post>/<id>.yml")
    approve.add_argument("id")
    approve.add_argument("--commit", action="store_true", help="git add and commit the comment file")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    queue = Queue(Path(args.queue).resolve())
    try:
        return run(args, queue)
    except (actions.ModerationError, QueueError, MissingKey) as error:
        print(f"moderate: error: {error}", file=sys.stderr)
        return 1


def run(args: argparse.Namespace, queue: Queue) -> int:
    if args.action != "list" and not queue.root.is_dir():
        raise actions.ModerationError(f"no moderation queue at {queue.root} (set --queue or ${QUEUE_ENV})")
    if args.action == "list":
        comments = actions.pending(queue) if queue.root.is_dir() else []
        if not comments:
            print(f"No comments are waiting in {queue.root}.")
        for c in comments:
            flag = f"  HELD: {c.links} links" if c.held else ""
            excerpt = textwrap.shorten(" ".join(c.body.split()), 60, placeholder=" …")
            print(f"{c.id}  {c.date}  {c.post}  {c.author}{flag}\n    {excerpt}")
        return 0
    if args.action == "show":
        state, c = actions.find(queue, args.id)
        held = f"  (HELD for review: {c.links} links)" if c.held else ""
        print(f"id:       {c.id}\nstate:    {state}{held}")
        print(f"post:     {c.post}\nauthor:   {c.author}\nemail:    {c.email}\nwebsite:  {c.website or '-'}")
        print(f"date:     {c.date}\nreply_to: {c.reply_to or '-'}\nclient:   {c.client}\n\n{c.body}")
        return 0
    if args.action == "approve":
        result = actions.approve(queue, Path(args.repo).resolve(), args.id, load_key(), commit=args.commit)
        shown = os.path.relpath(result.path)
        what = "wrote" if result.written else "already approved:"
        print(f"{what} {shown}{' (committed)' if result.committed else ''}")
        return 0
    previous = actions.mark_spam(queue, args.id) if args.action == "spam" else actions.reject(queue, args.id)
    print(f"{args.id}: {previous} -> {'spam' if args.action == 'spam' else 'rejected'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
