"""Decision trees: YAML data files turned into pages at build time.

- :mod:`kb.trees.model`: the tree as data, parsed and validated from YAML.
- :mod:`kb.trees.links`: ``read_next`` citations checked against the site's pages and anchors.
- :mod:`kb.trees.walk`: the step-by-step walk and the outline, as plain data for templates.
- :mod:`kb.trees.labels`: the diagram's label rule (wrapping, maximum), shared by validation and layout.
- :mod:`kb.trees.layout`: the overview diagram, laid out by igraph's Sugiyama layout.
- :mod:`kb.trees.embed`: ``<!-- kb:tree ID -->`` markers that place a walk inside any page.
- :mod:`kb.trees.backlinks`: which nodes cite which page.
- :mod:`kb.trees.export`: the machine-readable JSON copy and the page's Markdown.
- :mod:`kb.trees.site`: the one module that reads MkDocs objects (files, pages).
"""
