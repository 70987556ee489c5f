"""The embedded (tantivy) index layout: fields, analyzers, and Article -> tantivy Document.

Why each text field holds every syllable twice: the query rule "a syllable typed with its
diacritics matches only that syllable, one typed without matches any" needs, at every position,
both the exact syllable and its folded key, and a phrase must be able to mix them ("Thanh Hóa":
any "thanh", then exactly "hóa"). tantivy's analyzers cannot put two tokens at one position, so
:func:`interleave` writes them in turn — syllable *k* is the folded key at position 2k and the
exact key at 2k+1 — and the query builder doubles its offsets. Folded keys carry FOLD_MARK
("~hoa"), so the two never share a term: "dak" typed as the page writes it (exact) is a different
term from the "dak" every "Đắk" folds to, with its own frequency. The punctuation gap is two
sentinel words (the analyzer drops them), a hole of one whole syllable that no phrase can cross.

Facet fields are raw (untokenized) fast text fields, which ``Searcher.aggregate`` counts with
Elasticsearch-style ``terms`` aggregations; ``year`` is a multi-valued integer. What goes in
them is decided in :mod:`doc_fields`, shared with the Elasticsearch backend.
"""

from __future__ import annotations

import json
import re

import tantivy
from tantivy import Filter, TextAnalyzerBuilder, Tokenizer

from indexer.article import Article
from indexer.backends.doc_fields import INT_FACETS, facet_values, published_ts, ranking_values, searchable_body
from indexer.backends.query_text import GAP_PATTERN, GAP_WORD, MAX_TOKEN_CHARS
from indexer.lexicon import exact_key
from indexer.normalize import canonical_lines, search_key

# Bump when fields or analyzers change: an index on disk with another version must be rebuilt.
SCHEMA_VERSION = 3
PAIRS = "vn_pairs"
FOLD_MARK = "~"
TEXT_FIELDS = ("title", "body")
_HOLE = f"{GAP_WORD} {GAP_WORD}"
_pair_cache: dict[str, str] = {GAP_WORD: _HOLE}  # the sentinel typed in a page is a hole too
# facet name (indexer.query.FACETS) -> tantivy field
RANKING_FIELDS = ("primary_province", "title_partner", "caps")
FACET_FIELDS = {
    "province": "province",
    "province_current": "province_current",
    "partner": "partner",
    "year": "year",
    "kind": "kind",
    "source": "source",
    "published_year": "published_year",
    "agreement_year": "agreement_year",
}


def analyzer() -> tantivy.TextAnalyzer:
    """The text analyzer: :func:`interleave` already cut and keyed the text; drop the gap words."""
    return TextAnalyzerBuilder(Tokenizer.whitespace()).filter(Filter.custom_stopword([GAP_WORD])).build()


def register_analyzers(index: tantivy.Index) -> None:
    index.register_tokenizer(PAIRS, analyzer())


def _pair(token: str) -> str:
    pair = _pair_cache.get(token)
    if pair is None:
        if not token[0].isalnum() or len(token) > MAX_TOKEN_CHARS:  # clause punctuation: a hole
            pair = _HOLE
        else:
            pair = f"{FOLD_MARK}{search_key(token)} {exact_key(token)}"
            if len(pair.split()) != 2:  # a folding that splits a token: keep positions
                pair = _HOLE
        if len(_pair_cache) < 500_000:
            _pair_cache[token] = pair
    return pair


# One pass over the text: a syllable, or clause punctuation (GAP_PATTERN). Syllables come first so
# the punctuation alternatives are tried only between words; the two never overlap (punctuation
# is not a word character).
_SYLLABLE_OR_GAP = re.compile(r"[^\W_]+|" + GAP_PATTERN)


def interleave(text: str) -> str:
    """ "Thanh Hoá, 2024" -> "~thanh thanh ~hoa hóa zzgapzz zzgapzz ~2024 2024" (see module doc).

    The per-syllable work is one dict lookup: this runs for every word indexed. Punctuation
    found by the same scan is a hole (:func:`_pair`), as ``with_gaps`` + a token scan
    would make it, at half the cost (measured in ``bench/search.py``'s preparation figure).
    """
    get = _pair_cache.get
    return " ".join([get(tok) or _pair(tok) for tok in _SYLLABLE_OR_GAP.findall(text)])


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    for name in TEXT_FIELDS:
        sb.add_text_field(name, tokenizer_name=PAIRS)
    for name in RANKING_FIELDS:
        sb.add_text_field(name, tokenizer_name="raw")
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


def prepare(article: Article) -> dict[str, list]:
    """Every field value of ``article``'s document, as plain Python values.

    The costly part of indexing (normalizing, keying every syllable, tagging values) and
    picklable, so a process pool can run it on every core (:mod:`embedded`); the writer only
    turns it into a document with :func:`document`.
    """
    fields: dict[str, list] = {
        "id": [article.id],
        "title": [interleave(canonical_lines(article.title))],
        "body": [interleave(searchable_body(article))],
    }
    fields.update(ranking_values(article))
    for facet, values in facet_values(article).items():
        if values:
            fields[FACET_FIELDS[facet]] = [int(v) for v in values] if facet in INT_FACETS else list(values)
    ts = published_ts(article.published)
    if ts is not None:
        fields["published_ts"] = [ts]
    fields["is_canonical"] = [bool(article.is_canonical)]
    fields["on_topic"] = [bool(article.on_topic)]
    fields["article"] = [json.dumps(article.to_dict(), ensure_ascii=False).encode("utf-8")]
    return fields


def document(fields: dict[str, list]) -> tantivy.Document:
    return tantivy.Document.from_dict(fields, _schema())


_SCHEMA: list[tantivy.Schema] = []


def _schema() -> tantivy.Schema:
    if not _SCHEMA:
        _SCHEMA.append(build_schema())
    return _SCHEMA[0]


def from_document(doc: tantivy.Document) -> Article:
    return Article.from_dict(json.loads(bytes(doc.get_first("article")).decode("utf-8")))
