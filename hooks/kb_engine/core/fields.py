"""The comment form's field names: the form the build renders and the intake that reads it.

Shared by the form's template (through :class:`kb_engine.reply.form.Fields`),
the intake's JSON and form API, its refill page and its queue.
"""

from __future__ import annotations

POST = "post"
AUTHOR = "author"
EMAIL = "email"
WEBSITE = "website"
BODY = "comment"
REPLY_TO = "reply_to"
HONEYPOT = "fax"  # hidden from people and screen readers; only robots fill it in
