"""Elasticsearch index settings, documents and request bodies, as pure functions.

Kept apart from the client code so golden tests (tests/indexer/backends/golden/*.json) pin
every byte we send without a cluster, and so the semantics can be read side by side with the
embedded engine (tantivy_query.py): same clauses from :mod:`query_text`, same boosts, same
punctuation gap, same disjunctive facets, same normalization (the fold sub-field receives
:func:`search_key` output at query time and folds documents with asciifolding + the i/y rule).

Stock Elasticsearch only: no ICU or Vietnamese plugin, which break on every upgrade.
"""
from __future__ import annotations

from typing import Any

from indexer.article import Article
from indexer.backends.doc_fields import INT_FACETS, day_bounds, facet_values, published_ts, searchable_body
from indexer.backends.query_text import (FIELD_BOOSTS, GAP_PATTERN, GAP_WORD, PROXIMITY_BOOST, PROXIMITY_SLOP,
                                         Clause, ParsedText, parse_text)
from indexer.normalize import Abbreviations, canonical, canonical_lines, search_key
from indexer.query import FACETS, SearchQuery

# Bump with any change below; the backend then builds cds-articles-v<N> behind the alias.
MAPPING_VERSION = 1
FACET_SIZE = 100
SNIPPET_CHARS = 260
# embedded field -> Elasticsearch field (text sub-field ".fold" is the folded copy)
ES_FIELDS = {"title_exact": "title", "title_fold": "title.fold", "body_exact": "text", "body_fold": "text.fold"}


def index_settings() -> dict[str, Any]:
    """Settings and mappings for a new concrete index (``create(index=..., body=...)``)."""
    text = lambda: {"type": "text", "analyzer": "cds_exact",  # noqa: E731
                    "fields": {"fold": {"type": "text", "analyzer": "cds_fold"}}}
    keyword = {"type": "keyword"}
    return {
        "settings": {
            "number_of_shards": 1,
            "analysis": {
                "char_filter": {"cds_punct_gap": {
                    "type": "pattern_replace", "pattern": GAP_PATTERN, "replacement": f" {GAP_WORD} "}},
                "filter": {
                    "cds_gap_stop": {"type": "stop", "stopwords": [GAP_WORD]},
                    # search_key's i/y rule (kĩ/kỹ → ki, quý → qui), on whole folded tokens.
                    "cds_iy": {"type": "pattern_replace", "pattern": "^(qu|th|kh|[kltmsh])y$",
                               "replacement": "$1i"},
                    "cds_long": {"type": "length", "max": 40},
                },
                "analyzer": {
                    "cds_exact": {"type": "custom", "char_filter": ["cds_punct_gap"], "tokenizer": "standard",
                                  "filter": ["lowercase", "cds_gap_stop", "cds_long"]},
                    "cds_fold": {"type": "custom", "char_filter": ["cds_punct_gap"], "tokenizer": "standard",
                                 "filter": ["lowercase", "asciifolding", "cds_iy", "cds_gap_stop", "cds_long"]},
                },
            },
        },
        "mappings": {
            # Only the fields below are indexed; "article" (the whole Article) is kept in _source.
            # Display-only fields (source_title, author, image...) live there alone: nothing
            # searches or counts them, so they cost no mapping (the source facet counts ids).
            "dynamic": False,
            "properties": {
                "id": keyword, "title": text(), "text": text(),
                "province": keyword, "province_current": keyword, "partner": keyword,
                "kind": keyword, "source": keyword, "year": {"type": "integer"},
                "published": {"type": "date", "format": "epoch_second"},
                "is_canonical": {"type": "boolean"}, "on_topic": {"type": "boolean"},
                "article": {"type": "object", "enabled": False},
            },
        },
    }


def to_es_document(article: Article) -> dict[str, Any]:
    """The _source we index: the fields searched and faceted, plus the Article to rebuild."""
    doc: dict[str, Any] = {"id": article.id, "title": canonical_lines(article.title),
                           "text": searchable_body(article)}
    doc.update(facet_values(article))
    ts = published_ts(article.published)
    if ts is not None:
        doc["published"] = ts
    doc["is_canonical"] = bool(article.is_canonical)
    doc["on_topic"] = bool(article.on_topic)
    doc["article"] = article.to_dict()
    return doc


