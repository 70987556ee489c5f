"""Cutting a run of typed syllables into words, so each word can be searched as a phrase.

Vietnamese writes every syllable apart: "tuyển dụng" (recruit) is two tokens, and searching
them as two loose words finds "Tuyên Quang … ứng dụng". The query is therefore segmented:

1. the product's dictionaries first (:mod:`indexer.lexicon`): province and partner names,
   abbreviations, domain terms — longest match, checked against the typed diacritics;
2. what remains, when it carries diacritics, goes to **pyvi** (``ViTokenizer``, a CRF trained on
   the VLSP treebank with a 25k-word dictionary of its own). Chosen over underthesea because it
   is one small package with a CRF model in the wheel (no download at run time), segments a
   query in ~0.1 ms, and its dictionary is plain text we can reuse for step 3. Its cost is the
   import: scikit-learn and scipy come with it (~1.5 s once per process, :func:`warm_up`);
3. a run typed without diacritics ("tuyen dung") is out of pyvi's reach (its CRF was trained on
   marked text, and its accent restorer turns "chuyen doi so" into "Chuyển đối sợ"), so it is
   cut by maximum matching against pyvi's own dictionary folded (no marks, đ→d);
4. syllables that steps 2–3 leave on their own, typed side by side, stay together ("cấp xã",
   "smart city"): a compound no dictionary knows is still one thing to the person typing it;
5. a modifier from the terms file ("số", "điện tử") binds to the word before it: "nông nghiệp số"
   stays whole even if no dictionary lists it — unless a number follows ("văn bản số 12").
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from indexer.lexicon import Entry, Lexicon, is_marked
from indexer.normalize import canonical, search_key

log = logging.getLogger(__name__)
MAX_WORD_SYLLABLES = 4


@dataclass(frozen=True)
class Segment:
    syllables: tuple[str, ...]  # as typed (canonical)
    entry: Entry | None = None  # the dictionary entry it matched, if any


@lru_cache(maxsize=1)
def _pyvi():
    try:
        from pyvi import ViTokenizer
    except ImportError as e:  # pragma: no cover - a broken install, said once
        log.error(
            "pyvi is not installed (requirements.txt): words typed with diacritics are cut by dictionary only (%s)", e
        )
        return None
    return ViTokenizer


@lru_cache(maxsize=1)
def segmenter_words() -> tuple[str, ...]:
    """pyvi's dictionary (one word a line, canonical tone marks), or () without pyvi."""
    spec = _pyvi()
    if spec is None:
        return ()
    path = Path(spec.__file__).parent / "models" / "words.txt"
    return tuple(canonical(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


@lru_cache(maxsize=1)
def _folded_words() -> frozenset[tuple[str, ...]]:
    """pyvi's multi-syllable words, folded: the dictionary of queries typed without marks."""
    out = set()
    for line in segmenter_words():
        parts = tuple(search_key(p) for p in line.split())
        if 1 < len(parts) <= MAX_WORD_SYLLABLES and all(parts):
            out.add(parts)
    return frozenset(out)


def warm_up() -> None:
    """Load the segmenter now (process start) rather than on the first query."""
    _pyvi()
    _folded_words()


def segment(typed: list[str], lexicon: Lexicon) -> list[Segment]:
    """Words of one run of syllables (no punctuation or operator inside), in order."""
    out: list[Segment] = []
    rest: list[str] = []
    i = 0
    while i < len(typed):
        found = lexicon.match(typed, i)
        if found is None:
            rest.append(typed[i])
            i += 1
            continue
        out.extend(_general(rest))
        rest = []
        entry, n = found
        out.append(Segment(tuple(typed[i : i + n]), entry))
        i += n
    out.extend(_general(rest))
    return _bind_modifiers(out, lexicon)


def _general(run: list[str]) -> list[Segment]:
    if not run:
        return []
    if len(run) == 1:
        return [Segment((run[0],))]
    words = _pyvi_words(run) if any(is_marked(s) for s in run) else None
    return _glue_singles(words if words is not None else _max_match(run))


def _glue_singles(words: list[Segment]) -> list[Segment]:
    """Syllables the segmenter left on their own, typed side by side, are kept together: a
    compound it does not know ("cấp xã", "xe điện", "smart city") is still one thing."""
    out: list[tuple[str, ...]] = []
    after_single = False
    for w in words:
        if after_single and len(w.syllables) == 1:
            out[-1] += w.syllables
        else:
            out.append(w.syllables)
        after_single = len(w.syllables) == 1
    return [Segment(s) for s in out]


def _pyvi_words(run: list[str]) -> list[Segment] | None:
    tokenizer = _pyvi()
    if tokenizer is None:
        return None
    try:
        cut = tokenizer.tokenize(" ".join(run)).split()
    except Exception as e:  # pyvi is a model: never let it fail a search
        log.warning("pyvi could not segment %r: %s", " ".join(run)[:80], e)
        return None
    out, pos = [], 0
    for word in cut:
        n = len([p for p in word.split("_") if p])
        if pos + n > len(run):
            return None
        out.append(Segment(tuple(run[pos : pos + n])))
        pos += n
    return out if pos == len(run) else None


def _max_match(run: list[str]) -> list[Segment]:
    """Forward maximum matching on folded syllables: the longest dictionary word first."""
    words = _folded_words()
    keys = [search_key(s) for s in run]
    out, i = [], 0
    while i < len(run):
        for n in range(min(MAX_WORD_SYLLABLES, len(run) - i), 1, -1):
            if tuple(keys[i : i + n]) in words:
                break
        else:
            n = 1
        out.append(Segment(tuple(run[i : i + n])))
        i += n
    return out


def _bind_modifiers(words: list[Segment], lexicon: Lexicon) -> list[Segment]:
    out: list[Segment] = []
    for k, w in enumerate(words):
        nxt = words[k + 1].syllables[0] if k + 1 < len(words) else ""
        if (
            out
            and w.entry is None
            and not (out[-1].entry and out[-1].entry.facet)
            and lexicon.is_modifier(list(w.syllables), 0) == len(w.syllables)
            and not nxt[:1].isdigit()
        ):
            out.append(Segment(out.pop().syllables + w.syllables))  # a new word: no entry's synonyms
            continue
        out.append(w)
    return out
