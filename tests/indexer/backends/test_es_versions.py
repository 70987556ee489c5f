"""Elasticsearch mapping versions: the alias decision (pure, golden), the CLI, and a live cluster.

The decision table is pinned in golden/alias_plans.json so a changed message or action shows up
as a reviewed diff. The live tests run only with CDS_ES_URL (skipped, with that reason, here).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from config.settings import Settings
from indexer.backends import BackendError, load_backend
from indexer.backends.es_bodies import MAPPING_VERSION
from indexer.backends.es_versions import CREATE, READY, REFUSE, UPGRADE, alias_plan, index_version
from indexer.query import SearchQuery
from tests.indexer.backends.conftest import make_backend
from tests.indexer.backends.goldens import check_golden
from tests.indexer.backends.sample_articles import sample_articles

ROOT = Path(__file__).resolve().parents[3]
A = "cds-articles"

CASES = {
    "nothing_there": (None, False),
    "concrete_index_named_like_the_alias": (None, True),
    "current_version": ([f"{A}-v2"], False),
    "older_version": ([f"{A}-v1"], False),
    "two_older_versions": ([f"{A}-v0", f"{A}-v1"], False),
    "newer_version": ([f"{A}-v3"], False),
    "current_and_older": ([f"{A}-v1", f"{A}-v2"], False),
    "foreign_index": (["legacy-news"], False),
    "other_alias_prefix": ([f"{A}-old-v2"], False),
    "alias_on_nothing": ([], False),
}


def test_alias_plans_golden():
    """Version 2 of the code meeting each state a cluster can be in."""
    plans = {name: vars(alias_plan(A, behind, concrete, 2)) for name, (behind, concrete) in CASES.items()}
    check_golden("alias_plans", plans)


@pytest.mark.parametrize(
    "case,action",
    [
        ("nothing_there", CREATE),
        ("current_version", READY),
        ("older_version", UPGRADE),
        ("two_older_versions", UPGRADE),
        ("newer_version", REFUSE),
        ("current_and_older", REFUSE),
        ("foreign_index", REFUSE),
        ("other_alias_prefix", REFUSE),
        ("alias_on_nothing", REFUSE),
        ("concrete_index_named_like_the_alias", REFUSE),
    ],
)
def test_only_the_current_version_is_written_to(case, action):
    plan = alias_plan(A, *CASES[case], 2)
    assert plan.action == action
    if action == UPGRADE:
        assert "python -m indexer.backends upgrade-es" in plan.message and f"{A}-v2" in plan.message
    if action in (UPGRADE, REFUSE):
        assert plan.message


def test_index_version_reads_only_our_names():
    assert index_version(A, f"{A}-v12") == 12
    assert index_version(A, f"{A}-v") is None and index_version(A, f"{A}x-v1") is None
    assert index_version("a.b", "axb-v1") is None  # the alias is literal, not a pattern


# -- the CLI ----------------------------------------------------------------------------------
def run_cli(*args, **env):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("CDS_")}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "indexer.backends", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def closed_port_url() -> str:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"http://127.0.0.1:{port}"


def test_cli_upgrade_reports_an_unreachable_cluster():
    url = closed_port_url()
    done = run_cli("upgrade-es", CDS_ES_URL=url)
    assert done.returncode == 1
    assert done.stderr.startswith("error: ") and url in done.stderr and "unreachable" in done.stderr
    assert "Traceback" not in done.stderr


def test_cli_upgrade_needs_an_es_url():
    done = run_cli("upgrade-es", "--dry-run")
    assert done.returncode == 1 and "CDS_ES_URL" in done.stderr and "Traceback" not in done.stderr


def test_cli_lists_its_commands():
    done = run_cli("--help")
    assert done.returncode == 0 and "upgrade-es" in done.stdout


# -- a live cluster ---------------------------------------------------------------------------
@pytest.fixture
def es(tmp_path):
    backend = make_backend("elasticsearch", tmp_path)  # skips without CDS_ES_URL
    client = backend._client
    yield backend, client
    names = list(client.indices.get(index=f"{backend.alias}-v*", allow_no_indices=True))
    if names:  # by name: clusters refuse wildcard deletes
        client.indices.delete(index=",".join(names))
    backend.close()


def build_old_index(backend, client, version: int) -> str:
    """What older code left behind: <alias>-v<version> behind the alias, holding the articles."""
    from elasticsearch.helpers import bulk

    from indexer.backends.es_bodies import index_settings, to_es_document

    name = f"{backend.alias}-v{version}"
    body = index_settings()
    body["aliases"] = {backend.alias: {"is_write_index": True}}
    client.indices.create(index=name, body=body)
    bulk(client, ({"_index": name, "_id": a.id, "_source": to_es_document(a)} for a in sample_articles()), refresh=True)
    return name


def test_live_older_index_is_refused_then_upgraded(es, tmp_path):
    backend, client = es
    old = build_old_index(backend, client, MAPPING_VERSION - 1)
    with pytest.raises(BackendError, match="upgrade-es"):
        backend.index(sample_articles()[:1])
    assert backend.search(SearchQuery(text="chuyen doi so")).total >= 3  # reads keep working

    done = run_cli(
        "upgrade-es",
        CDS_ES_URL=backend.url,
        CDS_ES_INDEX=backend.alias,
        CDS_ES_API_KEY=os.environ.get("CDS_ES_API_KEY", ""),
        CDS_DATA_DIR=str(tmp_path),
    )
    assert done.returncode == 0, done.stderr
    assert f"copied {len(sample_articles())} articles into {backend.versioned_index}" in done.stdout
    assert sorted(client.indices.get_alias(name=backend.alias)) == [backend.versioned_index]
    assert client.indices.exists(index=old)  # kept as a way back

    fresh = load_backend(
        Settings(
            BACKEND="elasticsearch",
            ES_URL=backend.url,
            ES_INDEX=backend.alias,
            ES_API_KEY=os.environ.get("CDS_ES_API_KEY", ""),
            DATA_DIR=str(tmp_path),
        )
    )
    fresh.index(sample_articles()[:1])  # writes are allowed again
    fresh.commit()
    assert fresh.count() == len(sample_articles())
    assert fresh.search(SearchQuery(text="chuyen doi so")).total >= 3
    fresh.close()
    again = run_cli(
        "upgrade-es",
        CDS_ES_URL=backend.url,
        CDS_ES_INDEX=backend.alias,
        CDS_ES_API_KEY=os.environ.get("CDS_ES_API_KEY", ""),
    )
    assert again.returncode == 0 and "nothing to do" in again.stdout


def test_live_newer_index_is_refused_even_by_upgrade(es):
    backend, client = es
    build_old_index(backend, client, MAPPING_VERSION + 1)
    with pytest.raises(BackendError, match="newer code"):
        backend.commit()
    with pytest.raises(BackendError, match="newer code"):
        backend.upgrade()
    assert sorted(client.indices.get_alias(name=backend.alias)) == [f"{backend.alias}-v{MAPPING_VERSION + 1}"]
