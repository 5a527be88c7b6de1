"""The intake service's Flask app: ``create_app(settings)``, a plain WSGI app.

One endpoint, ``POST /comment``, takes a form post (from the form on every
post) or a JSON object with the same fields. The order of checks: rate limit,
origin, content type, size, encoding, honeypot, closed post, fields; then
the comment is stored in the queue with its outbox jobs and the reader is
sent back to the post. Every refusal is a 4xx answer with a message: JSON
for JSON clients; for a browser, the post's own page with the form as the
reader filled it and the message beside the field (:mod:`kb_engine.intake.formpage`),
or, when that page cannot be had, a page of the service's own that still holds
everything the reader typed.

A comment that was already received is answered exactly like a new one
(same status, same kind of body, a fresh id, the same writes to disk) and is
not stored again: the answer must not confirm who wrote a comment.

The app serves any WSGI server: ``kb_engine.intake.serve`` runs it under waitress;
the preview server mounts it in-process.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

from flask import Flask, current_app, g, jsonify, redirect, render_template, request
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from kb_engine.comments.rules import shown
from kb_engine.core.fields import AUTHOR, BODY, EMAIL, HONEYPOT, POST, REPLY_TO, WEBSITE
from kb_engine.core.manifest import Manifest, ManifestError, parse_manifest, site_dir_of
from kb_engine.core.urls import origin_of
from kb_engine.intake.formpage import page_file, refilled_page
from kb_engine.intake.queue import Queue, new_comment_id
from kb_engine.intake.ratelimit import FileRateLimiter
from kb_engine.intake.settings import QUEUE_ENV, IntakeSettings, SettingsError
from kb_engine.intake.validation import Refusal, check_submission, honeypot_filled

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
JSON_TYPE = "application/json"
MAX_FIELDS = 20
PENDING_ANCHOR = "reply-pending"
KEPT_FIELDS = (POST, AUTHOR, EMAIL, WEBSITE, BODY, REPLY_TO)  # what a refusal page gives back as typed

log = logging.getLogger("kb_engine.intake")


class Refused(Exception):
    """Stop handling a request with a 4xx answer."""

    def __init__(self, status: int, message: str, *, retry_after: int | None = None,
                 field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = retry_after
        self.field = field  # the form field the message is about, if any


class ManifestSource:
    """The posts manifest file, reloaded when the build rewrites it."""

    def __init__(self, path: Any) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._manifest = self._load()

    def _load(self) -> Manifest:
        try:
            stat = self.path.stat()
            manifest = parse_manifest(self.path.read_text(encoding="utf-8"), str(self.path))
        except OSError as error:
            raise SettingsError(
                f"{self.path}: cannot read the posts manifest ({error.strerror}); build the site first"
            ) from None
        except (ManifestError, UnicodeDecodeError) as error:
            raise SettingsError(str(error)) from None
        self._stamp = (stat.st_mtime_ns, stat.st_size)
        return manifest

    def current(self) -> Manifest:
        with self._lock:
            try:
                stat = self.path.stat()
                if (stat.st_mtime_ns, stat.st_size) != self._stamp:
                    self._manifest = self._load()
                    log.info("reloaded %s: %d posts", self.path, len(self._manifest.posts))
            except (OSError, SettingsError) as error:
                log.warning("keeping the previous posts manifest: %s", error)
            return self._manifest


class ManifestCallable:
    """A manifest handed over in code (the preview server builds it in memory)."""

    def __init__(self, load: Callable[[], Manifest]) -> None:
        self.load = load

    def current(self) -> Manifest:
        return self.load()


def manifest_source(settings: IntakeSettings) -> ManifestSource | ManifestCallable:
    if callable(settings.manifest):
        return ManifestCallable(settings.manifest)
    return ManifestSource(settings.manifest)


def create_app(settings: IntakeSettings, *, on_accepted: Callable[[], None] | None = None) -> Flask:
    """The intake app. ``on_accepted`` is called after each stored comment (to wake a delivery worker)."""
    queue = Queue(settings.queue_dir, write_pause=settings.write_pause)
    queue.prepare()
    manifests = manifest_source(settings)
    limiter = FileRateLimiter(settings.queue_dir, settings.rate)
    limiter.prepare()

    app = Flask(__name__)
    app.extensions["kb_manifests"] = manifests
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    app.config["MAX_FORM_PARTS"] = MAX_FIELDS
    app.json.sort_keys = False  # type: ignore[attr-defined]
    if settings.trusted_proxies:
        n = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]

    def allowed_origins() -> tuple[str, ...]:
        if settings.allowed_origins:
            return settings.allowed_origins
        return (origin_of(settings.redirect_base or manifests.current().site_url),)

    @app.post("/comment")
    def comment() -> Response:
        client = request.remote_addr or "unknown"
        wait = limiter.check(client, time.time())
        if wait:
            raise Refused(429, f"Too many comments from your address; try again in {wait} seconds.",
                          retry_after=wait)
        origin = request.headers.get("Origin")
        # Its own origin too: a refused comment is sent again from the page the service answered with.
        origins = allowed_origins()
        own = origin_of(request.host_url)
        if origin is not None and origin.rstrip("/").lower() not in (*origins, own):
            raise Refused(403, f"Comments are accepted only from {' or '.join(origins)}.")
        fields = read_fields()
        manifest = manifests.current()
        now = dt.datetime.now(dt.UTC)
        if honeypot_filled(fields):
            log.info("discarded a submission from %s: the %r field was filled in", client, HONEYPOT)
            return accepted(manifest, str(fields.get(POST, "")), new_comment_id(now))
        post = fields.get(POST)
        entry = manifest.posts.get(post.strip()) if isinstance(post, str) else None
        if entry is not None and entry.closed:
            raise Refused(403, "Comments are closed on this post; no new comments are accepted.")
        result = check_submission(fields, manifest)
        if isinstance(result, Refusal):
            raise Refused(result.status, result.message, field=result.field)
        stored = queue.add(result, client, now, key=settings.key, jobs=settings.jobs)
        if stored.comment is None:
            log.info("received comment %s again; not stored twice", stored.duplicate_of)
            return accepted(manifest, result.post, new_comment_id(now))
        comment = stored.comment
        held = " (HELD: links)" if comment.held else ""
        log.info("queued comment %s on %s%s", comment.id, comment.post, held)
        if on_accepted is not None:
            on_accepted()
        return accepted(manifest, comment.post, comment.id)

    @app.get("/healthz")
    def healthz() -> Response:
        return jsonify(status="ok", posts=len(manifests.current().posts))

    @app.errorhandler(Refused)
    def refused(error: Refused) -> Response:
        return error_response(error.status, error.message, error.retry_after, error.field)

    app.extensions["kb_redirect_base"] = settings.redirect_base
    # The built site, whose pages a refusal is shown on: the one the manifest file belongs to.
    manifest_file = None if callable(settings.manifest) else Path(settings.manifest)
    app.extensions["kb_site_dir"] = site_dir_of(manifest_file) if manifest_file else None

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        status = error.code or 400
        messages = {
            404: "Nothing here: comments are sent with POST to /comment.",
            405: "Comments are sent with POST.",
            413: f"The request is larger than {settings.max_request_bytes} bytes.",
        }
        return error_response(status, messages.get(status, error.description or error.name))

    @app.errorhandler(OSError)
    def disk_trouble(error: OSError) -> Response:
        # The queue's disk (full, read-only, gone): nothing was acknowledged, so
        # nothing is lost; the reader is asked to come back, the log says where.
        log.error("%s=%s: cannot store a comment (%s); answered 503", QUEUE_ENV, settings.queue_dir,
                  error.strerror or error)
        return error_response(503, "Comments cannot be stored at the moment; please try again in a few "
                              "minutes.", retry_after=300)

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        log.exception("unexpected error")
        return error_response(500, "Something went wrong on our side; your comment was not stored.")

    return app


def read_fields() -> Mapping[str, object]:
    """The submitted fields, from a form or a JSON object; refuses anything else."""
    mimetype = request.mimetype
    if mimetype not in (*FORM_TYPES, JSON_TYPE):
        raise Refused(415, "Send the comment as a form (application/x-www-form-urlencoded) or as JSON.")
    if mimetype == "multipart/form-data":
        if request.files:
            raise Refused(400, "Comments cannot carry files.")
        fields: dict[str, object] = {}
        for name, values in request.form.lists():
            if len(values) != 1:
                raise Refused(400, f"The field `{name}` was sent more than once.")
            if "\ufffd" in values[0]:
                raise Refused(400, "The request is not valid UTF-8.")
            fields[name] = values[0]
        g.kb_fields = fields
        return fields
    data = request.get_data(cache=True)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "The request is not valid UTF-8.") from None
    if mimetype == JSON_TYPE:
        try:
            parsed: Any = json.loads(text)
        except ValueError:
            raise Refused(400, "The request is not valid JSON.") from None
        except RecursionError:  # nested deeper than Python's parser goes
            raise Refused(400, "The request is nested too deeply to be a comment.") from None
        if not isinstance(parsed, dict):
            raise Refused(400, "Send the comment as a JSON object of fields.")
        for name, value in parsed.items():
            # JSON may escape half of a UTF-16 pair ("\ud800"), which is no
            # character: no text holds it, no file or page can be written with it.
            if _lone_surrogate(name) or (isinstance(value, str) and _lone_surrogate(value)):
                message = f"The field `{shown(name)}` holds a lone UTF-16 surrogate, which is not text."
                raise Refused(400, message)
        g.kb_fields = parsed
        return parsed
    try:
        pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=False, encoding="utf-8",
                          errors="strict", max_num_fields=MAX_FIELDS)
    except UnicodeDecodeError:
        raise Refused(400, "The request is not valid UTF-8.") from None
    except ValueError:
        raise Refused(400, f"Too many fields (at most {MAX_FIELDS}).") from None
    form: dict[str, object] = {}
    for name, value in pairs:
        if name in form:
            raise Refused(400, f"The field `{name}` was sent more than once.")
        form[name] = value
    g.kb_fields = form
    return form


def _lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def wants_json() -> bool:
    if request.mimetype == JSON_TYPE:
        return True
    best = request.accept_mimetypes.best_match(["text/html", JSON_TYPE])
    return best == JSON_TYPE


def accepted(manifest: Manifest, post_id: str, comment_id: str) -> Response:
    entry = manifest.posts.get(post_id)
    response: Response
    if wants_json():
        response = jsonify(status="pending", id=comment_id,
                           message="Thank you. Your comment is awaiting moderation.")
        response.status_code = 202
    elif entry is not None:
        response = redirect(f"{rebase(entry.url, manifest)}?comment=pending#{PENDING_ANCHOR}", code=303)
    else:  # honeypot with an unknown post: answer like a success, go home
        response = redirect(rebase(manifest.site_url, manifest), code=303)
    response.headers["Cache-Control"] = "no-store"
    return response


def error_response(status: int, message: str, retry_after: int | None = None,
                   field: str | None = None) -> Response:
    response: Response
    if wants_json():
        response = jsonify(error=message, status=status, **({"field": field} if field else {}))
    else:
        fields = g.get("kb_fields")
        typed = fields if isinstance(fields, dict) else {}
        post = typed.get(POST)
        page = _refilled_post_page(post, typed, field, message) if isinstance(post, str) else None
        if page is not None:
            response = Response(page, mimetype="text/html")
        else:
            back = _post_url(post) if isinstance(post, str) else None
            kept = {name: value for name, value in typed.items()
                    if name in KEPT_FIELDS and isinstance(value, str)}
            html = render_template("intake/error.html", status=status, message=message, back=back,
                                   fields=kept, action=request.path, field=field)
            response = Response(html, mimetype="text/html")
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


def rebase(url: str, manifest: Manifest) -> str:
    """``url`` (an address of the published site) under the settings' redirect base, if there is one.

    The path below the manifest's ``site_url`` is kept: with a base of
    ``http://127.0.0.1:8000/``, ``https://kb.example.org/blog/x/`` becomes
    ``http://127.0.0.1:8000/blog/x/``.
    """
    base = current_app.extensions.get("kb_redirect_base")
    if not isinstance(base, str) or not base:
        return url
    site = manifest.site_url.rstrip("/") + "/"
    path = url[len(site):] if url.startswith(site) else urlsplit(url).path.lstrip("/")
    return urljoin(base.rstrip("/") + "/", path)


def _refilled_post_page(post: str, fields: Mapping[str, object], field: str | None,
                        message: str) -> bytes | None:
    """The post's built page with the form as typed and the message (None: no such page, or no form)."""
    source = current_app.extensions.get("kb_manifests")
    site_dir = current_app.extensions.get("kb_site_dir")
    if callable(site_dir):  # the preview: the build being served now
        site_dir = site_dir()
    if not isinstance(source, (ManifestSource, ManifestCallable)) or not isinstance(site_dir, Path):
        return None
    manifest = source.current()
    entry = manifest.posts.get(post.strip())
    path = page_file(site_dir, manifest.site_url, entry.url) if entry else None
    if entry is None or path is None:
        return None
    try:
        page = path.read_bytes()
    except OSError:
        return None
    return refilled_page(page, fields, field, message, rebase(entry.url, manifest))


def _post_url(post: str) -> str | None:
    source = current_app.extensions.get("kb_manifests")
    if isinstance(source, (ManifestSource, ManifestCallable)):
        manifest = source.current()
        entry = manifest.posts.get(post)
        return rebase(entry.url, manifest) if entry else None
    return None
