"""kb_engine.kept: values made once per key and kept for the next build only."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb_engine.comments.model import KeptParses, load_comments
from kb_engine.frontmatter import KeptDocuments, parse_document
from kb_engine.kept import Kept, text_key


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


@settings(max_examples=50, deadline=None)
@given(st.text(), st.text())  # surrogates and controls included
def test_two_texts_have_one_key_only_if_they_are_one_text(one: str, other: str) -> None:
    assert (text_key(one) == text_key(other)) == (one == other)
    assert text_key(one + "\udc80") != text_key(one + "\ufffd")


def test_kept_parses_keep_the_digest_of_a_file_not_its_text(tmp_path: Path) -> None:
    """The previews' kept parses hold no file's whole text: a post's Markdown once, in its body, at most."""
    text = "---\ntitle: A post\n---\n\n" + "A long body. " * 200
    documents = KeptDocuments()
    assert documents.parse(text, "posts/a.md") == parse_document(text, "posts/a.md")
    documents.start()
    assert documents.parse(text, "posts/a.md") == parse_document(text, "posts/a.md")
    assert (documents.parsed, documents.reused) == (0, 1)
    assert documents.parse(text + "More.", "posts/a.md") == parse_document(text + "More.", "posts/a.md")
    assert (documents.parsed, documents.reused) == (1, 1)
    comment = tmp_path / "comments" / "a-post" / "c1.yml"
    comment.parent.mkdir(parents=True)
    comment.write_text("author: A\ndate: 2024-01-02T03:04:05Z\nbody: " + "Hi. " * 200 + "\n", encoding="utf-8")
    comments = KeptParses()
    assert load_comments(tmp_path / "comments", {"a-post"}, tmp_path, comments) == load_comments(
        tmp_path / "comments", {"a-post"}, tmp_path)
    for kept in (documents, comments):
        keys = list(kept._now) + list(kept._last)
        assert keys and all(isinstance(key[0], bytes) and len(key[0]) == 32 for key in keys)
        assert all(len(part) < 100 for key in keys for part in key if isinstance(part, str))
