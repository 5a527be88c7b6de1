"""The preview's configuration and its one build function.

The preview is the site as ``mkdocs serve`` would build it (drafts shown, the
address of the preview as ``site_url``) plus a working comment form: the
form posts to ``<origin>/comment`` on the same server. A published build
(``python3 dev.py build``) never goes through this module.

Like ``mkdocs serve``, the configuration is loaded afresh for each rebuild,
while MkDocs keeps the plugin instances across loads (``Plugins.plugin_cache``
lives on the config schema, and hooks are loaded once per process), so a
plugin can keep caches from one rebuild to the next.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.plugins import get_plugin_logger

from kb_engine.compat import usable
from kb_engine.compat.incremental import BuildCache
from kb_engine.compat.incremental import build_site as incremental_build

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

INTAKE_PATH = "/comment"  # where the form posts, on the preview's own origin
log = get_plugin_logger("kb-preview")


def mount_path(site_url: str | None) -> str:
    """The path the site lives under (``/`` or ``/docs/``), from the configured ``site_url``."""
    path = urlsplit(site_url or "/").path or "/"
    return ("/" + path.strip("/") + "/").replace("//", "/")


def load_preview_config(config_file: Path, origin: str) -> MkDocsConfig:
    """``mkdocs.yml`` with the preview's settings: served from ``origin`` (``http://host:port``).

    ``site_url`` keeps the configured site's path under the preview's origin,
    as ``mkdocs serve`` does, and ``plugins.kb-reply.intake_url`` is the preview's
    own intake endpoint, whatever the file says.
    """
    config = load_config(str(config_file))
    config.site_url = origin.rstrip("/") + mount_path(config.site_url)  # as `mkdocs serve` does
    reply = config.plugins.get("kb-reply")
    if reply is not None:
        reply.config.intake_url = origin.rstrip("/") + INTAKE_PATH
    return config


def start_serving(config: MkDocsConfig) -> None:
    """Tell the plugins this process serves a preview (drafts shown, as under ``mkdocs serve``).

    Called once per process, with the first configuration: MkDocs keeps the
    plugin instances for the later ones.
    """
    config.plugins.on_startup(command="serve", dirty=False)


def build_site(config: MkDocsConfig, out_dir: Path, cache: BuildCache | None = None) -> None:
    """Build the whole site into ``out_dir`` (an empty folder): every rebuild of the preview.

    With ``cache`` (one per running preview, kept across rebuilds) the build
    is incremental (:mod:`kb_engine.compat.incremental`): what cannot have changed since
    the last build is taken from it and from that build's folder, which must
    still exist; the files are those of a fresh build, byte for byte.
    Without it, MkDocs' own build. Raises what MkDocs raises for a failed build.
    """
    config.site_dir = str(out_dir)
    usable("livereload", log, "the preview's pages do not reload themselves after a rebuild")
    if cache is None:
        build(config, serve_url=config.site_url)
    else:
        incremental_build(config, out_dir, cache, serve_url=config.site_url)
