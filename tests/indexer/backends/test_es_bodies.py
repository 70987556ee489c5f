"""Golden tests of every body the Elasticsearch backend sends (no cluster needed).

A change to a mapping or a query shape shows up as a diff of a JSON file under golden/ that a
reviewer reads. Regenerate deliberately with ``CDS_UPDATE_GOLDEN=1 pytest tests/indexer/backends``.
"""
from __future__ import annotations

import re

import pytest

from indexer.backends.es_bodies import build_search_body, index_settings, to_es_document
from indexer.backends.query_text import GAP_PATTERN
from indexer.query import SearchQuery
from tests.indexer.backends.goldens import check_golden
from tests.indexer.backends.sample_articles import by_slug

QUERIES = {
    "search_empty": SearchQuery(),
    "search_words": SearchQuery(text="Thanh Hoa VNPT"),
    "search_phrase_abbrev": SearchQuery(text='CĐS "kinh tế, số" title:*', sort="newest", page=2, per_page=10),
    "search_facets": SearchQuery(text="chuyen doi so", filters={"partner": ["VNPT", "Viettel"],
                                 "province_current": ["Thái Nguyên"], "year": ["2023"]},
                                 date_from="2023-01-01", date_to="2023-12-31"),
    "search_include_all": SearchQuery(text="bóng đá", include_duplicates=True, include_off_topic=True,
                                      sort="oldest"),
}


def test_index_settings_golden():
    check_golden("index_settings", index_settings())


def test_document_golden():
    check_golden("document_thanh_hoa_vnpt", to_es_document(by_slug("thanh-hoa-vnpt-ky-ket")))


def test_source_title_is_stored_for_display_not_indexed():
    doc = to_es_document(by_slug("thanh-hoa-vnpt-ky-ket"))
    assert doc["article"]["source_title"] == "Cổng TTĐT tỉnh Thanh Hóa" and doc["source"] == ["thanhhoa.gov.vn"]
    mapping = index_settings()["mappings"]
    assert mapping["dynamic"] is False and "source_title" not in mapping["properties"]
    assert mapping["properties"]["article"] == {"type": "object", "enabled": False}


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_search_body_golden(name):
    check_golden(name, build_search_body(QUERIES[name]))


def test_facets_are_disjunctive_in_the_body():
    body = build_search_body(QUERIES["search_facets"])
    post = body["post_filter"]["bool"]["filter"]
    assert {"terms": {"partner": ["VNPT", "Viettel"]}} in post and {"terms": {"year": [2023]}} in post
    partner_agg = body["aggs"]["partner"]["filter"]["bool"]["filter"]
    assert {"terms": {"partner": ["VNPT", "Viettel"]}} not in partner_agg     # own filter ignored
    assert {"terms": {"province_current": ["Thái Nguyên"]}} in partner_agg      # others respected
    # Hidden duplicates/off-topic and the date range apply to hits and counts alike (query, not post_filter).
    assert {"term": {"is_canonical": True}} in body["query"]["bool"]["filter"]
    assert "highlight" in body


def test_query_uses_folded_and_exact_fields_with_boosts():
    body = build_search_body(SearchQuery(text="Thanh Hóa"))
    must = body["query"]["bool"]["must"][0]["bool"]["must"]
    should = must[1]["bool"]["should"]
    assert {"match_phrase": {"title": {"query": "Hóa", "boost": 6.0}}} in should
    assert {"match_phrase": {"title.fold": {"query": "hoa", "boost": 3.0}}} in should


def test_gap_pattern_is_the_one_es_applies():
    char_filter = index_settings()["settings"]["analysis"]["char_filter"]["cds_punct_gap"]
    assert char_filter["pattern"] == GAP_PATTERN
    # Only constructs Java's regex engine reads the same way as Python's.
    assert not re.search(r"\(\?P|\\[AZz]|\(\?<[!=]", GAP_PATTERN)


def test_a_missing_golden_file_fails_instead_of_being_written(tmp_path, monkeypatch):
    monkeypatch.delenv("CDS_UPDATE_GOLDEN", raising=False)
    with pytest.raises(pytest.fail.Exception, match="CDS_UPDATE_GOLDEN=1"):
        check_golden("not_there", {"a": 1}, folder=tmp_path)
    assert not (tmp_path / "not_there.json").exists()
    monkeypatch.setenv("CDS_UPDATE_GOLDEN", "1")
    check_golden("not_there", {"a": 1}, folder=tmp_path)          # deliberate regeneration writes it
    monkeypatch.delenv("CDS_UPDATE_GOLDEN")
    with pytest.raises(AssertionError, match="differs"):
        check_golden("not_there", {"a": 2}, folder=tmp_path)
