"""MkDocs' live-reload script, put by the preview into every page it serves.

The script is MkDocs' own (``mkdocs.livereload._SCRIPT_TEMPLATE``, a private
name of MkDocs 1.6.1): it asks ``/livereload/<epoch>/<id>`` and reloads the
page when the answer is a newer epoch, which the preview's server answers
(:mod:`kb_engine.preview.app`). Under another version of MkDocs the preview
warns at each build (:func:`kb_engine.preview.site.build_site`) and serves
its pages without it: a reader reloads by hand.
"""

from __future__ import annotations

from kb_engine.compat import mismatches


def live_reload_script(epoch: int, request_id: int) -> str | None:
    """MkDocs' script for a page of build ``epoch``; None under another version of MkDocs."""
    if mismatches("livereload"):
        return None
    from mkdocs.livereload import _SCRIPT_TEMPLATE

    return str(_SCRIPT_TEMPLATE.substitute(epoch=epoch, request_id=request_id))
