"""Settings of the redirects: ``plugins.kb-redirects`` in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class RedirectSettings(base.Config):  # type: ignore[no-untyped-call]
    """``plugins.kb-redirects``; every key is optional."""

    # Also write site/_redirects (Netlify, and hosts that read its format):
    # real 301s for every old path, and the ?p= / ?page_id= rules.
    netlify = c.Type(bool, default=False)
    # Old addresses of pages the build makes (archives, feeds): `/old/path/: new/address/` lines,
    # in this file beside mkdocs.yml (the WordPress import writes it). No file, no such redirects.
    table = c.Type(str, default="redirects.yml")
