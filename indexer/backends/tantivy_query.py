"""SearchQuery -> tantivy Query objects (text, filters, and the per-facet variants).

Scoring: each clause must match in some field; per field the BM25 scores add up with the
boosts of :data:`query_text.FIELD_BOOSTS` (title_exact 6, title_fold 3, body_exact 2, body_fold 1). A page with the exact diacritics scores
on both copies, so it outranks a page that only matches folded. Bare words also get a sloppy
phrase boost so "Thanh Hoa" prefers the two words side by side over "số hóa … Thanh Sơn".

Filters never score (const 0). Facet counts are disjunctive, as in Elastic search-ui: the
counts of a facet ignore that facet's own selection (so ticking "VNPT" still shows how many
"Viettel" articles there are) but respect every other facet's.
"""
from __future__ import annotations

import tantivy
from tantivy import FieldType, Occur, Query

from indexer.backends.doc_fields import INT_FACETS, day_bounds
from indexer.backends.query_text import FIELD_BOOSTS, PROXIMITY_BOOST, PROXIMITY_SLOP, Clause, ParsedText, with_gaps
from indexer.backends.tantivy_schema import EXACT, FACET_FIELDS, FOLD, analyzer
from indexer.normalize import canonical, search_key, canonical_lines
from indexer.query import SearchQuery



class QueryBuilder:
    """Holds the schema and the same analyzers the index uses, so query tokens match."""

    def __init__(self, schema: tantivy.Schema) -> None:
        self.schema = schema
        self._analyzers = {EXACT: analyzer(EXACT), FOLD: analyzer(FOLD)}

    def _tokens(self, text: str, kind: str) -> list[tuple[int, str]]:
        src = with_gaps(canonical(text)) if kind == EXACT else search_key(with_gaps(text))
        toks = self._analyzers[kind].pre_tokenize(src).tokens
        if not toks:
            return []
        first = toks[0].position
        return [(t.position - first, t.text) for t in toks]

    def _field_query(self, field: str, text: str, slop: int = 0) -> Query | None:
        toks = self._tokens(text, EXACT if field.endswith("_exact") else FOLD)
        if not toks:
            return None
        if len(toks) == 1:
            q = Query.term_query(self.schema, field, toks[0][1])
        else:
            q = Query.phrase_query(self.schema, field, toks, slop=slop)
        return Query.boost_query(q, FIELD_BOOSTS[field])

    def _any_field(self, text: str, slop: int = 0) -> list[Query]:
        return [q for f in FIELD_BOOSTS if (q := self._field_query(f, text, slop)) is not None]

    def clause(self, clause: Clause) -> Query | None:
        subs = [q for alt in clause.alternatives for q in self._any_field(alt)]
        if not subs:
            return None
        return Query.boolean_query([(Occur.Should, q) for q in subs])

    def text_query(self, parsed: ParsedText) -> Query | None:
        musts = [q for c in parsed.clauses if (q := self.clause(c)) is not None]
        if not musts:
            return None
        parts = [(Occur.Must, q) for q in musts]
        if parsed.proximity:
            boost = [Query.boost_query(q, PROXIMITY_BOOST)
                     for q in self._any_field(parsed.proximity, PROXIMITY_SLOP)]
            parts.extend((Occur.Should, q) for q in boost)
        return Query.boolean_query(parts)

    def facet_filter(self, facet: str, values: list[str]) -> Query:
        field = FACET_FIELDS[facet]
        if facet in INT_FACETS:
            terms = [Query.term_query(self.schema, field, int(v)) for v in values]
        else:
            terms = [Query.term_query(self.schema, field, canonical_lines(v)) for v in values]
        return Query.boolean_query([(Occur.Should, t) for t in terms])

    def base_filters(self, q: SearchQuery) -> list[Query]:
        """Filters that apply to hits and to every facet count alike."""
        out = []
        if not q.include_duplicates:
            out.append(Query.term_query(self.schema, "is_canonical", True))
        if not q.include_off_topic:
            out.append(Query.term_query(self.schema, "on_topic", True))
        lo, hi = day_bounds(q.date_from, q.date_to)
        if lo is not None or hi is not None:
            out.append(Query.range_query(self.schema, "published_ts", FieldType.Integer,
                                         lo if lo is not None else -(2**62),
                                         hi if hi is not None else 2**62))
        return out

    @staticmethod
    def combine(text_q: Query | None, filters: list[Query]) -> Query:
        """Text query AND filters, filters contributing no score."""
        parts = [(Occur.Must, text_q if text_q is not None else Query.all_query())]
        parts.extend((Occur.Must, Query.const_score_query(f, 0.0)) for f in filters)
        return parts[0][1] if len(parts) == 1 else Query.boolean_query(parts)

    def facet_filters(self, q: SearchQuery) -> dict[str, Query]:
        return {f: self.facet_filter(f, vals) for f, vals in q.filters.items() if vals}
