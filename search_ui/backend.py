"""The search backend as a Flask resource (flaskr's ``db.py`` pattern: ``init_app`` + a getter).

The backend is opened lazily on the first request, not at import or app creation: the UI must
start (and say so clearly) even while Elasticsearch is down or the index folder is missing,
and recover by itself once it is back, without a restart.
"""

from __future__ import annotations

import threading

from flask import Flask, current_app

from indexer.backends import BackendError, SearchBackend, load_backend

EXTENSION = "cds_backend"


class BackendResource:
    def __init__(self, settings) -> None:
        self.settings = settings
        self._backend: SearchBackend | None = None
        self._lock = threading.Lock()

    def get(self) -> SearchBackend:
        if self._backend is None:
            with self._lock:
                if self._backend is None:
                    try:
                        self._backend = load_backend(self.settings)
                    except BackendError:
                        raise
                    except Exception as e:  # e.g. a corrupt index folder: still a clear message
                        raise BackendError(f"cannot open the {self.settings.BACKEND} backend: {e}") from e
        return self._backend

    def close(self) -> None:
        with self._lock:
            if self._backend is not None:
                self._backend.close()
                self._backend = None


def init_app(app: Flask, settings) -> None:
    app.extensions[EXTENSION] = BackendResource(settings)


def get_backend() -> SearchBackend:
    """The app's backend; raises BackendError (shown to users as a friendly message) if down."""
    return current_app.extensions[EXTENSION].get()
