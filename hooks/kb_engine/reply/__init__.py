"""Leave a Reply: the comment form on posts.

The form posts to the intake service; the build writes the manifest of
published posts the service reads (:mod:`kb_engine.core.manifest`, below both),
and the form's field names are the core's (:mod:`kb_engine.core.fields`).
"""
