"""The comment intake service: a small Flask app served by waitress.

Readers' comments arrive here from the form on each post (:mod:`.app`), are
checked and sanitised (:mod:`.validation`, pure functions), and are stored,
one file each, in a private queue outside the published content
(:mod:`.queue`) together with their outbox jobs (:mod:`.jobs`). A background
worker (:mod:`.outbox`) pushes each comment as its own branch of the site's
repository (:mod:`.gitdelivery`), or tells the moderators by mail and
webhook (:mod:`.notify`). Nothing is published until a moderator approves it:
by merging its pull request, or with :mod:`kb_engine.moderation`. Settings:
:mod:`.settings`; the server and why: :mod:`.server`, :mod:`.serve`.
"""
