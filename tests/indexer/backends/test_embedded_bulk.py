"""A big index() batch is prepared by a process pool: same index, same errors, as one process."""

from __future__ import annotations

import dataclasses

import pytest

from indexer.backends import IndexingError
from indexer.backends.embedded import EmbeddedBackend
from indexer.query import SearchQuery
from tests.indexer.backends.sample_articles import by_slug, sample_articles


def _many(copies: int) -> list:
    """The sample articles under distinct URLs, so each copy is its own document."""
    return [
        dataclasses.replace(a, url=a.url.replace(".html", f"-{i}.html"))
        for i in range(copies)
        for a in sample_articles()
    ]


def _facets_and_ids(b: EmbeddedBackend, text: str) -> tuple:
    r = b.search(SearchQuery(text=text, per_page=100))
    return r.total, r.facets, sorted(h.article.id for h in r.hits), [h.snippet for h in r.hits][:3]


def test_pool_builds_the_same_index_as_one_process(tmp_path):
    articles = _many(8)  # 120 articles
    serial = EmbeddedBackend(tmp_path / "serial", parallel_from=10_000)
    pooled = EmbeddedBackend(tmp_path / "pooled", parallel_from=10)
    try:
        assert serial.index(articles) == pooled.index(articles) == len(articles)
        serial.commit()
        pooled.commit()
        assert pooled._pool is not None, "the batch was not sent to the process pool"
        assert serial.count() == pooled.count() == len(articles)
        for text in ("chuyen doi so", "Thanh Hóa VNPT", '"kinh tế số"', "CĐS"):
            assert _facets_and_ids(pooled, text) == _facets_and_ids(serial, text)
    finally:
        serial.close()
        pooled.close()


def test_bad_article_in_a_pooled_batch_is_reported_and_the_rest_written(tmp_path):
    b = EmbeddedBackend(tmp_path, parallel_from=10)
    bad = dataclasses.replace(by_slug("dak-lak-co-dau"), url="http://x.gov.vn/bad.html", periods=[["2020", None]])
    good = _many(2)
    try:
        with pytest.raises(IndexingError) as err:
            b.index(good[:7] + [bad] + good[7:])
        assert list(err.value.failed) == [bad.id] and err.value.written == len(good)
        b.commit()
        assert b.count() == len(good)
    finally:
        b.close()


FILTERS = [
    {},
    {"partner": ["VNPT"]},
    {"partner": ["VNPT", "Viettel"], "year": ["2021"]},
    {"province_current": ["Thái Nguyên"], "kind": ["agreement", "news"]},
    {"source": ["thanhhoa.gov.vn"], "agreement_year": ["2023"], "partner": ["vnpt"]},
    {"province": ['Thanh "Hóa'], "year": ["2021"]},  # parser syntax is a literal value
    {"partner": ["VNPT) OR partner:(Viettel"], "year": ["2021"]},
    {"source": ["a\\b"], "year": ["2021"]},
    {"source": ["Báo (điện tử), số 1"], "partner": ["VNPT"]},
]  # quoted for the parser


@pytest.mark.parametrize("filters", FILTERS)
def test_one_pass_facet_counts_equal_a_pass_per_group(tmp_path, filters, monkeypatch):
    """The single aggregation (filter sub-aggregations in tantivy's query language) counts what
    one aggregation per group of Query objects counts, hostile values included."""
    b = EmbeddedBackend(tmp_path)
    b.index(_many(2))
    b.commit()
    try:
        queries = [SearchQuery(text=t, filters=filters) for t in ("", "chuyen doi so", "VNPT OR Viettel", "Thanh Hóa")]
        one_pass = [b.search(q).facets for q in queries]
        monkeypatch.setattr(b.builder, "filter_string", lambda q, facets: None)
        per_group = [b.search(q).facets for q in queries]
        assert one_pass == per_group
        assert any(count for facets in one_pass for values in facets.values() for _, count in values)
    finally:
        b.close()
