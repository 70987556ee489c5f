"""What the user typed -> clauses that every backend translates the same way.

We never hand user text to an engine's own query parser: tantivy's and Elasticsearch's
``query_string`` both give meaning to ``field:``, ``*``, ``"``, ``(``, ``AND``… and answer
hostile input with syntax errors (a 500 for the journalist). Instead the text is cut here
into plain words and quoted phrases, each a :class:`Clause` the document must satisfy, with
the abbreviation alternatives (CĐS ↔ chuyển đổi số) from :mod:`indexer.normalize`.

The same module also holds the punctuation gap both backends apply at index and query time:
"Về kinh tế, số doanh nghiệp" must not match the phrase "kinh tế số", so clause-ending
punctuation becomes a sentinel word that the analyzers drop, leaving a position hole.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.normalize import Abbreviations, canonical, expand_query, search_key

MAX_QUERY_CHARS = 500
MAX_CLAUSES = 24
MAX_TOKEN_CHARS = 40
# Ranking, shared by both backends: exact-diacritics copies outrank folded ones, titles bodies.
FIELD_BOOSTS = {"title_exact": 6.0, "title_fold": 3.0, "body_exact": 2.0, "body_fold": 1.0}
PROXIMITY_BOOST = 2.0      # bare words side by side ("Thanh Hoa") beat the same words far apart
PROXIMITY_SLOP = 2

GAP_WORD = "zzgapzz"
# Clause punctuation (followed by a space or the end: "TP.HCM", "2021-2025", "4.0" stay whole),
# free-standing dashes/slashes, brackets and quotes, and line breaks (paragraphs, title|body).
# Written in the common subset of Python and Java regex: Elasticsearch's char filter uses it too.
GAP_PATTERN = r"[,;:!?…]+(?=\s|$)|\.+(?=\s|$)|\s[-–—/|]+(?=\s)|[()\[\]{}\"“”«»]|\n+"
_GAP_RE = re.compile(GAP_PATTERN)
_WORD_RE = re.compile(r"[^\W_]+")      # what tantivy's simple tokenizer calls a token
_QUOTED_RE = re.compile(r'"([^"]*)("|$)')
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "＂": '"'})


def with_gaps(text: str) -> str:
    """Text with the gap sentinel at clause punctuation; the analyzers drop the sentinel."""
    return _GAP_RE.sub(f" {GAP_WORD} ", text)


@dataclass(frozen=True)
class Clause:
    """One requirement: the document matches at least one alternative (word or phrase)."""
    alternatives: tuple[str, ...]    # canonical text, first = as typed
    quoted: bool = False

    def keys(self) -> tuple[str, ...]:
        return tuple(search_key(a) for a in self.alternatives)


@dataclass(frozen=True)
class ParsedText:
    clauses: tuple[Clause, ...]
    proximity: str = ""              # the bare words as one phrase: a ranking boost, not a filter

    @property
    def is_empty(self) -> bool:
        return not self.clauses


def _bare_clauses(text: str, abbreviations: Abbreviations | None) -> list[Clause]:
    out: list[Clause] = []
    for segment in expand_query(text, abbreviations):
        if len(segment) > 1:                       # an abbreviation and its expansions
            out.append(Clause(tuple(s for s in segment if _WORD_RE.search(s))))
            continue
        out.extend(Clause((w,)) for w in _WORD_RE.findall(segment[0]) if len(w) <= MAX_TOKEN_CHARS)
    return [c for c in out if c.alternatives]


def parse_text(text: str, abbreviations: Abbreviations | None = None) -> ParsedText:
    """Words are ANDed, "quoted phrases" are exact (modulo diacritics), the rest is ignored.

    An unbalanced quote quotes to the end of the text; control characters, ``field:`` syntax,
    wildcards and SQL-ish punctuation are just separators. Over-long input is cut, never refused.
    """
    text = canonical((text or "")[:MAX_QUERY_CHARS]).translate(_QUOTES)
    clauses: list[Clause] = []
    bare_words: list[str] = []
    pos = 0
    for m in _QUOTED_RE.finditer(text):
        bare = text[pos:m.start()]
        clauses.extend(_bare_clauses(bare, abbreviations))
        bare_words.extend(_WORD_RE.findall(bare))
        phrase = " ".join(m.group(1).split())
        if _WORD_RE.search(phrase):
            clauses.append(Clause((phrase,), quoted=True))
        pos = m.end()
    clauses.extend(_bare_clauses(text[pos:], abbreviations))
    bare_words.extend(_WORD_RE.findall(text[pos:]))
    # Dedupe (a pasted paragraph repeats words) and cap so the engine's work stays bounded.
    unique = list(dict.fromkeys(clauses))[:MAX_CLAUSES]
    proximity = " ".join(bare_words[:MAX_CLAUSES]) if len(bare_words) > 1 else ""
    return ParsedText(tuple(unique), proximity)
