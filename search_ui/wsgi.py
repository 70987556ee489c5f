"""The WSGI application a production server imports: ``search_ui.wsgi:app``.

gunicorn (search_ui/gunicorn_conf.py) imports it once in the master process (``preload_app``), so
the app and the word segmenter (~1.5 s of pyvi/scikit-learn imports) load once and the forked
workers share them. The search index is *not* opened here: the backend opens lazily in each
worker (search_ui/backend.py), after the fork, so no tantivy reader or Elasticsearch connection
pool is ever shared between processes.
"""

from __future__ import annotations

from indexer.segmentation import warm_up
from search_ui import create_app

app = create_app()
warm_up()
