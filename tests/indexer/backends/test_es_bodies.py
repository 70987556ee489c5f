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
    "search_facets": SearchQuery(
        text="chuyen doi so",
        filters={"partner": ["VNPT", "Viettel"], "province_current": ["Thái Nguyên"], "year": ["2023"]},
        date_from="2023-01-01",
        date_to="2023-12-31",
    ),
    "search_include_all": SearchQuery(text="bóng đá", include_duplicates=True, include_off_topic=True, sort="oldest"),
    # Words, not syllables: one phrase per word, typed marks kept, entities boosted.
    "search_segmented_words": SearchQuery(text="tuyển dụng chu ky so Thanh Hóa VNPT"),
    # The query language: OR between words and groups, exclusions, brackets.
    "search_or_not_groups": SearchQuery(text='(VNPT OR Viettel) "kinh tế số" -MobiFone -"Hà Giang"'),
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
    assert {"terms": {"partner": ["VNPT", "Viettel"]}} not in partner_agg  # own filter ignored
    assert {"terms": {"province_current": ["Thái Nguyên"]}} in partner_agg  # others respected
    # Hidden duplicates/off-topic and the date range apply to hits and counts alike (query, not post_filter).
    assert {"term": {"is_canonical": True}} in body["query"]["bool"]["filter"]
    # Snippets come from the shared Python highlighter, not from Elasticsearch.
    assert "highlight" not in body


def _text_query(text: str) -> dict:
    return build_search_body(SearchQuery(text=text))["query"]["bool"]["must"][0]


def test_each_word_is_one_phrase_with_keys_chosen_by_the_typed_marks():
    q = _text_query("tuyển dụng Thanh Hoa")
    words = q["bool"]["must"][0]["bool"]["must"]
    assert len(words) == 2  # two words, not four syllables
    first = words[0]["bool"]["should"]
    # Every syllable typed with marks: the phrase goes to the unfolded sub-field.
    assert {"match_phrase": {"title.exact": {"query": "tuyển dụng", "boost": 3.0}}} in first
    assert {"match_phrase": {"text.exact": {"query": "tuyển dụng", "boost": 1.0}}} in first
    # "Thanh Hoa", a known name typed without marks: the name's spelling, or the letters as typed.
    assert {"match_phrase": {"text.exact": {"query": "thanh hóa", "boost": 1.0}}} in words[1]["bool"]["should"]
    assert {"match_phrase": {"text.exact": {"query": "thanh hoa", "boost": 1.0}}} in words[1]["bool"]["should"]
    # An unknown word typed without marks: folded keys, so it meets every spelling.
    loose = _text_query("tuyen dung")["bool"]["must"][0]["bool"]["should"]
    assert {"match_phrase": {"text": {"query": "tuyen dung", "boost": 1.0}}} in loose


def test_mixed_marks_and_i_y_spellings_in_one_phrase():
    words = _text_query("Thanh Hóa")["bool"]["must"][0]["bool"]["should"]
    assert {"match_phrase": {"text": {"query": "thanh hóa", "boost": 1.0}}} in words
    kynang = _text_query("kỹ năng")["bool"]["must"][0]["bool"]["should"]
    assert {"match_phrase": {"text.exact": {"query": "kĩ năng", "boost": 1.0}}} in kynang
    # A known name typed without marks: its spellings, exact (never "Tuyên Quang năm").
    quang_nam = _text_query("quang nam")["bool"]["must"][0]["bool"]["should"]
    assert {"match_phrase": {"text.exact": {"query": "quảng nam", "boost": 1.0}}} in quang_nam
    assert not [q for q in quang_nam if "text" in q["match_phrase"]]


def test_query_language_or_and_exclusions():
    q = _text_query('VNPT OR Viettel -"Hà Giang"')["bool"]["must"][0]["bool"]
    assert len(q["must"]) == 1 and len(q["must"][0]["bool"]["should"]) == 2  # VNPT OR Viettel
    assert q["must_not"][0]["bool"]["should"][0] == {"match_phrase": {"title": {"query": "hà giang", "boost": 3.0}}}
    only_not = _text_query("-Viettel")["bool"]
    assert "must" not in only_not and only_not["must_not"]


def test_named_province_and_partner_boost_what_the_article_is_about():
    should = _text_query("Thanh Hóa VNPT")["bool"]["should"]
    assert {"constant_score": {"filter": {"term": {"primary_province": "Thanh Hóa"}}, "boost": 4.0}} in should
    assert {"constant_score": {"filter": {"term": {"title_partner": "VNPT"}}, "boost": 4.0}} in should
    assert {"match_phrase": {"text.exact": {"query": "thanh hóa", "boost": 1.0}}} in should


def test_analyzers_hold_exact_and_folded_syllables_at_one_position():
    analysis = index_settings()["settings"]["analysis"]
    assert analysis["filter"]["cds_fold"] == {"type": "asciifolding", "preserve_original": True}
    assert "cds_fold" in analysis["analyzer"]["cds_vi"]["filter"]
    assert "cds_fold" not in analysis["analyzer"]["cds_exact"]["filter"]
    props = index_settings()["mappings"]["properties"]
    assert (
        props["text"]["search_analyzer"] == "cds_terms" and props["text"]["fields"]["exact"]["analyzer"] == "cds_exact"
    )


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
    check_golden("not_there", {"a": 1}, folder=tmp_path)  # deliberate regeneration writes it
    monkeypatch.delenv("CDS_UPDATE_GOLDEN")
    with pytest.raises(AssertionError, match="differs"):
        check_golden("not_there", {"a": 2}, folder=tmp_path)