def _phrase(field: str, text: str, boost: float, slop: int = 0) -> dict[str, Any]:
    body: dict[str, Any] = {"query": text, "boost": boost}
    if slop:
        body["slop"] = slop
    return {"match_phrase": {ES_FIELDS[field]: body}}


def _any_field(text: str, boost: float = 1.0, slop: int = 0) -> list[dict[str, Any]]:
    out = []
    for field, field_boost in FIELD_BOOSTS.items():
        q = canonical(text) if field.endswith("_exact") else search_key(text)
        out.append(_phrase(field, q, field_boost * boost, slop))
    return out


def clause_query(clause: Clause) -> dict[str, Any]:
    should = [q for alt in clause.alternatives for q in _any_field(alt)]
    return {"bool": {"should": should, "minimum_should_match": 1}}


def text_query(parsed: ParsedText) -> dict[str, Any]:
    if parsed.is_empty:
        return {"match_all": {}}
    q: dict[str, Any] = {"must": [clause_query(c) for c in parsed.clauses]}
    if parsed.proximity:
        q["should"] = _any_field(parsed.proximity, PROXIMITY_BOOST, PROXIMITY_SLOP)
    return {"bool": q}


def base_filters(query: SearchQuery) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if not query.include_duplicates:
        out.append({"term": {"is_canonical": True}})
    if not query.include_off_topic:
        out.append({"term": {"on_topic": True}})
    lo, hi = day_bounds(query.date_from, query.date_to)
    if lo is not None or hi is not None:
        rng: dict[str, Any] = {"format": "epoch_second"}
        if lo is not None:
            rng["gte"] = lo
        if hi is not None:
            rng["lte"] = hi
        out.append({"range": {"published": rng}})
    return out


def facet_filter(facet: str, values: list[str]) -> dict[str, Any]:
    vals = [int(v) for v in values] if facet in INT_FACETS else [canonical_lines(v) for v in values]
    return {"terms": {facet: vals}}


def sort_clause(query: SearchQuery) -> list[Any]:
    sort = query.effective_sort
    if sort == "relevance":
        return ["_score", {"published": {"order": "desc", "missing": "_last"}}]
    return [{"published": {"order": "desc" if sort == "newest" else "asc", "missing": "_last"}}, "_score"]


def build_search_body(query: SearchQuery, abbreviations: Abbreviations | None = None) -> dict[str, Any]:
    """One request: hits under post_filter, facets as filtered aggs (disjunctive, search-ui style)."""
    parsed = parse_text(query.text, abbreviations)
    facet_filters = {f: facet_filter(f, v) for f, v in query.filters.items() if v}
    body: dict[str, Any] = {
        "query": {"bool": {"must": [text_query(parsed)], "filter": base_filters(query)}},
        "from": query.offset, "size": query.per_page, "track_total_hits": True,
        "sort": sort_clause(query), "_source": ["article"],
        "aggs": {
            f: {"filter": {"bool": {"filter": [q for g, q in facet_filters.items() if g != f]}},
                "aggs": {"values": {"terms": {"field": f, "size": FACET_SIZE}}}}
            for f in FACETS
        },
    }
    if facet_filters:
        body["post_filter"] = {"bool": {"filter": list(facet_filters.values())}}
    if not parsed.is_empty:
        body["highlight"] = {
            "pre_tags": ["<b>"], "post_tags": ["</b>"], "encoder": "html", "type": "unified",
            "fields": {
                "title": {"number_of_fragments": 0}, "title.fold": {"number_of_fragments": 0},
                "text": {"fragment_size": SNIPPET_CHARS, "number_of_fragments": 1},
                "text.fold": {"fragment_size": SNIPPET_CHARS, "number_of_fragments": 1},
            },
        }
    return body
