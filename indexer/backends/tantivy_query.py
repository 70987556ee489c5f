"""SearchQuery -> tantivy Query objects (text, filters, and the per-facet variants).

The text query is the tree of :mod:`query_text`, scored as its docstring says (one description
for both backends). Engine detail: the text fields hold each syllable twice (folded key, marked
"~", at position 2k, exact key at 2k+1, see :mod:`tantivy_schema`), so a phrase of terms t0…tn
is a tantivy phrase with offsets 2i (+1 for an exact term), and slops double.

Filters never score (const 0). Facet counts are disjunctive, as in Elastic search-ui: the
counts of a facet ignore that facet's own selection (so ticking "VNPT" still shows how many
"Viettel" articles there are) but respect every other facet's.
"""

from __future__ import annotations

import re

import tantivy
from tantivy import FieldType, Occur, Query

from indexer.backends.doc_fields import INT_FACETS, day_bounds
from indexer.backends.query_text import (
    ENTITY_BOOST,
    EXACT_BOOST,
    GAP_WORD,
    KIND_BOOST,
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
)
from indexer.backends.tantivy_schema import FACET_FIELDS, FOLD_MARK
from indexer.normalize import canonical_lines
from indexer.query import SearchQuery

FIELD_BOOSTS = {"title": TITLE_BOOST, "body": 1.0}
_PLAIN_VALUE = re.compile(r"[^\W_]+(?:[ .,\-–()]+[^\W_]+)*\)?")


