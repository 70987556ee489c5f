"""The product's own dictionaries for queries: names and terms that always stay one word.

A general Vietnamese segmenter (pyvi, see :mod:`indexer.segmentation`) knows "tuyển dụng" but
not that "Bà Rịa - Vũng Tàu" is one name, that "VNPT" and "Tập đoàn Bưu chính Viễn thông Việt
Nam" are one company, or that "chữ ký số" is one thing. Those come from files the product
already keeps, so the query side and the taggers never disagree on what a name is:

* every province, legacy (63) and current (34), with its spellings
  (:func:`indexer.enrichment.admin_units.aliases`), also with "tỉnh / thành phố / TP" before it;
* every partner name, alias and token of ``config/partners.yaml`` (setting PARTNERS_FILE);
* every abbreviation group of ``config/abbreviations.yaml`` (CĐS = chuyển đổi số);
* the domain terms and modifiers of ``config/terms.yaml`` (setting TERMS_FILE).

An entry is found by the folded keys of its syllables, then checked against what was typed:
a syllable typed with diacritics must be that syllable ("Quãng Nam" is not "Quảng Nam"), one
typed without any matches whatever marks ("quang nam" is). Entries that mean the same thing
(a partner's aliases, an abbreviation and its expansion, a province's spellings) are searched
together: ``synonyms``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from indexer.abbreviations import load_abbreviations
from indexer.normalize import GAP_WORD, canonical, fold, search_key, with_gaps

CONFIG = Path(__file__).resolve().parent.parent / "config"
DEFAULT_TERMS_FILE = CONFIG / "terms.yaml"
PROVINCE_PREFIXES = ("tỉnh", "thành phố", "tp")
# Words typed before a company's name that do not change which company it is ("Tập đoàn VNPT").
PARTNER_PREFIXES = ("tập đoàn", "tổng công ty", "công ty", "công ty cổ phần", "nhà mạng")
MAX_ENTRY_SYLLABLES = 10
_SYLLABLE_RE = re.compile(r"[^\W_]+")


def syllables(text: str) -> tuple[str, ...]:
    """The syllables (tokens) of ``text``, canonical, as both engines cut them."""
    return tuple(_SYLLABLE_RE.findall(canonical(text)))


def spelling(text: str) -> tuple[str, ...]:
    """A dictionary spelling's syllables, with the gap word where its punctuation stops a phrase
    ("Trung tâm giám sát, điều hành" keeps its comma as a hole)."""
    out: list[str] = []
    for tok in _SYLLABLE_RE.findall(with_gaps(canonical(text))):
        if tok != GAP_WORD or (out and out[-1] != GAP_WORD):
            out.append(tok)
    while out and out[-1] == GAP_WORD:
        out.pop()
    return tuple(out)


def _plain(sylls: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(s for s in sylls if s != GAP_WORD)


def is_marked(syllable: str) -> bool:
    """True when the syllable carries a diacritic or đ: it then matches only itself."""
    low = syllable.lower()
    return fold(low) != low


@dataclass(frozen=True)
class Entry:
    """One spelling in a dictionary, and what it stands for."""

    syllables: tuple[str, ...]  # canonical dictionary form
    facet: str = ""  # "province" / "partner" for names, else ""
    value: str = ""  # the facet value ("Thanh Hóa", "VNPT")
    synonyms: tuple[tuple[str, ...], ...] = ()  # spellings searched together with it
    prefix: int = 0  # leading syllables not searched ("tỉnh")
    strict: bool = False  # short abbreviation: only typed in capitals
    ambiguous: bool = False  # a name that is also a word ("hòa bình", peace)


@dataclass(eq=False)  # hashable by identity: one per process, cached
class Lexicon:
    entries: dict[tuple[str, ...], list[Entry]] = field(default_factory=dict)  # folded key -> entries
    modifiers: set[tuple[str, ...]] = field(default_factory=set)  # folded keys
    longest: int = 1

    def add(self, entry: Entry) -> None:
        if not entry.syllables or len(entry.syllables) > MAX_ENTRY_SYLLABLES:
            return
        key = tuple(search_key(s) for s in _plain(entry.syllables))
        bucket = self.entries.setdefault(key, [])
        if entry not in bucket:
            bucket.append(entry)
        self.longest = max(self.longest, len(key))

    def match(self, typed: list[str], start: int) -> tuple[Entry, int] | None:
        """The longest entry that ``typed[start:]`` begins with, and its length in syllables."""
        keys = [search_key(s) for s in typed[start : start + self.longest]]
        for n in range(len(keys), 0, -1):
            for entry in self.entries.get(tuple(keys[:n]), ()):
                if _agrees(typed[start : start + n], entry):
                    return entry, n
        return None

    def is_modifier(self, typed: list[str], start: int) -> int:
        """Length of the modifier ("số", "điện tử") at ``typed[start]``, or 0."""
        for n in (2, 1):
            if (
                tuple(search_key(s) for s in typed[start : start + n]) in self.modifiers
                and len(typed[start : start + n]) == n
            ):
                return n
        return 0

    def names(self) -> dict[str, Entry]:
        """Every spelling (canonical text) -> its entry: the candidates for corrections."""
        out: dict[str, Entry] = {}
        for bucket in self.entries.values():
            for e in bucket:
                out.setdefault(" ".join(_plain(e.syllables)), e)
        return out


def _agrees(typed: list[str], entry: Entry) -> bool:
    if entry.strict and any(t != t.upper() for t in typed):
        return False
    return all(not is_marked(t) or exact_key(t) == exact_key(d) for t, d in zip(typed, _plain(entry.syllables)))


# i/y spellings of one syllable (kĩ/kỹ, tỉ/tỷ, lí/lý, quí/quý) are one word, diacritics kept.
_IY = str.maketrans("yýỳỷỹỵ", "iíìỉĩị")
_IY_SYLLABLE = re.compile(r"(qu|th|kh|[kltmsh])[yýỳỷỹỵ]")


def exact_key(syllable: str) -> str:
    """The with-diacritics key of a syllable: lowercase canonical, i/y spellings merged."""
    low = canonical(syllable).lower()
    if _IY_SYLLABLE.fullmatch(low):
        return low[:-1] + low[-1].translate(_IY)
    return low


def _province_entries() -> list[Entry]:
    from indexer.enrichment.admin_units import aliases, province_tables
    from indexer.enrichment.provinces import AMBIGUOUS

    by_legacy = aliases()
    _, _, current = province_tables()
    names = dict(by_legacy)
    for name in current:  # "Huế" is a current name and a legacy alias
        if not any(name in spellings for spellings in by_legacy.values()):
            names[name] = [name]
    out = []
    for legacy, spellings in names.items():
        forms = [spelling(s) for s in spellings]
        forms = [f for f in dict.fromkeys(forms) if f]
        main = forms[0]
        # A shorter spelling inside the name ("Huế" in "Thừa Thiên Huế") names something else too.
        synonyms = tuple(f for f in forms if f == main or not _inside(f, main))
        ambiguous = legacy in AMBIGUOUS
        for form in forms:
            out.append(Entry(form, "province", legacy, synonyms, ambiguous=ambiguous))
            for prefix in PROVINCE_PREFIXES:  # "tỉnh Hòa Bình" is the province, whatever the case
                p = syllables(prefix)
                out.append(Entry(p + form, "province", legacy, synonyms, prefix=len(p), ambiguous=ambiguous))
    return out


def _inside(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    inner, outer = [search_key(x) for x in _plain(short)], [search_key(x) for x in _plain(long)]
    n = len(inner)
    return n < len(outer) and any(outer[i : i + n] == inner for i in range(len(outer) - n + 1))


def _partner_entries(path: str | None) -> list[Entry]:
    from indexer.enrichment.partners import DEFAULT_FILE

    data = yaml.safe_load(Path(path or DEFAULT_FILE).read_text(encoding="utf-8")) or {}
    out = []
    for name, spec in (data.get("partners", data) or {}).items():
        spec = spec or {}
        forms = [spelling(s) for s in [name, *(spec.get("aliases") or []), *(spec.get("tokens") or [])]]
        forms = [f for f in dict.fromkeys(forms) if f]
        for form in forms:
            for prefix in PARTNER_PREFIXES:  # before the plain form: "Tập đoàn FPT" is FPT
                p = syllables(prefix)
                out.append(Entry(p + form, "partner", canonical(name), tuple(forms), prefix=len(p)))
            out.append(Entry(form, "partner", canonical(name), tuple(forms)))
    return out


def _abbreviation_entries(path: str | None) -> list[Entry]:
    abbreviations = load_abbreviations(path)
    out = []
    for group in abbreviations.groups:
        forms = tuple(f for f in dict.fromkeys(spelling(m) for m in group) if f)
        for member in group:
            if spelling(member):
                strict = search_key(member) in abbreviations.strict_keys
                out.append(Entry(spelling(member), synonyms=forms, strict=strict))
    return out


def _term_file(path: str | None) -> dict:
    p = Path(path or DEFAULT_TERMS_FILE)
    return (yaml.safe_load(p.read_text(encoding="utf-8")) or {}) if p.exists() else {}


@lru_cache(maxsize=8)
def load_lexicon(
    abbreviations_file: str | None = None, partners_file: str | None = None, terms_file: str | None = None
) -> Lexicon:
    """The query dictionaries from the configured files (cached: built once per process)."""
    lex = Lexicon()
    terms = _term_file(terms_file)
    # Order matters only among entries with the same folded key: names before plain terms.
    for entry in [
        *_province_entries(),
        *_partner_entries(partners_file),
        *_abbreviation_entries(abbreviations_file),
        *(Entry(spelling(t)) for t in terms.get("terms") or []),
    ]:
        lex.add(entry)
    lex.modifiers = {tuple(search_key(s) for s in syllables(m)) for m in terms.get("modifiers") or []}
    return lex


def lexicon_from_settings(settings) -> Lexicon:
    return load_lexicon(settings.ABBREVIATIONS_FILE, settings.PARTNERS_FILE, settings.TERMS_FILE)
