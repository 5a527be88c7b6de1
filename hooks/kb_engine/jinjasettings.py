"""What a compiled Jinja template depends on besides its name and source: one list for every cache of them.

Jinja's bytecode cache keys a template by its name, file and source only, but
the code it compiles also depends on the environment's syntax, whitespace
handling, extensions, autoescaping, finalizer and async mode, and on Jinja's
version. Both caches of compiled templates (``kb-speed``'s ``template_cache``
folder, and the preview's in-memory one in
:mod:`kb_engine.compat.incremental.cache`) key by :func:`compile_settings`, so
environments set up differently keep their templates apart.
"""

from __future__ import annotations

from typing import Any

import jinja2


def compile_settings(env: jinja2.Environment) -> tuple[Any, ...]:
    """Everything besides a template's source that the code Jinja compiles for it depends on."""
    return (
        jinja2.__version__, sorted(env.extensions), env.block_start_string, env.block_end_string,
        env.variable_start_string, env.variable_end_string, env.comment_start_string, env.comment_end_string,
        env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks,
        env.newline_sequence, env.keep_trailing_newline, env.optimized, autoescape_setting(env.autoescape),
        env.undefined.__qualname__, env.finalize is None, env.is_async,
    )


def autoescape_setting(setting: Any) -> object:
    """Jinja's autoescape setting as a value: a bool, or a function by its code and closure.

    (Not by the function object, whose ``repr`` names its address: two environments
    made alike, in two processes, must give the same value.)
    """
    if isinstance(setting, bool):
        return setting
    cells = tuple(cell.cell_contents for cell in getattr(setting, "__closure__", None) or ())
    return (getattr(setting, "__module__", None), getattr(setting, "__qualname__", None), repr(cells))
