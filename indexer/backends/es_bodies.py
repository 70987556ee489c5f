"""Elasticsearch index settings, documents and request bodies, as pure functions.

Kept apart from the client code so golden tests (tests/indexer/backends/golden/*.json) pin
every byte we send without a cluster, and so the semantics can be read side by side with the
embedded engine (tantivy_query.py): the same tree of words from :mod:`query_text`, the same
boosts (scoring is described once, in query_text's docstring), the same punctuation gap, the
same disjunctive facets.

How the typed-diacritics rule runs on stock analysis: ``title`` and ``text`` are analyzed with
``asciifolding`` + ``preserve_original``, so every position holds the exact syllable (lowercase,
i/y spellings merged: kỹ → kĩ) *and* its folded key (kĩ → ki). The query side sends, per
syllable, the key chosen in Python (:class:`query_text.Term`: exact if typed with marks, else
folded) through a whitespace ``search_analyzer``: "hóa" can only meet the exact token, "hoa"
meets the folded one of every hoa/hòa/hóa. A ``.exact`` sub-field without folding takes every
phrase whose syllables are all exact (a dictionary spelling, a known name typed without marks,
the "typed as the page writes it" boost): there an unmarked "dak" is not the folded "Đắk".

Stock Elasticsearch only: no ICU or Vietnamese plugin, which break on every upgrade.
"""

from __future__ import annotations

from typing import Any

from indexer.article import Article
from indexer.backends.doc_fields import (
    INT_FACETS,
    day_bounds,
    facet_values,
    published_ts,
    ranking_values,
    searchable_body,
)
from indexer.backends.query_text import (
    ENTITY_BOOST,
    EXACT_BOOST,
    GAP_PATTERN,
    GAP_WORD,
    KIND_BOOST,
    MAX_TOKEN_CHARS,
    PROXIMITY_BOOST,
    PROXIMITY_SLOP,
    RANKED_KINDS,
    TAG_SCORE,
    TITLE_BOOST,
    UNTAGGED_WEIGHT,
    AnyOf,
    Node,
    ParsedText,
    Phrase,
    Word,
    parse_text,
)
from indexer.lexicon import Lexicon
from indexer.normalize import canonical_lines
from indexer.query import FACETS, SearchQuery

# Bump with any change below; the backend then builds cds-articles-v<N> behind the alias.
MAPPING_VERSION = 3
FACET_SIZE = 100
SNIPPET_CHARS = 260
FIELD_BOOSTS = {"title": TITLE_BOOST, "text": 1.0}
# The same syllables as query_text/lexicon cut them ([^\W_]+ in Python: letters and digits).
SYLLABLE_PATTERN = r"[\p{L}\p{N}]+"
# exact_key's i/y rule (kĩ/kỹ, tỉ/tỷ, lí/lý, quí/quý), one filter per tone: Java regex replaces
# with one string per pattern.
_IY_TONES = {"y": "i", "ý": "í", "ỳ": "ì", "ỷ": "ỉ", "ỹ": "ĩ", "ỵ": "ị"}


def index_settings() -> dict[str, Any]:
    """Settings and mappings for a new concrete index (``create(index=..., body=...)``)."""

    def text():
        return {
            "type": "text",
            "analyzer": "cds_vi",
            "search_analyzer": "cds_terms",
            "fields": {"exact": {"type": "text", "analyzer": "cds_exact", "search_analyzer": "cds_terms"}},
        }

    keyword = {"type": "keyword"}
    iy = {
        f"cds_iy_{i}": {"type": "pattern_replace", "pattern": f"^(qu|th|kh|[kltmsh]){y}$", "replacement": f"$1{v}"}
        for i, (y, v) in enumerate(_IY_TONES.items())
    }
    base_filters = ["lowercase", *iy]
    return {
        "settings": {
            "number_of_shards": 1,
            "analysis": {
                "char_filter": {
                    "cds_punct_gap": {"type": "pattern_replace", "pattern": GAP_PATTERN, "replacement": f" {GAP_WORD} "}
                },
                "tokenizer": {"cds_syllables": {"type": "pattern", "pattern": SYLLABLE_PATTERN, "group": 0}},
                "filter": {
                    **iy,
                    "cds_fold": {"type": "asciifolding", "preserve_original": True},
                    "cds_gap_stop": {"type": "stop", "stopwords": [GAP_WORD]},
                    "cds_long": {"type": "length", "max": MAX_TOKEN_CHARS},
                },
                "analyzer": {
                    "cds_vi": {
                        "type": "custom",
                        "char_filter": ["cds_punct_gap"],
                        "tokenizer": "cds_syllables",
                        "filter": [*base_filters, "cds_fold", "cds_gap_stop", "cds_long"],
                    },
                    "cds_exact": {
                        "type": "custom",
                        "char_filter": ["cds_punct_gap"],
                        "tokenizer": "cds_syllables",
                        "filter": [*base_filters, "cds_gap_stop", "cds_long"],
                    },
                    # Query keys are made in Python (query_text.Term): only split them; a gap word
                    # (a dictionary spelling's comma) leaves a hole, as in the text.
                    "cds_terms": {"type": "custom", "tokenizer": "whitespace", "filter": ["cds_gap_stop"]},
                },
            },
        },
        "mappings": {
            # Only the fields below are indexed; "article" (the whole Article) is kept in _source.
            # Display-only fields (source_title, author, image...) live there alone: nothing
            # searches or counts them, so they cost no mapping (the source facet counts ids).
            "dynamic": False,
            "properties": {
                "id": keyword,
                "title": text(),
                "text": text(),
                "province": keyword,
                "province_current": keyword,
                "partner": keyword,
                "kind": keyword,
                "source": keyword,
                "year": {"type": "integer"},
                "published_year": {"type": "integer"},
                "agreement_year": {"type": "integer"},
                "primary_province": keyword,
                "title_partner": keyword,
                "caps": keyword,
                "published": {"type": "date", "format": "epoch_second"},
                "is_canonical": {"type": "boolean"},
                "on_topic": {"type": "boolean"},
                "article": {"type": "object", "enabled": False},
            },
        },
    }


