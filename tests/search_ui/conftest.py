"""Fixtures: a real embedded index in a temp DATA_DIR, and the real app over HTTP in a thread.

The index is built through ``load_backend(Settings(...))``, as the crawler builds it.
"""
from __future__ import annotations

import socket

import pytest

from config.settings import Settings
from indexer.backends import load_backend
from tests.search_ui.live_server import all_articles, serve


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("ui-data")
    backend = load_backend(Settings(DATA_DIR=str(d)))
    backend.index(all_articles())
    backend.close()
    return d


@pytest.fixture(scope="session")
def live(data_dir):
    server, thread, live = serve(Settings(DATA_DIR=str(data_dir)))
    yield live
    server.shutdown()
    thread.join(10)


@pytest.fixture
def down_live(tmp_path):
    """The UI wired to an Elasticsearch cluster that is not there."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    server, thread, live = serve(Settings(BACKEND="elasticsearch", ES_URL=f"http://127.0.0.1:{port}",
                                          DATA_DIR=str(tmp_path)))
    yield live
    server.shutdown()
    thread.join(10)
