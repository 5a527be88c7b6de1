"""``plugins.kb-trees`` in mkdocs.yml: where the decision trees are."""

from __future__ import annotations

from mkdocs.config.base import Config

from kb_engine.core.paths import DEFAULT_TREES_FOLDER, FolderSetting, trees_folder_problem


class TreesSettings(Config):  # type: ignore[no-untyped-call]  # mkdocs leaves this untyped
    """``plugins.kb-trees``; every key is optional."""

    # The folder of decision-tree files (<id>.yml), relative to docs_dir; each
    # tree's page is made at <folder>/<id>/ (the rule in kb_engine.core.paths).
    folder = FolderSetting(DEFAULT_TREES_FOLDER, trees_folder_problem)
