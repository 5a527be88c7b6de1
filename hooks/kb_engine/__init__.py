"""A knowledge-base and blog engine for MkDocs and Material for MkDocs (``mkdocs-kb-engine``).

- ``plugins/``: the features as MkDocs plugins (``kb-comments``, ``kb-feeds``,
  ``kb-trees``, ...), thin classes whose events hand MkDocs' objects to the
  feature packages below; their order is declared in ``plugins/order.py``.
- The features: ``comments/``, ``feeds/``, ``reply/``, ``trees/``,
  ``redirects/``, ``search/``, ``latest.py``, ``linkcards.py``,
  ``gitdates.py``, ``posts.py``... plain Python: functions take data and
  return data, and none keeps state between builds.
- ``core/``: what the build, ``check``, the intake, moderation and the
  WordPress import must agree on (settings readers, paths, ids, the address
  rule, the comment file, the posts manifest, dates).
- ``compat/``: every copy or patch of another library's internals, each
  pinned to the version it was written against (``kb-speed: enabled: false``
  turns them all off).
- ``intake/``, ``moderation/``, ``wordpress/``, ``preview/``, ``cli/``: the
  comment intake service and the commands (``kb-engine``).
- ``templates/``: the engine's templates, style sheets and scripts
  (kb_engine.theme); ``skeleton/``: the site ``kb-engine new-site`` writes.
"""