def create_index_body(alias: str) -> dict[str, Any]:
    """``indices.create`` of the first ``<alias>-v<N>``: settings, mappings, and the alias as write index."""
    body = index_settings()
    body["aliases"] = {alias: {"is_write_index": True}}
    return body


def alias_swap_actions(alias: str, previous: list[str], index: str) -> list[dict[str, Any]]:
    """``indices.update_aliases`` of an upgrade: one atomic request moves the alias to ``index``."""
    actions: list[dict[str, Any]] = [{"remove": {"index": i, "alias": alias}} for i in previous]
    actions.append({"add": {"index": index, "alias": alias, "is_write_index": True}})
    return actions


def index_action(target: str, article: Article) -> dict[str, Any]:
    """One ``streaming_bulk`` action (the helper's expand_action makes the two bulk lines of it)."""
    return {"_op_type": "index", "_index": target, "_id": article.id, "_source": to_es_document(article)}


def delete_action(target: str, article_id: str) -> dict[str, Any]:
    return {"_op_type": "delete", "_index": target, "_id": article_id}


MATCH_ALL: dict[str, Any] = {"match_all": {}}  # clear() and the copy of an upgrade (scan)


def to_es_document(article: Article) -> dict[str, Any]:
    """The _source we index: the fields searched and faceted, plus the Article to rebuild."""
    doc: dict[str, Any] = {"id": article.id, "title": canonical_lines(article.title), "text": searchable_body(article)}
    doc.update(facet_values(article))
    doc.update(ranking_values(article))
    ts = published_ts(article.published)
    if ts is not None:
        doc["published"] = ts
    doc["is_canonical"] = bool(article.is_canonical)
    doc["on_topic"] = bool(article.on_topic)
    doc["article"] = article.to_dict()
    return doc


def phrase_query(field: str, phrase: Phrase, boost: float, slop: int = 0) -> dict[str, Any] | None:
    """A phrase on ``field``; one whose every syllable is exact goes to ``field.exact``, where an
    unmarked "dak" is only the page's own "dak", never the folded key of "Đắk"."""
    if not phrase.terms:
        return None
    if all(t.exact or t.key == GAP_WORD for t in phrase.terms) and not field.endswith(".exact"):
        field += ".exact"
    body: dict[str, Any] = {"query": " ".join(t.key for t in phrase.terms), "boost": boost}
    if slop:
        body["slop"] = slop
    return {"match_phrase": {field: body}}


def _fields(phrase: Phrase, boost: float = 1.0, slop: int = 0, sub: str = "") -> list[dict[str, Any]]:
    return [q for f, b in FIELD_BOOSTS.items() if (q := phrase_query(f + sub, phrase, b * boost, slop))]


