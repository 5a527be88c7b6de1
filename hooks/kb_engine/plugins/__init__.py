"""The engine's features as MkDocs plugins, one module each (registered in pyproject.toml).

Each plugin is a thin class: its ``on_*`` methods hand MkDocs' objects to the
feature's own modules (``kb_engine.comments``, ``kb_engine.feeds``, ...), and its
typed ``Config`` is the feature's settings under ``plugins:`` in mkdocs.yml.
The order of their events against each other and against Material's plugins
is declared in one place, :mod:`kb_engine.plugins.order`.

=================  ==========================================================
``kb-site``        posts checked apart, one page per address, footer links
``kb-dates``       one date style everywhere (``format``)
``kb-git-dates``   a post's "Updated" date from git
``kb-comments``    readers' comments kept in git, their feeds
``kb-feeds``       RSS, Atom and JSON Feed of the posts
``kb-reply``       the Leave a Reply form and the intake's post list
``kb-trees``       decision-tree pages from data files, cross-linked
``kb-redirects``   old addresses kept working
``kb-latest-posts`` the home page's latest posts
``kb-link-cards``  every page's preview card (og:image)
``kb-search``      questions, vocabulary and steps in the search index
``kb-speed``       the build's speed-ups (``enabled: false`` turns them off)
``kb-blog``        Material's blog plugin in linear time (kb_engine.compat.fastblog)
=================  ==========================================================
"""
