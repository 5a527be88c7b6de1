"""What every engine plugin shares: typed settings, refused in one line per wrong field."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from mkdocs.config.base import Config, ValidationError
from mkdocs.plugins import BasePlugin

from kb_engine.settings import config_path_name

if TYPE_CHECKING:
    from mkdocs.config.base import ConfigErrors, ConfigWarnings

C = TypeVar("C", bound=Config)


class FeaturePlugin(BasePlugin, Generic[C]):  # type: ignore[type-arg,no-untyped-call]  # BasePlugin[X] makes a subclass
    """A plugin of the engine, named ``name`` in mkdocs.yml.

    MkDocs warns of an unknown setting and names a wrong one without its
    file; here both are errors, one line each, in the form every other
    message of the engine has (``mkdocs.yml: plugins.kb-feeds.limit: ...``),
    so a typo stops the build with or without ``--strict``, and ``check``
    (which loads the config the same way) reports it too.
    """

    name: ClassVar[str]
    config: C

    def load_config(
        self, options: dict[str, Any], config_file_path: str | None = None
    ) -> tuple[ConfigErrors, ConfigWarnings]:
        errors, warnings = super().load_config(options, config_file_path)
        known = set(self.config._schema_keys)
        unknown = [(key, message) for key, message in warnings if key not in known]
        wrong = [*errors, *unknown]
        if wrong:
            where = f"{config_path_name(config_file_path)}: plugins.{self.name}"
            raise ValidationError("\n".join(f"{where}.{key}: {message}" for key, message in wrong))
        return [], [w for w in warnings if w not in unknown]


class NoSettings(Config):  # type: ignore[no-untyped-call]  # mkdocs leaves this untyped
    """A feature with nothing to set."""
