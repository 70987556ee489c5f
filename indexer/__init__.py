"""Turns fetched pages into Articles and writes them to a search backend.

The one-way flow is: bytes + URL -> ``extraction`` -> ``normalize`` -> ``enrichment``
-> :class:`indexer.article.Article` -> a backend from :mod:`indexer.backends`.
"""
