"""The WSGI entry point gunicorn loads: ``kb.intake.wsgi:app``.

Settings come from the environment (see :mod:`kb.intake.settings`);
``python3 dev.py intake`` sets them from its flags.
"""

from __future__ import annotations

from kb.intake.app import create_app
from kb.intake.settings import IntakeSettings

app = create_app(IntakeSettings.from_env())
