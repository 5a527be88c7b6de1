"""Material's blog plugin, built in linear time (the MkDocs plugin ``kb-blog``)."""
