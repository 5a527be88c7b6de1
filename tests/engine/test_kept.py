"""kb_engine.kept: values made once per key and kept for the next build only."""

from __future__ import annotations

import pytest

from kb_engine.kept import Kept


def test_a_value_is_made_once_and_kept_for_the_next_build_only() -> None:
    made: list[str] = []
    kept: Kept[str, str] = Kept()

    def get(key: str) -> str:
        return kept.get(key, lambda: made.append(key) or key.upper())

    assert [get("a"), get("b"), get("a")] == ["A", "B", "A"]
    assert made == ["a", "b"] and (kept.parsed, kept.reused) == (2, 1)
    kept.start()
    assert get("a") == "A" and made == ["a", "b"] and (kept.parsed, kept.reused) == (0, 1)
    kept.start()  # "b" was not used by the last build: dropped
    assert get("b") == "B" and made == ["a", "b", "b"]
    kept.start()
    kept.start()  # a build that made nothing keeps what the one before kept
    assert get("b") == "B" and made == ["a", "b", "b"]


def test_a_value_that_fails_is_not_kept() -> None:
    kept: Kept[str, str] = Kept()

    def fail() -> str:
        raise ValueError("broken")

    for _ in range(2):
        with pytest.raises(ValueError, match="broken"):
            kept.get("a", fail)
    assert kept.get("a", lambda: "fixed") == "fixed"
