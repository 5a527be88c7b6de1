"""What the build, ``check``, the intake, moderation and the WordPress import must agree on.

Every gate imports these modules; none of them imports a feature, the
intake or a command (``tests/engine/test_layering.py`` holds the rule):

- :mod:`~kb_engine.core.settings`: a feature's typed settings from the loaded config;
- :mod:`~kb_engine.core.configtext`: the same settings from mkdocs.yml read as data,
  for the tools that do not load MkDocs (``moderate``, the intake's git delivery);
- :mod:`~kb_engine.core.paths`: the comments folder and the decision-trees folder;
- :mod:`~kb_engine.core.ids`: comment and post ids;
- :mod:`~kb_engine.core.urls`: the one rule for an http(s) address;
- :mod:`~kb_engine.core.fields`: the comment form's field names (the form the
  build renders, the intake that reads it);
- :mod:`~kb_engine.core.manifest`: the posts manifest the build writes and the intake reads;
- :mod:`~kb_engine.core.dates`: the site's one date style (``plugins.kb-dates``);
- :mod:`~kb_engine.core.atomic`: crash-safe file writes.
"""
