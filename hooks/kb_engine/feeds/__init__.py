"""Feeds: one model (:mod:`kb_engine.feeds.model`) and one writer per format.

Pure modules: they take a :class:`~kb_engine.feeds.model.Feed` and return bytes, and
never import MkDocs. The posts feeds and the comment feeds both use them.
"""
