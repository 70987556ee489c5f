"""One canonical tone-mark placement per Vietnamese syllable (traditional style: hòa, thủy, quý).

Pages mix "Thanh Hoá" and "Thanh Hóa", "Uỷ ban" and "Ủy ban", and typos like "qúy". Those are
different strings to every index and every ``==``, so stored text gets one placement. We use
the traditional style because the seeds' official names ("Thanh Hóa", "Ủy ban", "Hòa Bình")
and vietnamadminunits use it.

Rule (from shared/notes/vietnamese-text.md, checked on the seeds): after stripping the
``qu``/``gi`` onsets, the tone goes on the vowel with a quality mark (ă â ê ô ơ ư; the last one,
so ươ → ơ); else the single vowel; else the last vowel of a closed syllable (toàn, huỳnh); else
the middle of three (ngoài, khuỷu); else the first (hòa, thủy, của). Tokens that are not a
well-formed syllable (foreign words, typos with two tones) are left alone: never corrupt text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")  # huyền sắc ngã hỏi nặng
QUALITY = frozenset("\u0302\u0306\u031b")  # â/ê/ô, ă, ơ/ư
VOWELS = frozenset("aeiouy")
ONSETS = frozenset("b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x".split()) | {""}
FINALS = frozenset("c ch m n ng nh p t".split()) | {""}

# A run of letters (any script's letters plus combining marks); digits and "_" excluded.
WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)


def _split_letters(word: str) -> list[tuple[str, list[str]]] | None:
    """NFD ``word`` into (base letter, [marks]) pairs; None when a mark has no base."""
    out: list[tuple[str, list[str]]] = []
    for ch in unicodedata.normalize("NFD", word):
        if unicodedata.combining(ch):
            if not out:
                return None
            out[-1][1].append(ch)
        else:
            out.append((ch, []))
    return out


def _tone_index(bases: str, quality: list[bool]) -> int | None:
    """Index (into ``bases``, lowercase letters) of the vowel that carries the tone."""
    n = len(bases)
    i = 0
    while i < n and bases[i] not in VOWELS:
        i += 1
    onset = bases[:i]
    # "qu" and "gi" onsets: the u / i belongs to the consonant when another vowel follows.
    if onset == "q" and i < n and bases[i] == "u":
        onset, i = "qu", i + 1
    elif onset == "g" and i < n and bases[i] == "i" and i + 1 < n and bases[i + 1] in VOWELS:
        onset, i = "gi", i + 1
    j = i
    while j < n and bases[j] in VOWELS:
        j += 1
    final = bases[j:]
    if onset not in ONSETS or final not in FINALS or j == i:
        return None
    run = list(range(i, j))
    if len(run) > 3:
        return None
    marked = [k for k in run if quality[k]]
    if marked:
        return marked[-1]
    if len(run) == 1:
        return run[0]
    if final:
        return run[-1]
    if len(run) == 3:
        return run[1]
    return run[0]


@lru_cache(maxsize=65536)
def place_tone(word: str) -> str:
    """Return ``word`` (one syllable, NFC) with its tone on the canonical vowel."""
    if word.isascii():
        return word
    letters = _split_letters(word)
    if letters is None:
        return word
    tone_marks = [(k, m) for k, (_, marks) in enumerate(letters) for m in marks if m in TONES]
    if len(tone_marks) != 1:
        return word
    bases = "".join(b.lower() for b, _ in letters)
    if not all(c.isascii() or c == "đ" for c in bases):
        return word
    quality = [any(m in QUALITY for m in marks) for _, marks in letters]
    target = _tone_index(bases.replace("đ", "d"), quality)
    if target is None:
        return word
    current, tone = tone_marks[0]
    if current == target:
        return word
    letters[current][1].remove(tone)
    letters[target][1].append(tone)
    rebuilt = "".join(b + "".join(marks) for b, marks in letters)
    return unicodedata.normalize("NFC", rebuilt)


def _misplaced_pattern() -> re.Pattern:
    """A regex that finds every syllable :func:`place_tone` could rewrite (and a few it won't).

    Almost all text reaching :func:`place_tones` is canonical already (search_key re-canonicalizes
    stored text; pages mostly use one style), and a Python call per word made tone placement the
    cost of indexing. The rule above says when a tone is misplaced, so one C-level search can tell
    whether any word needs the slow path: a toned vowel before a quality vowel (1a), or a toned
    plain vowel after one (1b); a toned vowel followed by more vowels and another
    letter — closed syllable or triphthong, tone not on the last/middle vowel (2a); a toned plain
    vowel ending an open syllable after another vowel, except the u of "qu" / i of "gi" (2b); a
    tone on the u of "qu" / the i of "gi" (2c); a tone on a consonant (ń, ḿ, ñ). Built from the
    same TONES/QUALITY/VOWELS sets, over every Latin letter whose base is ASCII (other scripts never
    change: :func:`place_tone` leaves words with non-ASCII bases alone).
    """
    vowel, toned, plain_toned, quality, toned_consonant = [], [], [], [], []
    for cp in [*range(0x41, 0x7B), *range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        ch = chr(cp)
        if not ch.isalpha():
            continue
        base, *marks = unicodedata.normalize("NFD", ch)
        if not (base.isascii() and base.isalpha()):
            continue
        has_tone, has_quality = any(m in TONES for m in marks), any(m in QUALITY for m in marks)
        if base.lower() in VOWELS:
            vowel.append(ch)
            if has_quality:
                quality.append(ch)
            if has_tone:
                toned.append(ch)
                if not has_quality:
                    plain_toned.append(ch)
        elif has_tone:
            toned_consonant.append(ch)
    cls = lambda chars: "[" + "".join(re.escape(c) for c in chars) + "]"  # noqa: E731
    of = lambda chars, base: [c for c in chars if unicodedata.normalize("NFD", c)[0].lower() == base]  # noqa: E731
    V, T, Tn, Q = cls(vowel), cls(toned), cls(plain_toned), cls(quality)
    u, i, tu, ti = cls(of(vowel, "u")), cls(of(vowel, "i")), cls(of(toned, "u")), cls(of(toned, "i"))
    other = cls([c for c in vowel if c not in of(vowel, "u") + of(vowel, "i")])
    letter, end = r"[^\W\d_]", r"(?![^\W\d_])"
    # Every case has a toned letter: match it first (a fast scan), then look around it — cases
    # with a vowel after it, cases with a vowel before it (most toned letters have neither).
    # Runs of more than three vowels are never rewritten, so "Q V* Tn" needs at most one V.
    after = "|".join(
        [
            rf"(?<={T})(?={V}*{Q})",  # 1a
            rf"(?<={T})(?={V}+{letter})",  # 2a
            rf"(?<=[qQ]{tu})",
            rf"(?<=[gG]{ti})",
        ]
    )  # 2c
    before = "|".join(
        [
            rf"(?<={Q}{Tn})",
            rf"(?<={Q}{V}{Tn})",  # 1b
            rf"(?:(?<={other}{Tn})|(?<={letter}[qQ]{u}{Tn})|(?<![qQ]{u}{Tn})(?<={u}{Tn})"
            rf"|(?<={letter}[gG]{i}{Tn})|(?<![gG]{i}{Tn})(?<={i}{Tn})){end}",
        ]
    )  # 2b
    return re.compile(
        cls(toned + toned_consonant) + rf"(?:(?={V})(?:{after})|(?<={V}.)(?:{before})|(?<={cls(toned_consonant)}))"
    )  # 3


_MISPLACED = _misplaced_pattern()


def may_move_tone(text: str) -> bool:
    """False when no word of ``text`` can need a tone moved (a superset test, see above)."""
    return _MISPLACED.search(text) is not None


def _letters_with(marks: frozenset, bases: str) -> frozenset:
    out = set()
    for cp in range(0xC0, 0x1F00):
        ch = chr(cp)
        base, *rest = unicodedata.normalize("NFD", ch)
        if ch.isalpha() and base.lower() in bases and set(rest) & marks:
            out.add(ch)
    return frozenset(out)


# Letters only Vietnamese writes among Latin-script languages: horn (ơ ư), breve on a (ă),
# hook above, dot below, đ, and a tilde on e/i/u/y. And letters Vietnamese never writes.
_VIETNAMESE_ONLY = (
    _letters_with(frozenset("\u031b\u0309\u0323"), "aeiouy")
    | _letters_with(frozenset("\u0306"), "a")
    | _letters_with(frozenset("\u0303"), "eiuy")
    | frozenset("đĐ")
)
_NEVER_VIETNAMESE = frozenset("çÇñÑüÜöÖäÄëËïÏÿåÅøØæÆœŒßłŁśŚźŹżŻćĆńŃšŠčČžŽřŘěĚůŮőŐűŰğĞşŞıîÎûÛ")


def looks_vietnamese(text: str) -> bool:
    """False for text that is plainly another language ("Olá, aí está …"): it has more letters
    Vietnamese never writes than Vietnamese-only ones, or several accented letters and not one
    Vietnamese-only letter. Short or unmarked text counts as Vietnamese (this product's text)."""
    viet = foreign = accented = 0
    for ch in text:
        if ch.isascii():
            continue
        if ch in _VIETNAMESE_ONLY:
            viet += 1
        elif ch in _NEVER_VIETNAMESE:
            foreign += 1
        elif ch.isalpha():
            accented += 1
    return viet >= foreign and (viet > 0 or accented < 6)


def place_tones(text: str) -> str:
    """Apply :func:`place_tone` to every letter run of ``text`` (expects NFC input); text in
    another language is left alone, since a Portuguese "aí" is a well-formed Vietnamese
    syllable shape and would become "ái"."""
    if text.isascii() or not may_move_tone(text) or not looks_vietnamese(text):
        return text
    return WORD_RE.sub(lambda m: place_tone(m.group(0)), text)
