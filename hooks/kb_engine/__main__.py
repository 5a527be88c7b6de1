"""``python -m kb_engine``: the ``kb-engine`` command (kb_engine.cli.main)."""

from __future__ import annotations

from kb_engine.cli.main import main

raise SystemExit(main())
