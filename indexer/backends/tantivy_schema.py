"""The embedded (tantivy) index layout: fields, analyzers, and Article -> tantivy Document.

Why two copies of each text field:
* ``*_exact`` (lowercase only) matches what the user typed, diacritics included, so
  "Thanh Hóa" ranks a page saying "Thanh Hóa" above one saying "thanh hoa";
* ``*_fold`` indexes :func:`indexer.normalize.search_key` of the text (no diacritics, đ→d,
  kỹ/kĩ → ki) so "chuyen doi so" still finds "chuyển đổi số". The query side runs the very
  same function, so both ends agree whatever the analyzer version.
Both get the punctuation gap (:func:`with_gaps`) and drop the sentinel with a stop filter,
which leaves a position hole that phrase queries cannot cross.

Facet fields are raw (untokenized) fast text fields, which ``Searcher.aggregate`` counts with
Elasticsearch-style ``terms`` aggregations; ``year`` is a multi-valued integer. What goes in
them is decided in :mod:`doc_fields`, shared with the Elasticsearch backend.
"""
from __future__ import annotations

import json

import tantivy
from tantivy import Filter, TextAnalyzerBuilder, Tokenizer

from indexer.article import Article
from indexer.backends.query_text import GAP_WORD, MAX_TOKEN_CHARS, with_gaps
from indexer.backends.doc_fields import INT_FACETS, facet_values, published_ts, searchable_body
from indexer.normalize import canonical_lines, search_key

# Bump when fields or analyzers change: an index on disk with another version must be rebuilt.
SCHEMA_VERSION = 1
EXACT, FOLD = "vn_exact", "vn_fold"
# facet name (indexer.query.FACETS) -> tantivy field
FACET_FIELDS = {
    "province": "province", "province_current": "province_current", "partner": "partner",
    "year": "year", "kind": "kind", "source": "source",
}


def analyzer(name: str) -> tantivy.TextAnalyzer:
    """The analyzers by name; built fresh because tantivy needs them re-registered per open."""
    b = TextAnalyzerBuilder(Tokenizer.simple()).filter(Filter.remove_long(MAX_TOKEN_CHARS + 1))
    b = b.filter(Filter.lowercase())
    if name == FOLD:
        b = b.filter(Filter.ascii_fold())
    return b.filter(Filter.custom_stopword([GAP_WORD])).build()


def register_analyzers(index: tantivy.Index) -> None:
    for name in (EXACT, FOLD):
        index.register_tokenizer(name, analyzer(name))


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    for name in ("title", "body"):
        sb.add_text_field(f"{name}_exact", tokenizer_name=EXACT)
        sb.add_text_field(f"{name}_fold", tokenizer_name=FOLD)
    for facet, fname in FACET_FIELDS.items():
        if facet in INT_FACETS:
            sb.add_integer_field(fname, indexed=True, fast=True)
        else:
            sb.add_text_field(fname, fast=True, tokenizer_name="raw")
    sb.add_integer_field("published_ts", indexed=True, fast=True)
    sb.add_boolean_field("is_canonical", indexed=True)
    sb.add_boolean_field("on_topic", indexed=True)
    sb.add_bytes_field("article", stored=True)
    return sb.build()


def to_document(article: Article) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_text("id", article.id)
    for name, text in (("title", canonical_lines(article.title)), ("body", searchable_body(article))):
        gapped = with_gaps(text)
        doc.add_text(f"{name}_exact", gapped)
        doc.add_text(f"{name}_fold", search_key(gapped))
    for facet, values in facet_values(article).items():
        for v in values:
            if facet in INT_FACETS:
                doc.add_integer(FACET_FIELDS[facet], int(v))
            else:
                doc.add_text(FACET_FIELDS[facet], v)
    ts = published_ts(article.published)
    if ts is not None:
        doc.add_integer("published_ts", ts)
    doc.add_boolean("is_canonical", bool(article.is_canonical))
    doc.add_boolean("on_topic", bool(article.on_topic))
    doc.add_bytes("article", json.dumps(article.to_dict(), ensure_ascii=False).encode("utf-8"))
    return doc


def from_document(doc: tantivy.Document) -> Article:
    return Article.from_dict(json.loads(bytes(doc.get_first("article")).decode("utf-8")))
