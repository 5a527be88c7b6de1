"""The folders the engine's gates agree on, each resolved in one place.

- Comment files: ``plugins.kb-comments.directory`` (relative to mkdocs.yml).
  Every reader and writer of comment files asks this module: the build and
  ``check`` (through the loaded MkDocs config), the WordPress importer, and
  the two writers that run without loading the site's plugins, ``moderate
  approve`` and the intake's git delivery (through the text of ``mkdocs.yml``,
  from the working tree or from the branch the comment is pushed on top of).
- Decision trees: ``plugins.kb-trees.folder`` (relative to ``docs_dir``): the
  trees' build, ``check``, and the search (a tree's steps, the knowledge
  folders) read it here.
- Caches kept between builds (``plugins.kb-link-cards.cache_dir``,
  ``plugins.kb-speed.template_cache``): relative to mkdocs.yml and never
  inside the docs folder (:func:`cache_folder`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError
from mkdocs.exceptions import PluginError

from kb_engine.core.configtext import (
    CONFIG_FILE,
    ConfigTextError,
    parse_config_text,
    plugin_setting,
    read_project_config,
)
from kb_engine.core.settings import config_file_name

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

DEFAULT_DIRECTORY = "comments"
PLUGIN = "kb-comments"
DEFAULT_TREES_FOLDER = "decisions"
TREES_PLUGIN = "kb-trees"


class CommentsDirectoryError(ValueError):
    """``plugins.kb-comments.directory`` is not a folder inside the project; the message is one line."""


def directory_problem(
    value: object, inside: str = "the project", relative_to: str = CONFIG_FILE
) -> str | None:
    """What is wrong with a folder setting, or None: a relative folder inside ``inside``."""
    if not isinstance(value, str) or not value.strip():
        return f"expected a folder name relative to {relative_to}, got {value!r}"
    path = PurePosixPath(value.replace("\\", "/"))
    if path.is_absolute() or value[1:2] == ":" or ".." in path.parts or path == PurePosixPath("."):
        return f"'{value}' must be a folder inside {inside} (relative to {relative_to}, no '..')"
    return None


def trees_folder_problem(value: object) -> str | None:
    """What is wrong with ``plugins.kb-trees.folder``, or None: a folder inside docs_dir."""
    return directory_problem(value, "the docs folder", "docs_dir")


def normalized(value: str) -> str:
    """``value`` as a POSIX path without ``./`` or a trailing slash (checked by :func:`directory_problem`)."""
    return PurePosixPath(value.replace("\\", "/")).as_posix()


@dataclass(frozen=True)
class Folder:
    """A plugin's folder setting, read the same way from a loaded config and from mkdocs.yml as data."""

    plugin: str
    field: str
    default: str
    problem: Callable[[object], str | None]
    error: type[ValueError]  # raised by of_data, with one line naming the file and the setting

    @property
    def setting(self) -> str:
        return f"plugins.{self.plugin}.{self.field}"

    def of_config(self, config: MkDocsConfig) -> str:
        """The folder, normalised (the plugin's validated setting, or the default without the plugin)."""
        plugin = config.plugins.get(self.plugin) if config.plugins else None
        value = getattr(getattr(plugin, "config", None), self.field, None)
        return self._checked(self.default if value is None else value, config_file_name(config), PluginError)

    def of_data(self, data: dict[str, Any], where: str = CONFIG_FILE) -> str:
        """The folder from mkdocs.yml read as data (:mod:`kb_engine.core.configtext`)."""
        value = plugin_setting(data, self.plugin, self.field)
        return self._checked(self.default if value is None else value, where, self.error)

    def _checked(self, value: object, where: str, error: type[Exception]) -> str:
        problem = self.problem(value)
        if problem:
            raise error(f"{where}: {self.setting}: {problem}")
        assert isinstance(value, str)
        return normalized(value)


COMMENTS_FOLDER = Folder(PLUGIN, "directory", DEFAULT_DIRECTORY, directory_problem, CommentsDirectoryError)
TREES_FOLDER = Folder(TREES_PLUGIN, "folder", DEFAULT_TREES_FOLDER, trees_folder_problem, ValueError)


class FolderSetting(c.Type[str]):
    """A plugin's folder setting (kb-comments' ``directory``, kb-trees' ``folder``), by its rule here."""

    def __init__(self, default: str, problem: Callable[[object], str | None]) -> None:
        super().__init__(str, default=default)
        self.problem = problem

    def run_validation(self, value: object) -> str:
        folder = super().run_validation(value)
        problem = self.problem(folder)
        if problem:
            raise ValidationError(problem)
        return normalized(folder)


def comments_directory(config: MkDocsConfig) -> Path:
    """The comments folder of a loaded site (absolute); a bad value stops with one line.

    The comments plugin's ``directory`` (validated by MkDocs with the plugin's
    settings); the default when the site does not use the plugin.
    """
    folder = COMMENTS_FOLDER.of_config(config)
    # The folder of mkdocs.yml, as kb_engine.blogsource.project_dir has it (which this module,
    # imported by the post rules below kb_engine.blogsource, cannot import).
    return Path(os.path.dirname(os.path.abspath(config.config_file_path or CONFIG_FILE))) / folder


def directory_in_config(data: dict[str, Any], where: str = CONFIG_FILE) -> str:
    """``plugins.kb-comments.directory`` of mkdocs.yml read as data (:mod:`kb_engine.core.configtext`)."""
    return COMMENTS_FOLDER.of_data(data, where)


def directory_in_config_text(text: str | None, where: str = CONFIG_FILE) -> str:
    """``plugins.kb-comments.directory`` from the text of mkdocs.yml (None: no such file, the default)."""
    if text is None:
        return DEFAULT_DIRECTORY
    try:
        return directory_in_config(parse_config_text(text, where), where)
    except ConfigTextError as error:
        raise CommentsDirectoryError(str(error)) from None


def repository_comments_directory(repo: Path) -> str:
    """``plugins.kb-comments.directory`` of the project checked out at ``repo`` (relative to it)."""
    try:
        data, where = read_project_config(repo)
    except ConfigTextError as error:
        raise CommentsDirectoryError(str(error)) from None
    return directory_in_config(data, where)


def trees_folder(config: MkDocsConfig) -> str:
    """The decision trees' folder of a loaded site, relative to docs_dir (POSIX).

    A bad value stops with one line.

    The trees plugin's ``folder`` (validated by MkDocs with the plugin's settings);
    the default when the site does not use the plugin.
    """
    return TREES_FOLDER.of_config(config)


def trees_folder_in_config(data: dict[str, Any], where: str = CONFIG_FILE) -> str:
    """``plugins.kb-trees.folder`` of mkdocs.yml read as data (:mod:`kb_engine.core.configtext`)."""
    return TREES_FOLDER.of_data(data, where)


def cache_folder(config: MkDocsConfig, setting: str, value: str, example: str) -> Path:
    """A cache folder setting resolved against mkdocs.yml's folder; one line if it is inside the docs folder.

    ``setting`` names it in the message (``plugins.kb-speed.template_cache``), ``example`` is a good value.
    """
    project = Path(os.path.dirname(os.path.abspath(config.config_file_path or CONFIG_FILE)))
    folder = (project / value).resolve()
    if folder.is_relative_to(Path(config.docs_dir).resolve()):
        raise PluginError(f"{config_file_name(config)}: {setting}: '{value}' is inside the docs folder; keep the "
                          f"cache outside it (e.g. {example})")
    return folder
