"""Backends built the way production builds them (``load_backend(Settings(...))``).

The embedded backend always runs; Elasticsearch runs only against a live cluster named by
CDS_ES_URL (each test run gets its own index alias, deleted afterwards).
"""

from __future__ import annotations

import os
import uuid

import pytest

from config.settings import Settings
from indexer.backends import load_backend
from tests.indexer.backends.sample_articles import sample_articles

ES_URL = os.environ.get("CDS_ES_URL", "")
BACKEND_NAMES = ["embedded", "elasticsearch"]


def make_backend(name: str, tmp_path):
    if name == "elasticsearch":
        if not ES_URL:
            pytest.skip("CDS_ES_URL not set: no Elasticsearch server here")
        settings = Settings(
            BACKEND="elasticsearch",
            ES_URL=ES_URL,
            ES_API_KEY=os.environ.get("CDS_ES_API_KEY", ""),
            ES_INDEX=f"cds-test-{uuid.uuid4().hex[:8]}",
            DATA_DIR=str(tmp_path),
        )
    else:
        settings = Settings(BACKEND="embedded", DATA_DIR=str(tmp_path))
    return load_backend(settings)


def drop(backend) -> None:
    drop_all = getattr(backend, "drop_index", None)  # ES: remove the per-test index
    if drop_all:
        drop_all()
    backend.close()


@pytest.fixture(params=BACKEND_NAMES)
def empty_backend(request, tmp_path):
    b = make_backend(request.param, tmp_path)
    yield b
    drop(b)


@pytest.fixture(scope="module", params=BACKEND_NAMES)
def loaded_backend(request, tmp_path_factory):
    """Read-only tests share one index of the sample articles per backend."""
    b = make_backend(request.param, tmp_path_factory.mktemp(request.param))
    b.index(sample_articles())
    b.commit()
    yield b
    drop(b)
