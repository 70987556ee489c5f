"""Snippets for the embedded backend: matched words in <b>, original diacritics, rest escaped.

Why not tantivy's SnippetGenerator: it highlights query *terms*, so the phrase "kinh tế số"
lights up every "số" in the article and "chuyen doi so" lights up "sở" and "sơ" — misleading
for a journalist scanning results. Here each clause alternative is matched as a whole word
sequence under the same rule as the index (a syllable typed with marks by its exact key, one typed
without by its folded key, so kỹ/kĩ and Hoá/Hóa agree), never across clause punctuation (the same
gap rule as the index).
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from indexer.article import Article
from indexer.backends.doc_fields import display_body
from indexer.backends.query_text import GAP_PATTERN, GAP_WORD, ParsedText, Term
from indexer.lexicon import exact_key
from indexer.normalize import canonical_lines, fold, search_key
from indexer.query import Hit

_WORD_RE = re.compile(r"[^\W_]+")
_GAP_RE = re.compile(GAP_PATTERN + r"|·")  # "·": where a snippet joins two paragraphs
_SENTENCE_END_CHARS = frozenset('.!?…:;"”»)')
MAX_SCAN = 6000


def _one_line(text: str) -> str:
    """Paragraphs joined for a snippet. A paragraph without closing punctuation (a subheading)
    gets " · " after it, so "Quyết liệt hơn trong CĐS · Xác định CĐS là…" does not read as one
    run-on sentence; a phrase is never highlighted across that join."""
    if "\n" not in text:
        return " ".join(text.split())
    out: list[str] = []
    for para in text.split("\n"):
        para = " ".join(para.split())
        if not para:
            continue
        if out and out[-1][-1] not in _SENTENCE_END_CHARS:
            out[-1] += " ·"
        out.append(para)
    return " ".join(out)


# Vietnamese letters by folded base, to find candidate words with one C-level regex scan
# instead of keying every word of a long article in Python (i and y share a class: kĩ/kỹ).
_VI_LETTERS = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵdđ"


@lru_cache(maxsize=1)
def _letter_classes() -> dict[str, str]:
    groups: dict[str, set[str]] = {}
    for ch in _VI_LETTERS:
        for c in (ch, ch.upper()):
            groups.setdefault(fold(c), set()).add(c)
    groups["i"] = groups["y"] = groups["i"] | groups["y"]
    return {base: "[" + "".join(sorted(chars)) + "]" for base, chars in groups.items()}


@lru_cache(maxsize=256)
def _prefilter(first_keys: tuple[str, ...]) -> re.Pattern:
    cls = _letter_classes()
    alts = ["".join(cls.get(c, re.escape(c)) for c in k) for k in first_keys]
    return re.compile(r"(?<![^\W_])(?:" + "|".join(alts) + r")(?![^\W_])", re.IGNORECASE)


@lru_cache(maxsize=65536)
def _key(word: str) -> str:
    return search_key(word)


@lru_cache(maxsize=65536)
def _exact(word: str) -> str:
    return exact_key(word)


def _is(word: str, t: Term) -> bool:
    return (_exact(word) if t.exact else _key(word)) == t.key


@lru_cache(maxsize=256)
def _patterns(words) -> tuple[tuple[Term, ...], ...]:
    """Every word sequence to mark, longest first; once per query (cached), not once per hit."""
    pats = {alt.terms for w in words for alt in (*w.alternatives, *w.shown)}
    return tuple(sorted((p for p in pats if p), key=len, reverse=True))


@lru_cache(maxsize=256)
def _by_first(patterns: tuple[tuple[Term, ...], ...]) -> tuple[dict[str, list[tuple[Term, ...]]], re.Pattern]:
    by_first: dict[str, list[tuple[Term, ...]]] = {}
    for p in patterns:
        by_first.setdefault(search_key(p[0].key), []).append(p)
    return by_first, _prefilter(tuple(sorted(by_first)))


def _follow(text: str, pos: int, rest: tuple[Term, ...]) -> int | None:
    """End offset if the words after ``pos`` are ``rest``, with no clause punctuation between."""
    for t in rest:
        if t.key == GAP_WORD:  # the spelling's punctuation must be there
            g = _GAP_RE.search(text, pos)
            if g is None or text[pos : g.start()].strip():
                return None
            pos = g.end()
            continue
        m = _WORD_RE.search(text, pos)
        if m is None or not _is(m.group(), t) or _GAP_RE.search(text, pos, m.start() + 1):
            return None
        pos = m.end()
    return pos


def _spans(text: str, patterns: tuple[tuple[Term, ...], ...]) -> list[tuple[int, int]]:
    by_first, prefilter = _by_first(patterns)
    spans = []
    for m in prefilter.finditer(text):
        for p in by_first.get(_key(m.group()), ()):
            if not _is(m.group(), p[0]):
                continue
            end = _follow(text, m.end(), p[1:])
            if end is not None:
                spans.append((m.start(), end))
                break
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def _render(text: str, spans: list[tuple[int, int]], lo: int, hi: int) -> str:
    out, pos = [], lo
    for s, e in spans:
        if e <= lo or s >= hi:
            continue
        s, e = max(s, lo), min(e, hi)
        out.append(html.escape(text[pos:s]))
        out.append(f"<b>{html.escape(text[s:e])}</b>")
        pos = e
    out.append(html.escape(text[pos:hi]))
    return "".join(out)


def highlight(text: str, parsed: ParsedText, max_chars: int | None = None) -> str:
    """HTML of the best window of ``text`` (or all of it), or "" when nothing matches.

    Snippets look at the first MAX_SCAN characters only: enough for a journalist to judge a hit,
    and it bounds the work per hit on very long reports.
    """
    if not text or parsed.is_empty:
        return ""
    text = _one_line(text[:MAX_SCAN]) if max_chars else text
    spans = _spans(text, _patterns(parsed.words))
    if not spans:
        return ""
    if not max_chars or len(text) <= max_chars:
        return _render(text, spans, 0, len(text))
    # The window with the most matches, starting a little before its first match.
    best, best_n = spans[0][0], 0
    for s, _ in spans:
        n = sum(1 for s2, e2 in spans if s <= s2 and e2 <= s + max_chars)
        if n > best_n:
            best, best_n = s, n
    lo = max(0, best - max_chars // 5)
    if lo:
        lo = text.find(" ", lo) + 1 or lo
    hi = min(len(text), lo + max_chars)
    if hi < len(text):
        hi = text.rfind(" ", lo, hi) if text.rfind(" ", lo, hi) > best else hi
    body = _render(text, spans, lo, hi)
    return ("… " if lo else "") + body + (" …" if hi < len(text) else "")


def make_hit(article: Article, score: float, parsed: ParsedText, snippet_chars: int) -> Hit:
    """A result line, the same on every backend: title and snippet with the matched words in <b>."""
    body = display_body(article)
    title = canonical_lines(article.title)
    return Hit(
        article=article,
        score=score,
        snippet=highlight(body, parsed, snippet_chars) or html.escape(shorten(body, snippet_chars)),
        title_html=highlight(title, parsed) or html.escape(title),
    )


def shorten(text: str, limit: int) -> str:
    # Collapsing whitespace keeps prefixes, so a long page needs only its start looked at.
    head = " ".join(text[: 4 * limit + 64].split())
    text = head if len(head) > limit + 1 else " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + " …"
