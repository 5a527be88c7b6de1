"""Decision trees: YAML data files turned into pages at build time.

- :mod:`kb_engine.trees.model`: the tree as data, parsed and validated from YAML.
- :mod:`kb_engine.trees.links`: ``read_next`` citations checked against the site's pages and anchors.
- :mod:`kb_engine.trees.walk`: the step-by-step walk and the outline, as plain data for templates.
- :mod:`kb_engine.trees.labels`: the diagram's label rule (wrapping, maximum), shared by validation and layout.
- :mod:`kb_engine.trees.layout`: the overview diagram, laid out by igraph's Sugiyama layout.
- :mod:`kb_engine.trees.embed`: ``<!-- kb:tree ID -->`` markers that place a walk inside any page.
- :mod:`kb_engine.trees.backlinks`: which nodes cite which page.
- :mod:`kb_engine.trees.export`: the machine-readable JSON copy and the page's Markdown.
- :mod:`kb_engine.trees.site`: the one module that reads MkDocs objects (files, pages).
"""
