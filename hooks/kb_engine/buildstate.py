"""Per-build state for hooks, kept on the MkDocs config object.

Hook modules are loaded once per process and kept across ``mkdocs serve``
rebuilds, so any state kept in a module would leak from one build into the
next. MkDocs makes a new config object for every build, so state kept on it
lives exactly as long as one build. Hooks create their state in
``on_config`` with :func:`start` and read it later with :func:`get`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

T = TypeVar("T")

_PREFIX = "_kb_state_"


def start(config: MkDocsConfig, name: str, state: T) -> T:
    """Store fresh ``state`` for this build under ``name`` and return it."""
    config[_PREFIX + name] = state
    return state


def get(config: MkDocsConfig, name: str, kind: type[T]) -> T:
    """The state stored by :func:`start` for this build."""
    state = config.get(_PREFIX + name)
    if not isinstance(state, kind):
        raise RuntimeError(f"no {kind.__name__} for this build: was on_config skipped?")
    return state


def get_optional(config: MkDocsConfig, name: str, kind: type[T]) -> T | None:
    """The state stored under ``name`` for this build, or None if no hook made it.

    For one feature reading another's state when that feature may be off.
    """
    state = config.get(_PREFIX + name)
    return state if isinstance(state, kind) else None
