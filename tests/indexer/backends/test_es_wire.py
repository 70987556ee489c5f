"""What the real client puts on the wire, validated against Elastic's specification.

The backend runs its real methods (index creation, indexing, deletion, clear, count, search, and
the whole upgrade: alias lookup, copy by helpers.scan with its scroll and clear-scroll bodies,
bulk into the new index, alias swap) against es_stub.StubElasticsearch on 127.0.0.1, which only
records. Every JSON body it received is then checked against the specification of both majors, so
what is checked includes what the client and its helpers add (scan's ``sort: _doc``, the ndjson
bulk lines), not only what es_bodies builds. The stub accepts everything: whether Elasticsearch
itself accepts these requests is for the contract suite against a live cluster (make es-test).
"""

from __future__ import annotations

import re

from indexer.backends.elasticsearch import ElasticsearchBackend
from indexer.backends.es_bodies import MAPPING_VERSION as V
from indexer.query import SearchQuery
from tests.indexer.backends.es_spec import MAJORS, spec, spec_dir
from tests.indexer.backends.es_stub import INFO, StubElasticsearch, health
from tests.indexer.backends.sample_articles import sample_articles

assert spec_dir() is not None, "no Elasticsearch specification slice (see tests/fixtures/es-spec/README.md)"

ENDPOINT = [  # (method, path) -> the specification's request name
    ("PUT", r"/[^_/][^/]*", "indices.create"),
    ("POST", r"/_aliases", "indices.update_aliases"),
    ("PUT|POST", r"/_bulk", "bulk"),
    ("POST", r"/[^/]+/_search", "search"),
    ("POST", r"/_search/scroll", "scroll"),
    ("DELETE", r"/_search/scroll", "clear_scroll"),
    ("POST", r"/[^/]+/_delete_by_query", "delete_by_query"),
    ("POST", r"/[^/]+/_count", "count"),
]


def request_name(method: str, path: str) -> str:
    for m, p, name in ENDPOINT:
        if re.fullmatch(m, method) and re.fullmatch(p, path):
            return name
    raise AssertionError(f"a body sent to {method} {path}: no specification endpoint mapped for it")


def bulk_answer(rec):
    items, lines = [], rec.ndjson()
    i = 0
    while i < len(lines):
        op, meta = next(iter(lines[i].items()))
        items.append(
            {
                op: {
                    "_index": meta.get("_index"),
                    "_id": meta.get("_id"),
                    "status": 201 if op == "index" else 200,
                    "result": "created" if op == "index" else "deleted",
                }
            }
        )
        i += 1 if op == "delete" else 2
    return 200, {"took": 1, "errors": False, "items": items}


def hits(articles, scroll_id=None):
    body = {
        "took": 1,
        "timed_out": False,
        "_shards": {"total": 1, "successful": 1, "failed": 0, "skipped": 0},
        "hits": {
            "total": {"value": len(articles), "relation": "eq"},
            "max_score": 1.0,
            "hits": [
                {"_index": "cds-w-v1", "_id": a.id, "_score": 1.0, "_source": {"article": a.to_dict()}}
                for a in articles
            ],
        },
    }
    if scroll_id:
        body["_scroll_id"] = scroll_id
    return body


ACK = (200, {"acknowledged": True})


def cluster(alias_behind: list[str] | None):
    routes = {
        ("GET", r"/"): (200, INFO),
        ("GET", r"/_cluster/health"): (200, health()),
        ("PUT", r"/cds-w-v\d+"): (200, {"acknowledged": True, "shards_acknowledged": True, "index": "cds-w-vN"}),
        ("POST", r"/_bulk"): bulk_answer,
        ("PUT", r"/_bulk"): bulk_answer,
        ("POST", r"/cds-w(-v\d)?/_refresh"): (200, {"_shards": {"total": 1, "successful": 1, "failed": 0}}),
        ("POST", r"/_aliases"): ACK,
        ("POST", r"/cds-w/_search"): lambda rec: (
            200,
            hits(sample_articles()[:3], "scroll-1") if "scroll" in rec.query else hits(sample_articles()[:3]),
        ),
        ("POST", r"/_search/scroll"): (200, hits([], "scroll-1")),
        ("DELETE", r"/_search/scroll"): (200, {"succeeded": True, "num_freed": 1}),
        ("POST", r"/cds-w/_delete_by_query"): (200, {"took": 1, "deleted": 3, "failures": []}),
        ("POST", r"/cds-w/_count"): (200, {"count": 3}),
        ("GET", r"/cds-w/_count"): (200, {"count": 3}),
    }
    if alias_behind is not None:
        routes[("GET", r"/_alias/cds-w")] = (200, {i: {"aliases": {"cds-w": {}}} for i in alias_behind})
    return StubElasticsearch(routes)


