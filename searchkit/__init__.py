"""The search engine layer: the engine, the index pipeline and the audience rule, with no
models of its own. Apps declare indexes (`searchkit.indexes.DocumentIndex`); the `search`
app runs the search page through `searchkit.query`."""
