"""Exports past the result window: every hit, in the search's order, on both backends.

Elasticsearch stops ``from + size`` at index.max_result_window (10,000); the backend walks a
point in time with search_after instead. No cluster runs here: the stub serves 2,500 hits in the
pages the client asks for (by its search_after), records every request, and each export body is
validated against Elastic's specification of both majors (a golden file pins one).
"""

from __future__ import annotations

import dataclasses

from indexer.backends.elasticsearch import ElasticsearchBackend
from indexer.backends.embedded import EmbeddedBackend
from indexer.backends.es_bodies import EXPORT_PAGE, build_export_body
from indexer.query import SearchQuery
from tests.indexer.backends.es_spec import MAJORS, spec
from tests.indexer.backends.es_stub import INFO, StubElasticsearch
from tests.indexer.backends.goldens import check_golden
from tests.indexer.backends.sample_articles import sample_articles

TOTAL = 2500


def _copies(n: int) -> list:
    base = sample_articles()
    return [dataclasses.replace(base[i % len(base)], url=f"http://copy.gov.vn/{i}.html") for i in range(n)]


def _pit_cluster(articles) -> StubElasticsearch:
    ranked = [
        {
            "_index": "cds-x-v1",
            "_id": a.id,
            "_score": float(len(articles) - i),
            "_source": {"article": a.to_dict()},
            "sort": [float(len(articles) - i), i],
        }
        for i, a in enumerate(articles)
    ]

    def page(rec):
        body = rec.json()
        start = 0 if "search_after" not in body else body["search_after"][1] + 1
        return 200, {
            "took": 1,
            "timed_out": False,
            "pit_id": body["pit"]["id"] + "+",
            "_shards": {"total": 1, "successful": 1, "failed": 0, "skipped": 0},
            "hits": {"max_score": None, "hits": ranked[start : start + body["size"]]},
        }

    return StubElasticsearch(
        {
            ("GET", r"/"): (200, INFO),
            ("POST", r"/cds-x/_pit"): (200, {"id": "pit-1", "_shards": {"total": 1, "successful": 1, "failed": 0}}),
            ("POST", r"/_search"): page,
            ("DELETE", r"/_pit"): (200, {"succeeded": True, "num_freed": 1}),
        }
    )


def _export(stub, query, limit=None) -> list:
    b = ElasticsearchBackend(stub.url, "cds-x", request_timeout=5, max_retries=0)
    try:
        return list(b.export_hits(query, limit))
    finally:
        b.close()


def test_elasticsearch_export_walks_a_point_in_time_past_the_window():
    articles = _copies(TOTAL)
    query = SearchQuery(text="chuyển đổi số", filters={"partner": ["VNPT"]})
    with _pit_cluster(articles) as stub:
        got = _export(stub, query)
    assert [h.article.url for h in got] == [a.url for a in articles]  # all, in order, once
    searches = [r for r in stub.requests if r.path == "/_search"]
    assert len(searches) == -(-TOTAL // EXPORT_PAGE)
    assert "search_after" not in searches[0].json()
    assert [r.json()["search_after"] for r in searches[1:]] == [
        [float(TOTAL - i), i] for i in range(EXPORT_PAGE - 1, TOTAL - 1, EXPORT_PAGE)
    ]
    assert [r.json()["pit"]["id"] for r in searches] == ["pit-1" + "+" * i for i in range(len(searches))]
    closed = [r for r in stub.requests if r.method == "DELETE" and r.path == "/_pit"]
    assert len(closed) == 1 and closed[0].json() == {"id": "pit-1" + "+" * len(searches)}
    for major in MAJORS:
        for r in searches:
            assert not spec(major).errors("search", r.json()), (major, spec(major).errors("search", r.json())[:5])


def test_a_cut_export_stops_asking_and_closes_its_point_in_time():
    with _pit_cluster(_copies(TOTAL)) as stub:
        got = _export(stub, SearchQuery(sort="newest"), limit=1200)
    assert len(got) == 1200
    assert len([r for r in stub.requests if r.path == "/_search"]) == 2
    assert [r.path for r in stub.requests if r.method == "DELETE"] == ["/_pit"]


def test_export_body_golden_and_valid():
    body = build_export_body(
        SearchQuery(text="Thanh Hóa VNPT", filters={"year": ["2024"], "kind": ["agreement"]}),
        "pit-id",
        search_after=[3.5, 1712000000000, 17],
    )
    check_golden("search_export_page", body)
    for major in MAJORS:
        assert not spec(major).errors("search", body)
        # the check can fail: a point in time without its id, a search_after that is no list
        assert spec(major).errors("search", {**body, "pit": {"keep_alive": "2m"}})
        assert spec(major).errors("search", {**body, "search_after": "17"})


def test_embedded_export_equals_the_search_pages(tmp_path):
    b = EmbeddedBackend(tmp_path)
    try:
        b.index(_copies(1200))
        b.commit()
        for query in (
            SearchQuery(text="chuyen doi so"),
            SearchQuery(sort="newest"),
            SearchQuery(text="VNPT", filters={"year": ["2021"]}, sort="oldest"),
        ):
            paged, page = [], 1
            while True:
                r = b.search(dataclasses.replace(query, page=page, per_page=100))
                paged += [h.article.id for h in r.hits]
                if len(r.hits) < 100:
                    break
                page += 1
            exported = [h.article.id for h in b.export_hits(query)]
            assert exported == paged and len(exported) == r.total
            assert [h.article.id for h in b.export_hits(query, limit=7)] == paged[:7]
    finally:
        b.close()
