"""Moderating the comment queue: list, show, approve, reject, mark as spam.

:mod:`kb_engine.moderation.actions` holds the logic (plain functions over a
:class:`kb_engine.intake.queue.Queue` and the repository folder);
:mod:`kb_engine.moderation.cli` is the thin command line behind
``python3 dev.py moderate``.
"""
