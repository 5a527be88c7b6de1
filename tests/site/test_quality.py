"""The code stays lint-clean and type-checked (ruff and mypy, as pinned)."""

from __future__ import annotations

import subprocess
import sys

from sitebuild import PROJECT


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=PROJECT, capture_output=True, text=True, check=False
    )


def test_ruff() -> None:
    result = run("ruff", "check", "--no-cache", "hooks", "tests", "benchmarks", "dev.py")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy() -> None:
    result = run("mypy", "--no-incremental", "--cache-dir", "/dev/null")
    assert result.returncode == 0, result.stdout + result.stderr
