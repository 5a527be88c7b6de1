"""The project's own content passes the content check (kb_engine.cli.check)."""

from __future__ import annotations

from sitebuild import PROJECT, run_check


def test_the_real_project_passes_the_check() -> None:
    result = run_check(PROJECT)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "content check: no problems\n"
