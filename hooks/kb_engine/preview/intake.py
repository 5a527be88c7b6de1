"""The comment intake service as the preview runs it: in-process, on the preview's origin.

One small function, so that the intake's settings are made in one place.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kb_engine.intake.ratelimit import RateLimit

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

QUEUE = Path("var") / "moderation-queue"  # under the project: where `dev.py moderate` looks (git-ignored)
# An author trying the form sends many comments in a row from one address.
PREVIEW_RATE = RateLimit(burst=60, window=60.0)


def preview_intake(project: Path, manifest: Path, origin: str,
                   site: Callable[[], Path | None] | None = None) -> WSGIApplication:
    """The intake app taking comments for the posts in ``manifest``, from pages on ``origin``.

    Comments wait in the project's ``var/moderation-queue``; readers are
    sent back to the post's address in the manifest (on the preview). ``site``
    gives the folder of the build being served: a refused comment comes back
    on its page of the post.
    """
    from kb_engine.core.urls import origin_of
    from kb_engine.intake.app import create_app  # Flask: in the intake lock, which `dev.py serve` installs
    from kb_engine.intake.devkey import project_key
    from kb_engine.intake.settings import IntakeSettings

    key, note = project_key(project)  # the key `dev.py moderate` uses too
    if note:
        print(f"preview: {note}", file=sys.stderr, flush=True)
    settings = IntakeSettings(queue_dir=project / QUEUE, manifest=manifest, key=key,
                              allowed_origins=(origin_of(origin),), redirect_base=origin, rate=PREVIEW_RATE)
    app = create_app(settings)
    if site is not None:
        app.extensions["kb_site_dir"] = site  # the manifest is a copy beside the builds
    return app
