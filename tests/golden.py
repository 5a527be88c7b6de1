"""Golden files: compare output with tests/golden/<name>, or rewrite them.

Run ``python3 dev.py test --update-goldens`` after an intended change, and
review the diff of tests/golden/ like any other change.
"""

from __future__ import annotations

from pathlib import Path

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"


def assert_golden(name: str, actual: str, update: bool) -> None:
    path = GOLDEN_DIR / name
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"no golden file {path}; run the tests with --update-goldens"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"output differs from {path}; rerun with --update-goldens if intended"
