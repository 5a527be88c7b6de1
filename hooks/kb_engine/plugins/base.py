"""What every engine plugin shares: typed settings, refused in one line per wrong field."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from mkdocs.config.base import Config, ValidationError
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from kb_engine.core.settings import config_path_name
from kb_engine.theme import use_engine_theme

if TYPE_CHECKING:
    from mkdocs.config.base import ConfigErrors, ConfigWarnings
    from mkdocs.config.defaults import MkDocsConfig

C = TypeVar("C", bound=Config)


class FeaturePlugin(BasePlugin, Generic[C]):  # type: ignore[type-arg,no-untyped-call]  # BasePlugin[X] makes a subclass
    """A plugin of the engine, named ``name`` in mkdocs.yml.

    MkDocs warns of an unknown setting, and reports a wrong one without its
    file, before any plugin runs. Here both are problems of the same form as
    every other message of the engine (``mkdocs.yml: plugins.kb-feeds.limit:
    must be at least 1, got 0``): kept by :meth:`load_config`, they stop the
    build in the first engine plugin's ``on_config`` (:func:`start`), all at
    once, one line each, with or without ``--strict``; ``check`` reports
    them beside everything else it finds (:func:`settings_problems`).
    """

    name: ClassVar[str]
    config: C
    problems: list[str]

    def load_config(
        self, options: dict[str, Any], config_file_path: str | None = None
    ) -> tuple[ConfigErrors, ConfigWarnings]:
        errors, warnings = super().load_config(options, config_file_path)
        errors = [*errors, *self._after_the_first_error(errors)]
        known = set(self.config._schema_keys)
        unknown = [(key, message) for key, message in warnings if key not in known]
        where = f"{config_path_name(config_file_path)}: plugins.{self.name}"
        self.problems = [f"{where}.{key}: {message}" for key, message in [*errors, *unknown]]
        return [], [w for w in warnings if w not in unknown]

    def _after_the_first_error(self, errors: ConfigErrors) -> ConfigErrors:
        """MkDocs stops validating at the first wrong setting; the ones after it are validated here
        too, each on its own, so that every wrong setting is its own line."""
        more: ConfigErrors = []
        failed = {key for key, _ in errors}
        after = False
        for key, option in self.config._schema:
            if key in failed:
                after = True
            elif after:
                try:
                    self.config[key] = option.validate(self.config.get(key))
                except ValidationError as error:
                    more.append((key, error))
        return more


def settings_problems(config: MkDocsConfig) -> list[str]:
    """The wrong settings of every engine plugin of ``config``, one line each."""
    return [problem for plugin in config.plugins.values() if isinstance(plugin, FeaturePlugin)
            for problem in getattr(plugin, "problems", ())]


def start(config: MkDocsConfig, *, theme: bool = True) -> None:
    """What every engine plugin does first in ``on_config``: stop on any wrong setting of any
    engine plugin (so none runs with another's bad value), and put the engine's templates on the
    theme's path (``theme=False``: a plugin that shows nothing of its own, so that it changes no
    page of a site that uses it without the engine's other plugins)."""
    problems = settings_problems(config)
    if problems:
        raise PluginError("\n".join(problems))
    if theme:
        use_engine_theme(config)


class NoSettings(Config):  # type: ignore[no-untyped-call]  # mkdocs leaves this untyped
    """A feature with nothing to set."""
