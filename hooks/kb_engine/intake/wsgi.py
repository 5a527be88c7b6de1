"""A WSGI entry point for other servers: ``kb_engine.intake.wsgi:app``.

``python3 dev.py intake`` (waitress, :mod:`kb_engine.intake.serve`) is the supported
way to run the service: it bounds slow clients and runs the outbox worker.
Under another WSGI server the settings come from the environment (see
:mod:`kb_engine.intake.settings`), and ``python -m kb_engine.intake.outbox work`` must run
beside it to deliver comments and send notifications.
"""

from __future__ import annotations

from kb_engine.intake.app import create_app
from kb_engine.intake.settings import IntakeSettings

app = create_app(IntakeSettings.from_env())
