"""The Elasticsearch backend against a port where nothing listens: the real client, no mocks.

What the crawler and the UI need: a clear BackendError naming the cluster, quickly, and for
index() the list of articles that were not written so nothing is lost.
"""

from __future__ import annotations

import socket

import pytest

from config.settings import Settings
from indexer.backends import BackendError, IndexingError, load_backend
from indexer.backends.elasticsearch import ElasticsearchBackend
from indexer.backends.es_bodies import MAPPING_VERSION
from indexer.query import SearchQuery
from tests.indexer.backends.sample_articles import sample_articles


@pytest.fixture
def closed_port_url():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now: connections are refused
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def dead_backend(closed_port_url):
    b = ElasticsearchBackend(closed_port_url, "cds-articles", request_timeout=2, max_retries=0)
    yield b
    b.close()


@pytest.mark.parametrize(
    "call",
    [
        lambda b: b.search(SearchQuery(text="chuyển đổi số")),
        lambda b: b.count(),
        lambda b: b.get("0" * 20),
        lambda b: b.commit(),
        lambda b: list(b.iter_articles()),
        lambda b: b.clear(),
    ],
)
def test_unreachable_cluster_raises_backend_error(dead_backend, closed_port_url, call):
    with pytest.raises(BackendError) as err:
        call(dead_backend)
    assert closed_port_url in str(err.value) and "unreachable" in str(err.value)


def test_index_reports_every_article_it_could_not_write(dead_backend):
    dead_backend._ready = True  # skip index creation: exercise the bulk path itself
    arts = sample_articles()
    with pytest.raises(IndexingError) as err:
        dead_backend.index(arts)
    assert set(err.value.failed) == {a.id for a in arts}
    assert err.value.written == 0


def test_built_from_settings(closed_port_url):
    b = load_backend(Settings(BACKEND="elasticsearch", ES_URL=closed_port_url, ES_INDEX="cds-x"))
    assert isinstance(b, ElasticsearchBackend) and b.versioned_index == f"cds-x-v{MAPPING_VERSION}"
    with pytest.raises(BackendError):
        b.count()


def test_missing_url_is_a_clear_error():
    with pytest.raises(BackendError, match="ES_URL"):
        load_backend(Settings(BACKEND="elasticsearch", ES_URL=""))
