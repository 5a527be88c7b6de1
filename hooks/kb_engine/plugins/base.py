"""What every engine plugin shares: typed settings where an unknown key is an error."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar

from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin

if TYPE_CHECKING:
    from mkdocs.config.base import ConfigErrors, ConfigWarnings

C = TypeVar("C", bound=Config)


class FeaturePlugin(BasePlugin, Generic[C]):  # type: ignore[type-arg]  # MkDocs makes BasePlugin[X] a subclass
    config: C
    """A plugin of the engine. MkDocs warns of an unknown setting; here it is an error, so a typo
    in a setting stops the build (with or without ``--strict``) instead of passing unnoticed."""

    def load_config(
        self, options: dict[str, Any], config_file_path: str | None = None
    ) -> tuple[ConfigErrors, ConfigWarnings]:
        errors, warnings = super().load_config(options, config_file_path)
        known = set(self.config._schema_keys)
        unknown = [(key, message) for key, message in warnings if key not in known]
        return [*errors, *unknown], [w for w in warnings if w not in unknown]


class NoSettings(Config):  # type: ignore[no-untyped-call]  # mkdocs leaves this untyped
    """A feature with nothing to set."""

