"""Moderating the comment queue: list, show, approve, reject, mark as spam.

:mod:`kb.moderation.actions` holds the logic (plain functions over a
:class:`kb.intake.queue.Queue` and the repository folder);
:mod:`kb.moderation.cli` is the thin command line behind
``python3 dev.py moderate``.
"""
