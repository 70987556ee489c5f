"""An interrupted upgrade-es, resumed, on a live cluster (CDS_ES_URL; make es-test). Skipped here."""

from __future__ import annotations

import os

from elasticsearch.helpers import bulk

from indexer.backends.es_bodies import MAPPING_VERSION, index_settings, to_es_document
from tests.indexer.backends.sample_articles import sample_articles
from tests.indexer.backends.test_es_versions import build_old_index, es, run_cli  # noqa: F401 (fixture)


def test_live_interrupted_upgrade_resumes(es, tmp_path):  # noqa: F811
    backend, client = es
    build_old_index(backend, client, MAPPING_VERSION - 1)
    # what an upgrade killed mid-copy leaves: -vN with some articles, the alias still on the old index
    client.indices.create(index=backend.versioned_index, body=index_settings())
    first = sample_articles()[:2]
    bulk(
        client,
        ({"_index": backend.versioned_index, "_id": a.id, "_source": to_es_document(a)} for a in first),
        refresh=True,
    )
    done = run_cli(
        "upgrade-es",
        CDS_ES_URL=backend.url,
        CDS_ES_INDEX=backend.alias,
        CDS_ES_API_KEY=os.environ.get("CDS_ES_API_KEY", ""),
        CDS_DATA_DIR=str(tmp_path),
    )
    assert done.returncode == 0, done.stderr
    total = len(sample_articles())
    assert f"copied {total - 2} articles into {backend.versioned_index} (resumed: 2 were already there)" in done.stdout
    assert f"copied {total:,} of {total:,} articles" in done.stderr
    assert sorted(client.indices.get_alias(name=backend.alias)) == [backend.versioned_index]
    client.indices.refresh(index=backend.versioned_index)
    assert client.count(index=backend.versioned_index)["count"] == total