def run_backend(stub, action) -> None:
    b = ElasticsearchBackend(stub.url, "cds-w", request_timeout=5, max_retries=0)
    try:
        action(b)
    finally:
        b.close()


def bodies(stub) -> list[tuple[str, object]]:
    out = []
    for rec in stub.requests:
        if not rec.body:
            continue
        name = request_name(rec.method, rec.path)
        if name == "bulk":
            lines, i = rec.ndjson(), 0
            while i < len(lines):
                out.append(("bulk.action", lines[i]))
                i += 1 if "delete" in lines[i] else 2
        else:
            out.append((name, rec.json()))
    return out


def test_upgrade_flow_on_the_wire_is_valid_in_both_majors():
    with cluster([f"cds-w-v{V - 1}"]) as stub:
        run_backend(stub, lambda b: b.upgrade())
    sent = bodies(stub)
    kinds = {name for name, _ in sent}
    assert {"indices.create", "search", "scroll", "clear_scroll", "bulk.action", "indices.update_aliases"} <= kinds
    for major in MAJORS:
        for name, body in sent:
            assert not spec(major).errors(name, body), (major, name, body, spec(major).errors(name, body)[:5])
    swap = [b for n, b in sent if n == "indices.update_aliases"][0]
    assert swap == {
        "actions": [
            {"remove": {"index": f"cds-w-v{V - 1}", "alias": "cds-w"}},
            {"add": {"index": f"cds-w-v{V}", "alias": "cds-w", "is_write_index": True}},
        ]
    }


def test_first_index_search_delete_clear_on_the_wire_are_valid_in_both_majors():
    def work(b):
        b.index(sample_articles()[:3])
        b.commit()
        b.search(SearchQuery(text='VNPT OR Viettel -"Hà Giang"', filters={"year": ["2024"]}))
        b.delete([a.id for a in sample_articles()[:2]])
        b.count()
        b.clear()

    with cluster(None) as stub:
        run_backend(stub, work)
    sent = bodies(stub)
    assert {"indices.create", "bulk.action", "search", "delete_by_query"} <= {n for n, _ in sent}
    created = [b for n, b in sent if n == "indices.create"][0]
    assert created["aliases"] == {"cds-w": {"is_write_index": True}}
    for major in MAJORS:
        for name, body in sent:
            assert not spec(major).errors(name, body), (major, name, spec(major).errors(name, body)[:5])


def test_the_pinned_client_asks_for_the_9_api():
    """elasticsearch-py 9 sends compatible-with=9, which Elasticsearch 8 refuses
    (media_type_header_exception, elastic/elasticsearch-py#2923): an 8.x cluster needs the 8.x client."""
    with cluster(None) as stub:
        run_backend(stub, lambda b: b.count())
    assert "compatible-with=9" in stub.requests[0].headers["accept"]


def test_an_interrupted_upgrade_resumes_copying_only_what_is_missing():
    """The stub plays a cluster where an upgrade stopped after writing one article into -vN: the
    backend lists -vN's ids (its own scan, validated too) and sends only the other articles."""
    arts = sample_articles()[:3]
    stub = cluster([f"cds-w-v{V - 1}"])
    stub.routes[("HEAD", rf"/cds-w-v{V}")] = (200, None)
    stub.routes[("POST", rf"/cds-w-v{V}/_search")] = (
        200,
        {
            **hits([], "scroll-2"),
            "hits": {
                "total": {"value": 1, "relation": "eq"},
                "max_score": 1.0,
                "hits": [{"_index": f"cds-w-v{V}", "_id": arts[0].id, "_score": 1.0}],
            },
        },
    )
    told = []
    with stub:
        b = ElasticsearchBackend(stub.url, "cds-w", request_timeout=5, max_retries=0)
        try:
            done = b.upgrade(progress=lambda n, total: told.append((n, total)))
        finally:
            b.close()
    assert (done["resumed"], done["copied"]) == (1, 2) and told[-1] == (3, 3)
    sent = bodies(stub)
    assert [body["index"]["_id"] for name, body in sent if name == "bulk.action"] == [a.id for a in arts[1:]]
    assert not [r for r in stub.requests if r.method == "PUT" and r.path == f"/cds-w-v{V}"]  # not recreated
    ids_scan = [body for name, body in sent if name == "search"][0]
    assert ids_scan["_source"] is False
    for major in MAJORS:
        for name, body in sent:
            assert not spec(major).errors(name, body), (major, name, spec(major).errors(name, body)[:5])
