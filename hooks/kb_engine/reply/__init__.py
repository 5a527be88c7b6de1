"""Leave a Reply: the comment form on posts and the manifest of published posts.

The form posts to the intake service (:mod:`kb_engine.intake`); the manifest tells
that service which posts exist on the published site and where they live.
"""
