"""Line-based edits of hand-written YAML files: add entries, keep everything else.

``mkdocs.yml`` and ``docs/blog/.authors.yml`` are written by people, with
comments and a layout of their own. Loading and dumping them would lose
both, so new entries are inserted as lines next to the existing ones and the
result is read back to prove it says what was meant. Each function returns
the new text, or raises :class:`EditError` saying what to do by hand.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import yaml


class EditError(Exception):
    """The file cannot be edited safely; the message says what to change by hand."""


def _scalar(value: str) -> str:
    """``value`` as one YAML scalar, quoted only when it must be."""
    dumped = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000)
    return dumped.removesuffix("\n...\n").removesuffix("\n").strip()


class _AnyTagLoader(yaml.SafeLoader):
    """SafeLoader that reads MkDocs' tags (``!ENV``, ``!relative``, python names) as plain values."""


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_AnyTagLoader.add_multi_constructor("!", _any_tag)
_AnyTagLoader.add_multi_constructor("tag:yaml.org,2002:python/", _any_tag)


def load_config_text(text: str) -> Any:
    return yaml.load(text, Loader=_AnyTagLoader)  # noqa: S506 - a SafeLoader subclass


def _find_key(lines: list[str], key: str) -> list[int]:
    pattern = re.compile(rf"^(\s*)(?:-\s+)?{re.escape(key)}\s*:(.*)$")
    return [number for number, line in enumerate(lines) if pattern.match(line)]


def _blog_categories(data: Any) -> list[str] | None:
    for plugin in (data or {}).get("plugins") or []:
        if isinstance(plugin, dict):
            for options in plugin.values():
                if isinstance(options, dict) and "categories_allowed" in options:
                    allowed = options["categories_allowed"]
                    return list(allowed) if isinstance(allowed, list) else None
    return None


def add_categories(text: str, names: Sequence[str], file: str = "mkdocs.yml") -> str:
    """``text`` with ``names`` appended to the blog's ``categories_allowed`` list."""
    if not names:
        return text
    before = _blog_categories(load_config_text(text))
    found = _find_key(text.splitlines(), "categories_allowed")
    if before is None or len(found) != 1:
        raise EditError(
            f"{file}: cannot find one `categories_allowed:` list of the blog plugin; add these "
            f"categories to it by hand: {', '.join(names)}"
        )
    lines = text.splitlines(keepends=True)
    start = found[0]
    head = lines[start]
    key_indent = len(head) - len(head.lstrip())
    value = head.split(":", 1)[1].strip()
    if value.startswith("["):  # a flow list on one line: rewrite it as a block list
        items_indent = key_indent + 2
        block = [" " * items_indent + f"- {_scalar(name)}\n" for name in [*before, *names]]
        newline = "\n" if head.endswith("\n") else ""
        lines[start : start + 1] = [head.split(":", 1)[0] + ":" + newline, *block]
    elif value and not value.startswith("#"):
        raise EditError(
            f"{file}:{start + 1}: `categories_allowed` is not a list; add {', '.join(names)} by hand"
        )
    else:
        end = start + 1
        item_indent: int | None = None
        last_item = start
        while end < len(lines):
            line = lines[end]
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                end += 1
                continue
            indent = len(line) - len(line.lstrip())
            if stripped.startswith("- ") or stripped == "-":
                if item_indent is None:
                    item_indent = indent
                if indent != item_indent or indent < key_indent:
                    break
                last_item = end
                end += 1
                continue
            if item_indent is not None and indent > item_indent:  # a continued item
                last_item = end
                end += 1
                continue
            break
        indent_text = " " * (item_indent if item_indent is not None else key_indent + 2)
        new = [f"{indent_text}- {_scalar(name)}\n" for name in names]
        if not lines[last_item].endswith("\n"):
            lines[last_item] += "\n"
        lines[last_item + 1 : last_item + 1] = new
    result = "".join(lines)
    after = _blog_categories(load_config_text(result))
    if after != [*before, *names]:
        raise EditError(
            f"{file}: could not add the categories safely; add them to `categories_allowed` by "
            f"hand: {', '.join(names)}"
        )
    return result


