"""The comment intake service: a small Flask app run by gunicorn.

Readers' comments arrive here from the form on each post, are checked and
sanitised (:mod:`kb.intake.validation`, pure functions), and are stored, one
file each, in a moderation queue outside the published content
(:mod:`kb.intake.queue`). Nothing is published until a moderator approves it
(:mod:`kb.moderation`).
"""