def _as_company(word: Word, text: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A company's words score fully where the tagger found that company, UNTAGGED_WEIGHT
    elsewhere (query_text's scoring doc; tantivy_query does the same)."""
    if not word.or_tagged or not text:
        return text
    tag = {"term": {word.facet: canonical_lines(word.value)}}
    return [
        {"bool": {"should": text, "minimum_should_match": 1, "boost": UNTAGGED_WEIGHT}},
        {
            "bool": {
                "should": text,
                "minimum_should_match": 1,
                "filter": [tag],
                "boost": round(1.0 - UNTAGGED_WEIGHT, 6),
            }
        },
    ]


def node_query(node: Node) -> dict[str, Any] | None:
    if isinstance(node, Word):
        alts = node.alternatives
        should: list[dict[str, Any]] = []
        if node.cased:  # "AI" as typed: only where the page writes it in capitals
            should.append({"term": {"caps": alts[0].terms[0].key}})
            alts = alts[1:]
        should += _as_company(node, [q for alt in alts for q in _fields(alt)])
        if node.or_tagged:
            should.append(
                {"constant_score": {"filter": {"term": {node.facet: canonical_lines(node.value)}}, "boost": TAG_SCORE}}
            )
        if not should:
            return None
        q: dict[str, Any] = {"bool": {"should": should, "minimum_should_match": 1}}
        if node.tagged:
            q["bool"]["filter"] = [{"term": {"province": canonical_lines(node.value)}}]
        return q
    if isinstance(node, AnyOf):
        should = [q for c in node.children if (q := node_query(c)) is not None]
        return {"bool": {"should": should, "minimum_should_match": 1}} if should else None
    must = [q for c in node.children if (q := node_query(c)) is not None]
    must_not = [q for c in node.excluded if (q := node_query(c)) is not None]
    if not must and not must_not:
        return None
    if len(must) == 1 and not must_not:
        return must[0]
    out: dict[str, Any] = {}
    if must:
        out["must"] = must
    if must_not:
        out["must_not"] = must_not
    return {"bool": out}


def entity_boosts(parsed: ParsedText) -> list[dict[str, Any]]:
    fields = {"province": "primary_province", "partner": "title_partner"}
    named = [w for w in parsed.detected if w.facet in fields]
    out: list[dict[str, Any]] = [
        {"constant_score": {"filter": {"term": {fields[w.facet]: canonical_lines(w.value)}}, "boost": ENTITY_BOOST}}
        for w in named
    ]
    if named:
        out.append({"constant_score": {"filter": {"terms": {"kind": list(RANKED_KINDS)}}, "boost": KIND_BOOST}})
    return out


def text_query(parsed: ParsedText) -> dict[str, Any]:
    required = node_query(parsed.root) if parsed.root is not None else None
    if required is None:
        return {"match_all": {}}
    should: list[dict[str, Any]] = []
    for w in parsed.words:
        should += _as_company(w, _fields(w.exact, EXACT_BOOST, sub=".exact"))
    for run in parsed.runs:
        joined = Phrase(tuple(t for w in run for t in w.alternatives[0].terms), " ".join(w.typed for w in run))
        should += _fields(joined, PROXIMITY_BOOST, PROXIMITY_SLOP)
    should += entity_boosts(parsed)
    return {"bool": {"must": [required], "should": should}} if should else required


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


def build_search_body(
    query: SearchQuery, lexicon: Lexicon | None = None, parsed: ParsedText | None = None
) -> dict[str, Any]:
    """One request: hits under post_filter, facets as filtered aggs (disjunctive, search-ui style).

    Snippets are made in Python from _source with the embedded engine's highlighter, so both
    backends bold the same words under the same diacritics rule."""
    parsed = parsed or parse_text(query.text, lexicon)
    facet_filters = {f: facet_filter(f, v) for f, v in query.filters.items() if v}
    body: dict[str, Any] = {
        "query": {"bool": {"must": [text_query(parsed)], "filter": base_filters(query)}},
        "from": query.offset,
        "size": query.per_page,
        "track_total_hits": True,
        "sort": sort_clause(query),
        "_source": ["article"],
        "aggs": {
            f: {
                "filter": {"bool": {"filter": [q for g, q in facet_filters.items() if g != f]}},
                "aggs": {"values": {"terms": {"field": f, "size": FACET_SIZE}}},
            }
            for f in FACETS
        },
    }
    if facet_filters:
        body["post_filter"] = {"bool": {"filter": list(facet_filters.values())}}
    return body


# Exports walk every hit with a point in time and search_after: from + size stops at the index's
# max_result_window (10,000 by default), and a scroll keeps a heavier search context per request.
EXPORT_PAGE = 1000
PIT_KEEP_ALIVE = "2m"


def build_export_body(
    query: SearchQuery,
    pit_id: str,
    search_after: list[Any] | None = None,
    lexicon: Lexicon | None = None,
    parsed: ParsedText | None = None,
    size: int = EXPORT_PAGE,
) -> dict[str, Any]:
    """One page of an export: the search's hits in the search's order, no window limit.

    The facet filters join the query's filters (there are no facet counts to keep disjunctive,
    and a filter scores nothing, so the order is the search's); ``_shard_doc`` breaks ties, so
    search_after never skips or repeats a hit; the point in time keeps the pages consistent
    while the crawler writes."""
    parsed = parsed or parse_text(query.text, lexicon)
    filters = base_filters(query) + [facet_filter(f, v) for f, v in query.filters.items() if v]
    body: dict[str, Any] = {
        "query": {"bool": {"must": [text_query(parsed)], "filter": filters}},
        "size": size,
        "track_total_hits": False,
        "_source": ["article"],
        "sort": sort_clause(query) + [{"_shard_doc": "asc"}],
        "pit": {"id": pit_id, "keep_alive": PIT_KEEP_ALIVE},
    }
    if search_after is not None:
        body["search_after"] = search_after
    return body
