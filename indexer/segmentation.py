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
   A word pyvi's CRF makes that its dictionary does not list ("ký_kết_hợp_tác", "tỉnh_ký") is
   cut again by that dictionary ("ký kết" + "hợp tác", "tỉnh" + "ký"), and the parts stay
   apart: the CRF glues collocations, and a journalist typing "ký kết hợp tác Viettel" means
   the signing, however the article words it ("ký kết thỏa thuận hợp tác");
4. syllables that steps 2–3 leave on their own, typed side by side, stay together ("cấp xã",
   "smart city", "số 12"): a compound no dictionary knows is still one thing to the person
   typing it — but never a function word ("ký với", "tỉnh nào", "năm 2021"), "ký", an acronym
   in capitals ("DTI 2023") or a year, and "tỉnh/huyện/xã/sở/phường" only end one ("cấp xã",
   never "tỉnh ký"): those are words of a sentence, not a compound;
5. a modifier from the terms file ("số", "điện tử") binds to the word before it: "nông nghiệp số"
   stays whole even if no dictionary lists it — unless a number follows ("văn bản số 12").

Function words (:data:`FUNCTION_WORDS`: "với", "của", "nào"…) typed with their marks are
optional in the query (:mod:`indexer.backends.query_text`): a question typed as a sentence
("tỉnh nào ký thỏa thuận với VNPT") must not require "nào" in the article.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from indexer.lexicon import Entry, Lexicon, is_marked
from indexer.normalize import canonical, search_key

log = logging.getLogger(__name__)
MAX_WORD_SYLLABLES = 4
# Grammatical words of a sentence typed as a query: prepositions, conjunctions, question words,
# tense and plural markers. Not "không"/"chưa" (negation changes the meaning: "không dùng tiền
# mặt"), nor words that are also content ("số", "năm" is kept out of the compound rule only).
FUNCTION_WORDS = frozenset(
    "với và của cho các những là thì mà nào gì đâu sao có được đã đang sẽ ở tại về trong từ đến "
    "theo này đó kia khi để như hay hoặc bị do vì nên cũng rất bởi qua".split()
)
# Nouns a journalist types before a name or a verb: they end a compound ("cấp xã", "cấp tỉnh")
# but never start one ("tỉnh ký", "sở ký", "xã triển khai" are two words).
_LAST_ONLY = frozenset("tỉnh huyện xã sở phường".split())
_ALONE = FUNCTION_WORDS | {"năm", "ký"}  # never in a compound pyvi does not know
_LAST_ONLY_FOLDED = frozenset(search_key(w) for w in _LAST_ONLY)
_ALONE_FOLDED = frozenset(search_key(w) for w in _ALONE)


# Question phrases: "bao nhiêu tỉnh", "ký khi nào".
FUNCTION_PHRASES = frozenset({("bao", "nhiêu"), ("khi", "nào"), ("như", "thế", "nào"), ("là", "gì")})


def is_function_word(syllable: str) -> bool:
    """A function word typed with its marks ("với", not "voi" — elephant — or "va")."""
    return syllable.lower() in FUNCTION_WORDS


def is_function_phrase(syllables: tuple[str, ...]) -> bool:
    return tuple(s.lower() for s in syllables) in FUNCTION_PHRASES or (
        len(syllables) == 1 and is_function_word(syllables[0])
    )


@dataclass(frozen=True)
class Segment:
    syllables: tuple[str, ...]  # as typed (canonical)
    entry: Entry | None = None  # the dictionary entry it matched, if any
    loose: bool = False  # cut from a word pyvi's CRF made up: never glued back (step 4)


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


YEAR = re.compile(r"(?:19[5-9]|20\d)\d")  # a year a journalist types ("Viettel 2021"): query_text reads it as one


def _gluable(syllable: str) -> tuple[str, bool]:
    """(kind, may_lead): kind "digit" or "word" when a lone syllable may join its lone neighbour,
    "" when it stands alone — a function word (marked or not), an acronym in capitals, a year
    (its own word: query_text matches it as a year); may_lead False for a noun that only ends
    a compound ("cấp xã", never "xã triển khai")."""
    # Typed with marks, the word itself ("sở", not "số"); typed without, any it may be.
    marked, low, key = is_marked(syllable), syllable.lower(), search_key(syllable)
    alone = low in _ALONE if marked else key in _ALONE_FOLDED
    if alone or (len(syllable) > 1 and syllable.isupper()) or YEAR.fullmatch(syllable):
        return "", False
    last_only = low in _LAST_ONLY if marked else key in _LAST_ONLY_FOLDED
    return ("digit" if syllable.isdigit() else "word"), not last_only


def _glue_singles(words: list[Segment]) -> list[Segment]:
    """Syllables the segmenter left on their own, typed side by side, are kept together: a
    compound it does not know ("cấp xã", "xe điện", "smart city") is still one thing, and so
    is a numbered thing ("số 12"); "năm 2021", "tỉnh ký" are not (see :func:`_gluable`), nor
    a word after a number."""
    out: list[tuple[str, ...]] = []
    prev, lead = "", False
    for w in words:
        kind, may_lead = _gluable(w.syllables[0]) if len(w.syllables) == 1 and not w.loose else ("", False)
        if kind and prev and lead and not (prev == "digit" and kind == "word"):
            out[-1] += w.syllables
        else:
            out.append(w.syllables)
        prev, lead = kind, may_lead
    return [Segment(s) for s in out]


@lru_cache(maxsize=1)
def _marked_words() -> frozenset[str]:
    """pyvi's dictionary, lowercased: is a word the CRF made one it knows?"""
    return frozenset(w.lower() for w in segmenter_words())


def _recut(word: Segment) -> list[Segment]:
    """A CRF word that no dictionary lists, cut by the dictionary: "ký_kết_hợp_tác" is "ký kết"
    + "hợp tác", "tỉnh_ký" is "tỉnh" + "ký" (and those stay apart)."""
    if len(word.syllables) < 2 or " ".join(word.syllables).lower() in _marked_words():
        return [word]
    return [Segment(w.syllables, loose=True) for w in _max_match(list(word.syllables))]


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
        out.extend(_recut(Segment(tuple(run[pos : pos + n]))))
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
