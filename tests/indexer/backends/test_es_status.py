"""``python -m indexer.backends status``: the report's wording and exit codes, and its error paths.

Run against es_stub.StubElasticsearch (127.0.0.1), a STUB answering as Elasticsearch does, only
to exercise formatting and failures; it proves nothing about a real cluster (make es-test does).
"""

from __future__ import annotations

import json
import socket

import pytest

from indexer.backends.__main__ import main
from indexer.backends.es_bodies import MAPPING_VERSION as V
from tests.indexer.backends.es_stub import INFO, StubElasticsearch, health


def stub_cluster(behind: dict | None, counts: dict[str, int], status: str = "green", concrete: bool = False):
    routes = {
        ("GET", r"/"): (200, INFO),
        ("GET", r"/_cluster/health"): (200, health(status, 3, 0 if status == "green" else 4)),
    }
    if behind is not None:
        routes[("GET", r"/_alias/cds-articles")] = (200, {i: {"aliases": {"cds-articles": {}}} for i in behind})
    if concrete:
        routes[("HEAD", r"/cds-articles")] = (200, None)
    for index, n in counts.items():
        routes[("POST", rf"/{index}/_count")] = (200, {"count": n})
        routes[("GET", rf"/{index}/_count")] = (200, {"count": n})
    return StubElasticsearch(routes)


def run_status(monkeypatch, capsys, url, *args):
    monkeypatch.setenv("CDS_ES_URL", url)
    monkeypatch.setenv("CDS_ES_INDEX", "cds-articles")
    monkeypatch.delenv("CDS_ES_API_KEY", raising=False)
    code = main(["status", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_ready_cluster(monkeypatch, capsys):
    with stub_cluster([f"cds-articles-v{V}"], {f"cds-articles-v{V}": 1234}) as stub:
        code, out, _ = run_status(monkeypatch, capsys, stub.url)
    assert code == 0
    assert out.splitlines() == [
        f"Elasticsearch at {stub.url}: cluster cds-stub (version 9.1.0), health green, 3 node(s)",
        f"alias cds-articles -> cds-articles-v{V}",
        f"  cds-articles-v{V}: 1,234 document(s), mapping v{V}",
        f"this code's mapping v{V}: ready",
    ]


def test_older_mapping_says_to_upgrade_and_exits_3(monkeypatch, capsys):
    with stub_cluster([f"cds-articles-v{V - 1}"], {f"cds-articles-v{V - 1}": 7}, status="yellow") as stub:
        code, out, _ = run_status(monkeypatch, capsys, stub.url)
    assert code == 3
    assert "health yellow, 3 node(s), 4 unassigned shard(s)" in out
    assert f"  cds-articles-v{V - 1}: 7 document(s), mapping v{V - 1}" in out
    assert "upgrade needed" in out and "python -m indexer.backends upgrade-es" in out


def test_no_alias_yet(monkeypatch, capsys):
    with stub_cluster(None, {}) as stub:
        code, out, _ = run_status(monkeypatch, capsys, stub.url)
    assert code == 3
    assert "alias cds-articles: not there (no index yet)" in out
    assert f"the first crawl creates cds-articles-v{V} behind cds-articles" in out


def test_concrete_index_named_like_the_alias(monkeypatch, capsys):
    with stub_cluster(None, {"cds-articles": 5}, concrete=True) as stub:
        code, out, _ = run_status(monkeypatch, capsys, stub.url)
    assert code == 3
    assert "cds-articles is a concrete index, not an alias" in out
    assert "  cds-articles: 5 document(s), mapping unknown (not made by CĐS Radar)" in out
    assert "refused:" in out


def test_json_report(monkeypatch, capsys):
    with stub_cluster([f"cds-articles-v{V}"], {f"cds-articles-v{V}": 3}, status="red") as stub:
        code, out, _ = run_status(monkeypatch, capsys, stub.url, "--json")
    report = json.loads(out)
    assert code == 0 and report["cluster"]["health"] == "red" and report["action"] == "ready"
    assert report["indices"] == [{"index": f"cds-articles-v{V}", "documents": 3, "mapping_version": V}]


def test_unreachable_cluster_is_one_line_and_exit_1(monkeypatch, capsys):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{s.getsockname()[1]}"
    s.close()
    monkeypatch.setenv("CDS_ES_URL", url)
    code = main(["status"])
    err = capsys.readouterr().err
    assert code == 1 and err.startswith(f"error: Elasticsearch at {url} is unreachable (cluster info)")


def test_refused_credentials_name_the_call_and_hide_the_password(monkeypatch, capsys):
    denied = (
        401,
        {"error": {"type": "security_exception", "reason": "unable to authenticate user [elastic]"}, "status": 401},
    )
    with StubElasticsearch({("GET", r"/"): denied}) as stub:
        url = stub.url.replace("http://", "http://elastic:s3cret@")
        monkeypatch.setenv("CDS_ES_URL", url)
        code = main(["status"])
    err = capsys.readouterr().err
    assert code == 1 and "refused cluster info: 401" in err and "s3cret" not in err


def test_status_needs_an_url(monkeypatch, capsys):
    monkeypatch.setenv("CDS_ES_URL", "")
    assert main(["status"]) == 1
    assert "needs ES_URL" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["status", "--bogus"]])
def test_bad_arguments_exit_2(argv):
    with pytest.raises(SystemExit) as e:
        main(argv)
    assert e.value.code == 2


def _wait_for_es(url: str, seconds: str):
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[3] / "scripts" / "wait_for_es.py"
    return subprocess.run(
        [sys.executable, str(script), seconds],
        env={"CDS_ES_URL": url, "PATH": ""},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_make_es_test_waits_for_health_and_gives_up_without_the_password():
    with StubElasticsearch({("GET", r"/_cluster/health"): (200, health("yellow"))}) as stub:
        done = _wait_for_es(stub.url.replace("http://", "http://elastic:s3cret@"), "20")
    assert done.returncode == 0 and "yellow" in done.stdout and "s3cret" not in done.stdout
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    url = f"http://elastic:s3cret@127.0.0.1:{s.getsockname()[1]}"
    s.close()
    failed = _wait_for_es(url, "1")
    assert failed.returncode == 1 and "not ready" in failed.stderr and "s3cret" not in failed.stderr
