"""mkdocs.yml read as plain data by the tools that do not build the site.

``moderate`` and the intake's git delivery need two settings of the project
(the comments plugin's ``directory``, the dates plugin's ``format`` with ``theme.language``)
without loading MkDocs' plugins. They read the file's text with the same
guarded loader the content check uses on it (:func:`kb_engine.yamlfile.load_config_text`:
tags such as ``!!python/name:`` and ``!ENV`` read as null instead of run; a
control character, a huge number or deep nesting one line, never a
traceback); each setting is then checked by the rule its feature owns.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kb_engine.yamlfile import YAMLProblem, is_guard_problem, load_config_text

CONFIG_FILE = "mkdocs.yml"


class ConfigTextError(ValueError):
    """mkdocs.yml cannot be read; the message is one line naming the file (and line)."""


def parse_config_text(text: str, where: str = CONFIG_FILE) -> dict[str, Any]:
    """The top-level mapping of mkdocs.yml's text (empty when it is not a mapping)."""
    try:
        data: Any = load_config_text(text, where)
    except YAMLProblem as error:
        found = error.problem
        if is_guard_problem(found):  # a control character, a huge number, deep nesting
            raise ConfigTextError(str(found)) from None
        line = f":{found.line}" if found.line else ""
        raise ConfigTextError(f"{where}{line}: cannot read it as YAML") from None
    return data if isinstance(data, dict) else {}


def read_project_config(repo: Path) -> tuple[dict[str, Any], str]:
    """``repo``'s mkdocs.yml as data, and its name for messages (no file: empty)."""
    config = repo / CONFIG_FILE
    try:
        text = config.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return {}, str(config)
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigTextError(f"{config}: cannot read it ({error})") from None
    return parse_config_text(text, str(config)), str(config)


def section(data: dict[str, Any], *keys: str) -> Any:
    """``data[keys[0]][keys[1]]...``, or None where a level is missing or not a mapping."""
    value: Any = data
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def plugin_setting(data: dict[str, Any], plugin: str, field: str) -> Any:
    """``field`` of ``plugin``'s settings in mkdocs.yml's ``plugins:`` (a list or a mapping), or None."""
    plugins = data.get("plugins")
    entries: list[Any] = list(plugins.items()) if isinstance(plugins, dict) else (
        plugins if isinstance(plugins, list) else [])
    for entry in entries:
        if isinstance(entry, tuple):
            name, options = entry
        elif isinstance(entry, dict) and len(entry) == 1:
            name, options = next(iter(entry.items()))
        else:
            continue
        if name == plugin:
            return options.get(field) if isinstance(options, dict) else None
    return None
