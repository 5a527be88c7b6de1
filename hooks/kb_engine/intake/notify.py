"""Telling the moderators about a new comment (queue mode): e-mail and a JSON webhook.

Each is an outbox job of its own (:mod:`kb_engine.intake.outbox`), so a mail server
or a chat service that is down delays only its own message and never a
comment. The message says who wrote on which post, an excerpt, and the
command to review it; a comment held for its links is marked HELD. The
commenter's address is not in it.

The webhook posts ``{"text": ...}``, the shape Slack's incoming webhooks
(and Mattermost's, Rocket.Chat's, Discord's ``/slack`` endpoints) take;
``<``, ``>`` and ``&`` are escaped as Slack asks, so a commenter's name cannot
mention a channel or fake a link.
"""

from __future__ import annotations

import json
import smtplib
import ssl
import textwrap
import urllib.error
import urllib.request
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from kb_engine.core.dates import DateStyle
from kb_engine.intake.queue import QueuedComment
from kb_engine.intake.safetext import safe_text
from kb_engine.intake.settings import SMTP_ENV, WEBHOOK_ENV, SmtpSettings

TIMEOUT = 20.0


class NotifyError(Exception):
    """A notification could not be sent this time; one line naming the setting."""


def summary(comment: QueuedComment, post_title: str | None, post_url: str | None,
            dates: DateStyle | None = None) -> tuple[str, str]:
    """Subject and plain-text body; ``dates``: the site's date style (from its manifest)."""
    held = "HELD (links) " if comment.held else ""
    author = safe_text(comment.author)
    title = safe_text(post_title or comment.post)
    subject = f"{held}New comment from {author} on {title}"
    excerpt = textwrap.shorten(" ".join(safe_text(comment.body).split()), 300, placeholder=" …")
    lines = [
        f"{'HELD for review: ' + str(comment.links) + ' links. ' if comment.held else ''}"
        f"{author} commented on \"{title}\" ({safe_text((dates or DateStyle()).timestamp(comment.date))}).",
        f"Post: {post_url}" if post_url else f"Post: {comment.post}",
        "",
        excerpt,
        "",
        f"Review it: python3 dev.py moderate show {comment.id}",
        f"Publish it: python3 dev.py moderate approve {comment.id} --commit",
    ]
    return subject, "\n".join(lines) + "\n"


def send_mail(settings: SmtpSettings, subject: str, body: str) -> None:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.recipients)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or None)
    message.set_content(body)
    where = f"{SMTP_ENV}={settings.host}:{settings.port}"
    try:
        if settings.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=TIMEOUT,
                                                    context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT)
        with client:
            if settings.security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if settings.user and settings.password:
                client.login(settings.user, settings.password)
            client.send_message(message)
    except smtplib.SMTPAuthenticationError as error:
        raise NotifyError(f"{where}: the server refused the user name and password "
                          f"({error.smtp_code})") from None
    except smtplib.SMTPNotSupportedError:
        raise NotifyError(f"{where}: the server does not offer STARTTLS; "
                          "set KB_INTAKE_SMTP_SECURITY to ssl or none") from None
    except smtplib.SMTPException as error:
        raise NotifyError(f"{where}: {_one_line(str(error))}") from None
    except (OSError, ssl.SSLError) as error:
        raise NotifyError(f"{where}: cannot reach the mail server ({_one_line(str(error))})") from None


def slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def send_webhook(url: str, subject: str, body: str) -> None:
    payload = {"text": slack_escape(f"{subject}\n{body}")}
    headers = {"Content-Type": "application/json", "User-Agent": "kb-comment-intake"}
    data = json.dumps(payload).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="POST", headers=headers)  # noqa: S310 - http(s)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - http(s) only
            response.read(4096)
    except urllib.error.HTTPError as error:
        raise NotifyError(f"{WEBHOOK_ENV}: the webhook answered {error.code} {error.reason}") from None
    except (OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise NotifyError(f"{WEBHOOK_ENV}: cannot reach the webhook ({_one_line(str(reason))})") from None


def _one_line(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
