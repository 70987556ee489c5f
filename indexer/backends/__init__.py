"""Search backends behind one interface.

Built-ins are registered by name in :data:`BACKENDS`; ``CDS_BACKEND`` picks one.
"""

from __future__ import annotations

import importlib

from indexer.backends.base import BackendError, IndexingError, SearchBackend

BACKENDS = {
    "embedded": "indexer.backends.embedded:EmbeddedBackend",
    "elasticsearch": "indexer.backends.elasticsearch:ElasticsearchBackend",
}


def load_backend(settings) -> SearchBackend:
    """Build the backend named by ``settings.BACKEND`` from its own settings."""
    name = settings.BACKEND
    try:
        path = BACKENDS[name]
    except KeyError:
        raise BackendError(f"unknown backend {name!r}; choose one of {', '.join(BACKENDS)}") from None
    module, cls = path.split(":")
    return getattr(importlib.import_module(module), cls).from_settings(settings)


__all__ = ["BACKENDS", "BackendError", "IndexingError", "SearchBackend", "load_backend"]