def add_pattern(text: str, key: str, pattern: str, comment: str, file: str = "mkdocs.yml") -> str:
    """``text`` with ``pattern`` in the top-level ``key`` (``not_in_nav``, ``draft_docs``: gitignore-style
    lines in a ``|`` block)."""
    data = load_config_text(text) or {}
    current = data.get(key)
    if isinstance(current, str) and pattern in current.split("\n"):
        return text
    lines = text.splitlines(keepends=True)
    found = [n for n in _find_key(lines, key) if not lines[n][0].isspace()]
    if current is None and not found:
        tail = "" if text.endswith("\n") or not text else "\n"
        return f"{text}{tail}\n# {comment}\n{key}: |\n  {pattern}\n"
    if len(found) == 1 and lines[found[0]].split(":", 1)[1].strip().startswith("|"):
        lines.insert(found[0] + 1, f"  {pattern}\n")
        result = "".join(lines)
        new = load_config_text(result).get(key)
        if isinstance(new, str) and pattern in new.split("\n"):
            return result
    raise EditError(f"{file}: add `{pattern}` to `{key}` by hand")


def remove_pattern(text: str, key: str, pattern: str) -> str:
    """``text`` without the line ``pattern`` in the top-level ``|`` block ``key`` (unchanged if absent)."""
    current = (load_config_text(text) or {}).get(key)
    if not isinstance(current, str) or pattern not in current.split("\n"):
        return text
    lines = text.splitlines(keepends=True)
    found = [n for n in _find_key(lines, key) if not lines[n][0].isspace()]
    if len(found) != 1:
        return text
    for number in range(found[0] + 1, len(lines)):
        if lines[number].strip() == pattern and lines[number][0].isspace():
            result = "".join(lines[:number] + lines[number + 1 :])
            if not ((load_config_text(result) or {}).get(key) or "").strip():  # the block is empty now
                result = "".join(lines[: found[0]] + lines[number + 1 :])
            return result
        if lines[number].strip() and not lines[number][0].isspace():
            break
    return text


def add_authors(text: str, entries: Sequence[tuple[str, dict[str, str]]], file: str) -> str:
    """The authors file with ``(id, {name, description, avatar})`` entries added to ``authors:``."""
    if not entries:
        return text
    data = yaml.safe_load(text) if text.strip() else None
    authors = data.get("authors") if isinstance(data, dict) else None
    if text.strip() and not isinstance(authors, dict):
        raise EditError(f"{file}: expected a top-level `authors:` mapping; add the authors by hand")
    lines = text.splitlines(keepends=True)
    if not text.strip():
        lines = ["authors:\n"]
        start = 0
    else:
        top = [n for n, line in enumerate(lines) if re.match(r"^authors\s*:\s*(#.*)?$", line)]
        if len(top) != 1:
            raise EditError(f"{file}: cannot find the `authors:` line; add the authors by hand")
        start = top[0]
    end = start + 1
    last = start
    while end < len(lines):
        line = lines[end]
        if line.strip() and not line.lstrip().startswith("#") and not line[0].isspace():
            break
        if line.strip() and not line.lstrip().startswith("#"):
            last = end
        end += 1
    indent = "  "
    for number in range(start + 1, end):
        line = lines[number]
        if line.strip() and not line.lstrip().startswith("#"):
            indent = line[: len(line) - len(line.lstrip())]
            break
    new: list[str] = []
    for author_id, fields in entries:
        new.append(f"{indent}{_scalar(author_id)}:\n")
        for key, value in fields.items():
            new.append(f"{indent}  {key}: {_scalar(value)}\n")
    if not lines[last].endswith("\n"):
        lines[last] += "\n"
    lines[last + 1 : last + 1] = new
    result = "".join(lines)
    check = yaml.safe_load(result)
    expected = dict(authors or {})
    expected.update({author_id: fields for author_id, fields in entries})
    if not isinstance(check, dict) or check.get("authors") != expected:
        raise EditError(f"{file}: could not add the authors safely; add them by hand")
    return result
