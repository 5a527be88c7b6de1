"""kb_engine.kept: values made once per key and kept for the next build only.

And :func:`this_build`, the one way each plugin (kb-blog, kb-site,
kb-comments) gets its store for a build, in its ``on_config``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config

from enginesite import copy_speed_site
from kb_engine.comments.model import KeptParses, load_comments
from kb_engine.frontmatter import KeptDocuments, parse_document
from kb_engine.kept import Kept, text_key, this_build
from sitebuild import captured_logs, own_plugin_instances

# Each plugin's store, by the attribute it keeps it in.
STORES = {"kb-blog": "_front_matter", "kb-site": "documents", "kb-comments": "kept"}


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


def _stores(config_file: Path) -> dict[str, Any]:
    """Each plugin's store after its ``on_config`` (a build's first event)."""
    config = load_config(str(config_file))
    config.plugins.on_startup(command="serve", dirty=False)
    config = config.plugins.on_config(config)
    return {name: getattr(config.plugins[name], attribute) for name, attribute in STORES.items()}


def test_this_build_starts_the_last_store_or_a_new_one_and_none_without_speedups(tmp_path: Path) -> None:
    made: list[str] = []
    with captured_logs(), own_plugin_instances():
        on = load_config(str(copy_speed_site(tmp_path / "on", speed=True)))
        first = this_build(None, Kept[str, str], on)
        assert isinstance(first, Kept)
        first.get("a", lambda: made.append("a") or "A")
        second = this_build(first, Kept[str, str], on)  # the next build: the same store, started
        assert second is first and (second.parsed, second.reused) == (0, 0)
        assert second.get("a", lambda: made.append("a") or "A") == "A" and made == ["a"]
    with captured_logs(), own_plugin_instances():
        off = load_config(str(copy_speed_site(tmp_path / "off", speed=False)))
        assert this_build(second, Kept[str, str], off) is None  # speed-ups off: nothing kept, nothing made
        assert this_build(None, Kept[str, str], off) is None


def test_each_plugin_keeps_one_store_across_builds_and_a_new_instance_makes_a_new_one(tmp_path: Path) -> None:
    on = copy_speed_site(tmp_path / "on", speed=True)
    off = copy_speed_site(tmp_path / "off", speed=False)
    with captured_logs(), own_plugin_instances():
        first = _stores(on)
        assert all(isinstance(store, Kept) for store in first.values()), first
        for store in first.values():
            store.get("key", lambda: "value")
        again = _stores(on)  # a preview rebuild: MkDocs keeps the plugin instances, and their stores, started
        assert all(again[name] is first[name] for name in STORES)
        assert all((store.parsed, store.reused, store._last) == (0, 0, {"key": "value"}) for store in again.values())
        assert _stores(off) == dict.fromkeys(STORES)  # the same instances, with kb-speed's enabled: false
    with captured_logs(), own_plugin_instances():
        fresh = _stores(on)  # new plugin instances: new, empty stores
        assert all(isinstance(store, Kept) and store is not first[name] and not store._last
                   for name, store in fresh.items())


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
