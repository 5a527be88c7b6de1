"""Which tags Material's tags plugin knows from the last build, read from its private mappings.

For the preview's page shown on its own (:mod:`kb_engine.compat.incremental.quick`): a
page's tags link to the tags page's listing, which the build fills in
``on_env`` from every page's tags, so a page is shown on its own only with
tags some other page of the last build has. They are read from the plugin's
``mappings`` and put through its own ``MappingManager._configure`` (Material
9.8.2's); under another version of Material the page waits for the rebuild.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from material.plugins.tags.plugin import TagsPlugin

from kb_engine.compat import mismatches

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page


def tags_known(config: MkDocsConfig, page: Page, changed: dict[str, Any]) -> bool:
    """Whether the page's new tags link as they would in a whole build (see the module's docstring)."""
    if "tags" not in changed:
        return True
    for plugin in config.plugins.values():
        if not isinstance(plugin, TagsPlugin) or not plugin.config.enabled:
            continue
        if mismatches("tags"):
            return False  # the preview's rebuild shows it
        name = plugin.config.tags_name_property
        if name != "tags":
            return False
        tags = changed["tags"]
        if not isinstance(tags, list) or not tags:
            return False  # no tags: the plugin keeps the page's last mapping (it only adds)
        others = {tag.name for mapping in plugin.mappings for tag in mapping.tags if mapping.item is not page}
        try:
            wanted = {plugin.mappings._configure(tag).name for tag in plugin.mappings.format.validate(tags)}
        except Exception:  # the rebuild reports it
            return False
        if not wanted <= others:
            return False
    return True
