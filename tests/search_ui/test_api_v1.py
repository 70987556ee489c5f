"""API v1 over real HTTP on the real test index: versioned paths and the old alias, the generated
OpenAPI document and its docs page, facet values typed loosely, warnings, links, limits, CORS."""

from __future__ import annotations

import pytest

from indexer.query import FACETS, MAX_PER_PAGE
from search_ui.params import KNOWN


def test_v1_and_the_old_address_answer_the_same(live):
    s1, v1 = live.json("/api/v1/search", {"q": "VNPT", "per_page": 5})
    s0, old = live.json("/api/search", {"q": "VNPT", "per_page": 5})
    assert s1 == s0 == 200
    assert [h["id"] for h in v1["hits"]] == [h["id"] for h in old["hits"]] and v1["total"] == old["total"] > 5
    status, index = live.json("/api/v1")
    assert status == 200 and index["openapi"] == "/api/v1/openapi.json" and index["docs"] == "/api/v1/docs"
    assert "/api/v1/facets" in index["endpoints"] and index["max_per_page"] == MAX_PER_PAGE


def test_openapi_document_is_3_1_and_documents_every_route_and_parameter(live):
    status, doc = live.json("/api/v1/openapi.json")
    assert status == 200 and doc["openapi"] == "3.1.0"
    v1_routes = {
        r.rule.replace("<article_id>", "{id}")
        for r in live.app.url_map.iter_rules()
        if r.rule.startswith("/api/v1/") and r.endpoint.startswith("api.")
    }
    assert v1_routes and v1_routes <= set(doc["paths"])
    names = {p["name"] for p in doc["paths"]["/api/v1/search"]["get"]["parameters"]}
    assert names == KNOWN
    hit = doc["components"]["schemas"]["Hit"]["properties"]
    assert {"title", "provinces_current", "partners", "periods", "years", "snippet"} <= set(hit)


def test_docs_page_is_readable_and_local(live):
    status, page = live.html("/api/v1/docs")
    assert status == 200 and "<h1>CĐS Radar API" in page
    assert (
        "GET /api/v1/search" in page and "<code>per_page</code>" in page and "integer (minimum 1; maximum 100)" in page
    )
    assert '<script src="http' not in page and "cdn" not in page.lower()


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"partner": "vnpt"}, ("partner", "VNPT")),
        ({"partner": "VIETTEL"}, ("partner", "Viettel")),
        ({"province": "thanh hoa"}, ("province", "Thanh Hóa")),
        ({"province": "Tỉnh Bắc Kạn"}, ("province", "Bắc Kạn")),
        ({"province_current": "thai nguyen"}, ("province_current", "Thái Nguyên")),
        ({"kind": "AGREEMENT"}, ("kind", "agreement")),
    ],
)
def test_facet_values_match_without_case_or_diacritics(live, params, expected):
    facet, value = expected
    _, loose = live.json("/api/v1/search", params)
    _, exact = live.json("/api/v1/search", {facet: value})
    assert loose["total"] == exact["total"] > 0
    assert loose["query"]["filters"] == {facet: [value]} and loose["warnings"] == []


def test_unknown_facet_value_is_a_warning_naming_the_closest(live):
    status, data = live.json("/api/v1/search", {"partner": "vnpx", "province": "Thanh Hao"})
    assert status == 200 and data["total"] == 0
    by_param = {w["parameter"]: w for w in data["warnings"]}
    assert by_param["partner"]["value"] == "vnpx" and by_param["partner"]["closest"][0] == "VNPT"
    assert "Thanh Hóa" in by_param["province"]["closest"] and "Thanh Hóa" in by_param["province"]["message"]


def test_facets_lists_valid_values(live):
    status, data = live.json("/api/v1/facets")
    assert status == 200 and set(data["facets"]) == set(FACETS)
    partners = {v["value"]: v["count"] for v in data["facets"]["partner"]}
    assert partners["VNPT"] > 0 and partners.get("MobiFone", 0) >= 0 and "FPT" in partners
    provinces = {v["value"] for v in data["facets"]["province"]}
    assert len(provinces) >= 63 and "Bắc Kạn" in provinces
    assert len(data["facets"]["province_current"]) >= 34


def test_next_and_prev_links_walk_the_results(live):
    seen, url, pages = [], "/api/v1/search?partner=vnpt&per_page=7", 0
    while url:
        status, data = live.json(url.replace(live.url, ""))
        assert status == 200
        seen += [h["id"] for h in data["hits"]]
        pages += 1
        if data["links"]["prev"]:
            _, back = live.json(data["links"]["prev"].replace(live.url, ""))
            assert back["page"] == data["page"] - 1
        url = data["links"]["next"]
    _, first = live.json("/api/v1/search", {"partner": "VNPT", "per_page": 7})
    assert len(seen) == len(set(seen)) == first["total"] and pages == first["pages"] > 1
    assert first["links"]["prev"] is None and first["links"]["self"].startswith(live.url + "/api/v1/search?")


@pytest.mark.parametrize("per_page", ["0", "101", "1000", "-5"])
def test_out_of_range_per_page_is_a_400_naming_the_limit(live, per_page):
    for path in ("/api/v1/search", "/api/search"):
        status, data = live.json(path, {"per_page": per_page})
        assert status == 400 and "100" in data["error"] and "per_page" in data["error"]


def test_cors_for_get(live):
    status, headers, _ = live.get("/api/v1/search", {"q": "VNPT"})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
    assert live.get("/api/v1/openapi.json")[1]["Access-Control-Allow-Origin"] == "*"
    assert live.get("/api/v1/search", {"per_page": "0"})[1]["Access-Control-Allow-Origin"] == "*"
