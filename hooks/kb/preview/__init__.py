"""``python3 dev.py serve``: the site's preview server.

Builds the site with the preview's settings (kb.preview.site), serves the
last complete build while the next one runs (kb.preview.builds,
kb.preview.app), rebuilds when a source changes (kb.preview.watch) and takes
comments on the same origin through the intake service mounted in-process
(kb.preview.intake). The command line is kb.preview.__main__.
"""