class QueryBuilder:
    def __init__(self, schema: tantivy.Schema) -> None:
        self.schema = schema

    # -- text ------------------------------------------------------------------------------------
    def phrase(self, field: str, phrase: Phrase, slop: int = 0) -> Query | None:
        # Syllable i sits at 2i (folded) / 2i+1 (exact); a gap term is a hole of one syllable.
        words = [
            (2 * i + 1, t.key) if t.exact else (2 * i, FOLD_MARK + t.key)
            for i, t in enumerate(phrase.terms)
            if t.key != GAP_WORD
        ]
        if not words:
            return None
        if len(words) == 1:
            return Query.term_query(self.schema, field, words[0][1])
        return Query.phrase_query(self.schema, field, words, slop=2 * slop)

    def _fields(self, phrase: Phrase, boost: float = 1.0, slop: int = 0) -> list[Query]:
        out = []
        for field, field_boost in FIELD_BOOSTS.items():
            q = self.phrase(field, phrase, slop)
            if q is not None:
                out.append(Query.boost_query(q, field_boost * boost))
        return out

    def word(self, word: Word) -> Query | None:
        alts = word.alternatives
        subs = []
        if word.cased:  # "AI" as typed: only where the page writes it in capitals
            subs.append(Query.term_query(self.schema, "caps", alts[0].terms[0].key))
            alts = alts[1:]
        text = [q for alt in alts for q in self._fields(alt)]
        if word.or_tagged and text:  # the rest of its score is a boost (_company_boost)
            text = [Query.boost_query(self._any(text), UNTAGGED_WEIGHT)]
        subs += text
        if word.or_tagged:
            subs.append(Query.const_score_query(self._tag(word), TAG_SCORE))
        if not subs:
            return None
        q = subs[0] if len(subs) == 1 else Query.boolean_query([(Occur.Should, q) for q in subs])
        if word.tagged:
            tag = Query.term_query(self.schema, FACET_FIELDS["province"], canonical_lines(word.value))
            q = Query.boolean_query([(Occur.Must, q), (Occur.Must, Query.const_score_query(tag, 0.0))])
        return q

    def _tag(self, word: Word) -> Query:
        """The facet value a word names (a partner, a year), as a term of its facet field."""
        value = int(word.value) if word.facet in INT_FACETS else canonical_lines(word.value)
        return Query.term_query(self.schema, FACET_FIELDS[word.facet], value)

    @staticmethod
    def _any(queries: list[Query]) -> Query:
        return queries[0] if len(queries) == 1 else Query.boolean_query([(Occur.Should, q) for q in queries])

    def _as_company(self, word: Word, text: list[Query]) -> list[Query]:
        """A company's words score fully where the tagger found that company, UNTAGGED_WEIGHT
        elsewhere (where they are part of another name: "Viettel" in "Viettel Post")."""
        if not word.or_tagged or not text:
            return text
        return [Query.boost_query(self._any(text), UNTAGGED_WEIGHT), *self._company_boost(word, text)]

    def _company_boost(self, word: Word, text: list[Query]) -> list[Query]:
        """The other 1 - UNTAGGED_WEIGHT of a company's words, where the tagger found it: a
        ranking boost, so the facet counts (which need only the required query) never pay for
        it; the scores equal es_bodies' (both parts there sit in the required clause)."""
        if not word.or_tagged or not text:
            return []
        tagged = Query.boolean_query(
            [(Occur.Must, self._any(text)), (Occur.Must, Query.const_score_query(self._tag(word), 0.0))]
        )
        return [Query.boost_query(tagged, 1.0 - UNTAGGED_WEIGHT)]

    def node(self, node: Node) -> Query | None:
        if isinstance(node, Word):
            return self.word(node)
        if isinstance(node, AnyOf):
            subs = [q for c in node.children if (q := self.node(c)) is not None]
            if not subs:
                return None
            return Query.boolean_query([(Occur.Should, q) for q in subs])
        musts = [q for c in node.children if (q := self.node(c)) is not None]
        nots = [q for c in node.excluded if (q := self.node(c)) is not None]
        if not musts and not nots:
            return None
        parts = [(Occur.Must, q) for q in musts] or [(Occur.Must, Query.const_score_query(Query.all_query(), 0.0))]
        parts += [(Occur.MustNot, q) for q in nots]
        return Query.boolean_query(parts)

    def required_query(self, parsed: ParsedText) -> Query | None:
        """What a document must match, without the ranking boosts: the same documents as
        :meth:`text_query`, for what needs no score (facet counts)."""
        return self.node(parsed.root) if parsed.root is not None else None

    def text_query(self, parsed: ParsedText, required: Query | None = None) -> Query | None:
        required = required if required is not None else self.required_query(parsed)
        if required is None:
            return None
        boosts: list[Query] = []
        for w in parsed.words:
            boosts += self._as_company(w, self._fields(w.exact, EXACT_BOOST))
            boosts += self._company_boost(w, [q for alt in w.alternatives for q in self._fields(alt)])
        for run in parsed.runs:
            joined = Phrase(tuple(t for w in run for t in w.alternatives[0].terms), " ".join(w.typed for w in run))
            boosts += self._fields(joined, PROXIMITY_BOOST, PROXIMITY_SLOP)
        boosts += self.entity_boosts(parsed)
        if not boosts:
            return required
        return Query.boolean_query([(Occur.Must, required)] + [(Occur.Should, q) for q in boosts])

    def entity_boosts(self, parsed: ParsedText) -> list[Query]:
        out = []
        fields = {"province": "primary_province", "partner": "title_partner"}
        named = [w for w in parsed.detected if w.facet in fields]
        for w in named:
            tag = Query.term_query(self.schema, fields[w.facet], canonical_lines(w.value))
            out.append(Query.const_score_query(tag, ENTITY_BOOST))
        if named:
            kinds = Query.boolean_query(
                [(Occur.Should, Query.term_query(self.schema, "kind", k)) for k in RANKED_KINDS]
            )
            out.append(Query.const_score_query(kinds, KIND_BOOST))
        return out

    # -- filters ---------------------------------------------------------------------------------
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
            out.append(
                Query.range_query(
                    self.schema,
                    "published_ts",
                    FieldType.Integer,
                    lo if lo is not None else -(2**62),
                    hi if hi is not None else 2**62,
                )
            )
        return out

    @staticmethod
    def combine(text_q: Query | None, filters: list[Query]) -> Query:
        """Text query AND filters, filters contributing no score."""
        parts = [(Occur.Must, text_q if text_q is not None else Query.all_query())]
        parts.extend((Occur.Must, Query.const_score_query(f, 0.0)) for f in filters)
        return parts[0][1] if len(parts) == 1 else Query.boolean_query(parts)

    def facet_filters(self, q: SearchQuery) -> dict[str, Query]:
        return {f: self.facet_filter(f, vals) for f, vals in q.filters.items() if vals}

    @staticmethod
    def filter_string(q: SearchQuery, facets) -> str | None:
        """The facet filters of ``facets`` in tantivy's query language, for a ``filter``
        aggregation (which takes no Query object); None when a value is not a plain word,
        number or name (it could mean something to the parser), so the caller counts with
        Query objects instead. No user syntax reaches the parser: every value is a quoted
        literal of letters, digits, spaces and . , - – ( )."""
        clauses = []
        for facet in facets:
            field, values = FACET_FIELDS[facet], q.filters[facet]
            if facet in INT_FACETS:
                keys = [str(int(v)) for v in values]
                if any(int(k) < 0 for k in keys):
                    return None
                terms = [f"{field}:{k}" for k in keys]
            else:
                keys = [canonical_lines(v) for v in values]
                if not all(keys) or any(not _PLAIN_VALUE.fullmatch(k) for k in keys):
                    return None
                terms = [f'{field}:"{k}"' for k in keys]
            clauses.append("(" + " OR ".join(terms) + ")")
        return " AND ".join(clauses)
