"""Decision trees: YAML data files turned into pages at build time.

- :mod:`kb.trees.model`: the tree as data, parsed and validated from YAML.
- :mod:`kb.trees.links`: ``read_next`` citations checked against the site's pages and anchors.
- :mod:`kb.trees.walk`: the step-by-step walk and the outline, as plain data for templates.
- :mod:`kb.trees.layout`: positions for the overview diagram (pure geometry).
- :mod:`kb.trees.backlinks`: which nodes cite which page.
- :mod:`kb.trees.export`: the machine-readable JSON copy and the page's Markdown.
- :mod:`kb.trees.site`: the one module that reads MkDocs objects (files, pages).
"""
