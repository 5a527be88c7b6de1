"""Threading (five levels, deeper replies flattened) and identicon avatars."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from kb_engine.comments.avatar import GRID, PLACEHOLDER, avatar_for
from kb_engine.comments.identity import email_hash
from kb_engine.comments.model import Comment
from kb_engine.comments.thread import MAX_DEPTH, build_thread, walk


def c(cid: str, minute: int, reply_to: str | None = None) -> Comment:
    date = dt.datetime(2026, 11, 26, 12, minute, tzinfo=dt.UTC)
    return Comment(cid, "p", cid.upper(), None, date, reply_to, None, "b", f"comments/p/{cid}.yml")


def shape(nodes) -> list[tuple[str, int, str | None]]:
    return [(n.comment.id, n.depth, n.parent.id if n.parent else None) for n in walk(nodes)]


def test_top_level_and_replies_are_in_date_order() -> None:
    comments = [c("b", 5), c("a", 1), c("r2", 9, "a"), c("r1", 3, "a"), c("r1x", 4, "r1")]
    assert shape(build_thread(comments)) == [
        ("a", 1, None), ("r1", 2, "a"), ("r1x", 3, "r1"), ("r2", 2, "a"), ("b", 1, None),
    ]  # fmt: skip


def test_equal_dates_are_ordered_by_id() -> None:
    assert [n.comment.id for n in build_thread([c("z", 1), c("m", 1), c("a", 1)])] == ["a", "m", "z"]


def test_five_levels_deep_then_flattened_at_level_five() -> None:
    chain = [c("l1", 1)] + [c(f"l{i}", i, f"l{i - 1}") for i in range(2, 9)]
    late_sibling = c("l5b", 30, "l4")
    result = shape(build_thread([*chain, late_sibling]))
    assert result == [
        ("l1", 1, None), ("l2", 2, "l1"), ("l3", 3, "l2"), ("l4", 4, "l3"),
        ("l5", 5, "l4"), ("l6", 5, "l5"), ("l7", 5, "l6"), ("l8", 5, "l7"),
        ("l5b", 5, "l4"),
    ]  # fmt: skip
    assert max(depth for _, depth, _ in result) == MAX_DEPTH


def test_the_deepest_level_holds_every_reply_below_in_date_order() -> None:
    chain = [c("l1", 1), c("l2", 2, "l1"), c("l3", 3, "l2"), c("l4", 4, "l3")]
    below = [c("a", 5, "l4"), c("b", 6, "l4"), c("a1", 7, "a"), c("b1", 8, "b"), c("a2", 9, "a1")]
    [top] = build_thread([*below, *chain])
    fourth = top.children[0].children[0].children[0]
    assert [(n.comment.id, n.parent.id if n.parent else None) for n in fourth.children] == [
        ("a", "l4"), ("b", "l4"), ("a1", "a"), ("b1", "b"), ("a2", "a1"),
    ]  # fmt: skip
    assert all(n.depth == MAX_DEPTH and n.children == () for n in fourth.children)


def test_no_node_is_deeper_than_the_limit_and_none_is_lost() -> None:
    comments = [c("root", 0)] + [c(f"n{i}", i, "root" if i < 3 else f"n{i - 2}") for i in range(1, 40)]
    for limit in (1, 2, 3, 5):
        nodes = list(walk(build_thread(comments, max_depth=limit)))
        assert sorted(n.comment.id for n in nodes) == sorted(x.id for x in comments)
        assert max(n.depth for n in nodes) == limit
        for node in nodes:
            assert all(child.depth == node.depth + 1 for child in node.children)


def test_a_reply_whose_parent_is_missing_goes_to_the_top() -> None:
    assert shape(build_thread([c("a", 1, "gone")])) == [("a", 1, None)]


def test_max_depth_must_be_positive() -> None:
    with pytest.raises(ValueError):
        build_thread([], max_depth=0)


# --- avatars ---------------------------------------------------------------

KEY = b"avatar-test-key-0123456789"


def test_the_same_hash_always_gives_the_same_avatar() -> None:
    one = email_hash("ann@example.com", KEY)
    assert avatar_for(one) == avatar_for(one)
    assert avatar_for(one) == avatar_for(email_hash("  ANN@example.com ", KEY))


def test_different_hashes_give_different_avatars() -> None:
    avatars = {avatar_for(email_hash(f"reader{i}@example.com", KEY)) for i in range(50)}
    assert len(avatars) >= 48


def test_avatars_are_mirrored_grids_with_valid_colours() -> None:
    for i in range(50):
        avatar = avatar_for(email_hash(f"reader{i}@example.com", KEY))
        cells = set(avatar.cells)
        assert cells and all(0 <= x < GRID and 0 <= y < GRID for x, y in cells)
        assert cells == {(GRID - 1 - x, y) for x, y in cells}
        assert re.fullmatch(r"#[0-9a-f]{6}", avatar.color) and re.fullmatch(
            r"#[0-9a-f]{6}", avatar.background
        )
        assert avatar.color != avatar.background and not avatar.placeholder


def test_the_avatar_does_not_carry_the_hash() -> None:
    value = email_hash("ann@example.com", KEY)
    digest = value.removeprefix("hmac-sha256:")
    text = repr(avatar_for(value))
    for start in range(0, len(digest) - 6, 2):
        assert digest[start : start + 6] not in text


def test_no_hash_gives_the_placeholder() -> None:
    assert avatar_for(None) is PLACEHOLDER and avatar_for("") is PLACEHOLDER
    assert PLACEHOLDER.placeholder


def test_avatar_path_fills_exactly_the_cells() -> None:
    from kb_engine.comments.avatar import cells_path

    assert cells_path(((0, 0), (1, 0), (4, 0), (2, 3))) == "M0 0h2v1h-2zM4 0h1v1h-1zM2 3h1v1h-1z"
    for i in range(20):
        avatar = avatar_for(email_hash(f"reader{i}@example.com", KEY))
        runs = re.findall(r"M(\d) (\d)h(\d)v1h-\3z", avatar.path)
        drawn = {(int(x) + k, int(y)) for x, y, n in runs for k in range(int(n))}
        assert drawn == set(avatar.cells)


def test_a_digest_with_no_cells_gets_the_centre_column() -> None:
    from kb_engine.comments.avatar import avatar_from_digest

    empty = avatar_from_digest(b"\x80\x00\x00\x00" + bytes(28))  # only bit 31 set: no cell
    assert empty.cells == ((2, 0), (2, 1), (2, 2), (2, 3), (2, 4))
    assert empty.path == "M2 0h1v1h-1zM2 1h1v1h-1zM2 2h1v1h-1zM2 3h1v1h-1zM2 4h1v1h-1z"
    full = avatar_from_digest(b"\xff" * 32)
    assert full.cells == tuple((x, y) for y in range(GRID) for x in range(GRID))
    assert full.path == "".join(f"M0 {y}h5v1h-5z" for y in range(GRID))
