"""Search that answers a seller's question, on Material's own client-side search.

- :mod:`kb_engine.search.questions`: the questions a page declares it answers (front matter ``questions:``).
- :mod:`kb_engine.search.synonyms`: the site's search vocabulary (search-vocabulary.yml), read and checked.
- :mod:`kb_engine.search.stopwords`: lunr's English stop words (fenced), and the separator that drops them
  from queries.
- :mod:`kb_engine.search.entries`: the index entries reworked: boosts, questions, related words, decision-tree steps.
- :mod:`kb_engine.search.settings`: ``plugins.kb-search`` in mkdocs.yml.
- :mod:`kb_engine.search.site`: the one module that knows MkDocs (the hook kb-search calls it).
"""
