"""``python3 dev.py serve``: the site's preview server.

Builds the site with the preview's settings (kb_engine.preview.site), serves the
last complete build while the next one runs (kb_engine.preview.builds,
kb_engine.preview.app), rebuilds when a source changes (kb_engine.preview.watch) and takes
comments on the same origin through the intake service mounted in-process
(kb_engine.preview.intake). The command line is kb_engine.preview.__main__.
"""
