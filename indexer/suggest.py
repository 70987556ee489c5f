""" "Có phải bạn muốn tìm …": corrections for a query that finds nothing or very little.

Built from the product's dictionaries (province and partner names, abbreviations, domain terms:
:mod:`indexer.lexicon`) and the segmenter's word list (pyvi, :mod:`indexer.segmentation`),
matched on folded keys, so the two mistakes journalists make are both caught:

* wrong or missing marks: "chuyen doi sô" (ô for o) folds to the term "chuyển đổi số";
* letters: "Tuyen Quag" is one edit from "Tuyên Quang" (rapidfuzz, on folded text).

A candidate is only a candidate: :meth:`SearchBackend.search` runs it against the index and
offers it only when it finds more than the query as typed, so a correction always leads
somewhere in *this* index.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from indexer.lexicon import Lexicon, exact_key, is_marked
from indexer.normalize import search_key
from indexer.segmentation import segmenter_words

SUGGEST_BELOW = 3  # a query with fewer results than this gets a correction, if one helps
MAX_SPAN = 4  # syllables in one corrected word
FUZZY_CUTOFF = 84  # rapidfuzz ratio (0-100) on folded text
MIN_FUZZY_CHARS = 5  # shorter spans are too easy to "correct" into something else
_SYL_RE = re.compile(r"[^\W_]+")


@lru_cache(maxsize=8)
def _candidates(lexicon: Lexicon) -> tuple[dict[str, str], dict[str, str]]:
    """(folded key -> spelling) for the product's names and terms, and for pyvi's words."""
    names: dict[str, str] = {}
    for spelling, entry in lexicon.names().items():
        if not entry.strict:
            names.setdefault(search_key(spelling), spelling)
    words: dict[str, str] = {}
    for line in segmenter_words():
        if " " in line and line == line.lower():
            words.setdefault(search_key(line), line)
    return names, words


@lru_cache(maxsize=8)
def _spelt(lexicon: Lexicon) -> frozenset[str]:
    """Every known spelling, by exact key: a typed word found here is not misspelt."""
    spellings = [*lexicon.names(), *segmenter_words()]
    return frozenset(" ".join(exact_key(s) for s in w.split()) for w in spellings)


@lru_cache(maxsize=8)
def _known_syllables(lexicon: Lexicon) -> frozenset[str]:
    """Folded syllables of every known word: a query word made only of these is not misspelt."""
    names, words = _candidates(lexicon)
    out = {s for key in [*names, *words] for s in key.split()}
    out.update(search_key(w) for w in segmenter_words() if " " not in w)
    return frozenset(out)


def _fuzzy(
    key: str, keys: list[str], names: dict[str, str], words: dict[str, str], known: frozenset[str]
) -> str | None:
    """The closest known word of as many syllables that keeps every correctly spelt syllable:
    "Tuyen Quag" -> "Tuyên Quang", but never "VNPT Thanh Hoa" -> "TP Thanh Hóa"."""
    for candidates in (names, words):  # names first: "Tuyen Quag" is a province
        for cand, _, _ in process.extract(
            key, candidates.keys(), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=5
        ):
            parts = cand.split()
            if len(parts) == len(keys) and all(k == c for k, c in zip(keys, parts) if k in known):
                return candidates[cand]
    return None


@lru_cache(maxsize=8)
def _compact(lexicon: Lexicon) -> dict[str, str]:
    """Names by their letters alone: "mobi fone", "viet tel" typed apart."""
    names, _ = _candidates(lexicon)
    return {k.replace(" ", ""): v for k, v in names.items()}


def _acronym(typed: str, names: dict[str, str]) -> str | None:
    """A short name in capitals with two letters swapped or one wrong ("VNTP", "FTP"): too short
    for a ratio, so compared letter by letter with the names of its length in capitals."""
    if not (3 <= len(typed) <= 6 and typed.isupper() and typed.isalpha()):
        return None
    close = [v for v in names.values() if len(v) == len(typed) and v.isupper() and OSA.distance(v, typed) == 1]
    return close[0] if len(close) == 1 else None


def _sound_alike(key: str) -> str:
    """Spellings of one sound journalists mix up in brand names: ph/f ("mobiphone")."""
    return key.replace("ph", "f")


def _fixes(typed: str, key: str, spelling: str, spelt: frozenset[str]) -> bool:
    """The spelling differs from what was typed in a way the typist did not mean."""
    t_syl, s_syl = typed.split(), spelling.split()
    if len(t_syl) != len(s_syl):  # only a name typed apart ("mobi fone") changes the count
        return key.replace(" ", "") == search_key(spelling).replace(" ", "")
    if " ".join(exact_key(s) for s in t_syl) in spelt:
        return False
    if search_key(spelling) != key:
        return True  # letters differ (fuzzy match)
    # Same letters: a correction only where a typed mark disagrees (unmarked typing is fine).
    return any(is_marked(t) and exact_key(t) != exact_key(s) for t, s in zip(t_syl, s_syl))


def correct(text: str, lexicon: Lexicon) -> str | None:
    """The query with its misspelt words replaced, or None when nothing looks misspelt."""
    names, words = _candidates(lexicon)
    compact = _compact(lexicon)
    syllables_known = _known_syllables(lexicon)
    spelt = _spelt(lexicon)
    tokens = list(_SYL_RE.finditer(text))
    out, pos, i, changed = [], 0, 0, False
    while i < len(tokens):
        best = None
        for n in range(min(MAX_SPAN, len(tokens) - i), 0, -1):
            span = tokens[i : i + n]
            if any(text[a.end() : b.start()].strip() for a, b in zip(span, span[1:])):
                continue  # an operator or punctuation inside
            typed = " ".join(m.group() for m in span)
            key = search_key(typed)
            spelling = names.get(key) or (words.get(key) if n > 1 else None)
            keys = key.split()
            if spelling is None and n > 1 and any(k not in syllables_known for k in keys):
                spelling = compact.get("".join(keys))  # "mobi fone"
            if spelling is None and n == 1:
                spelling = _acronym(typed, names) or compact.get(_sound_alike(key))  # VNTP, mobiphone
            if spelling is None and len(key) >= MIN_FUZZY_CHARS and any(k not in syllables_known for k in keys):
                # One unknown syllable ("Viettell") is only compared with names: against every
                # word of the language it would find something for anything.
                spelling = _fuzzy(key, keys, names, words if n > 1 else {}, syllables_known)
            if spelling is not None:
                if _fixes(typed, key, spelling, spelt):
                    best = (n, spelling)
                break  # the longest known word stands as typed
        if best is None:
            i += 1
            continue
        n, spelling = best
        out.append(text[pos : tokens[i].start()])
        out.append(spelling)
        pos = tokens[i + n - 1].end()
        i += n
        changed = True
    if not changed:
        return None
    out.append(text[pos:])
    return "".join(out)
