"""Vietnamese text normalization, used IDENTICALLY at index time and at query time.

A search for "chuyen doi so" or "Thanh Hoa" must find "chuyển đổi số" and "Thanh Hoá" however
the page encoded them. That only holds if the stored text, the folded index key and the query
all go through the same functions, so every backend and the query parser import these:

* :func:`canonical` — the text we store and show: NFC, lookalikes (Ð→Đ), invisible and odd
  spaces, one tone-mark placement (traditional: hòa, thủy, quý).
* :func:`search_key` — the folded key: lowercase, no diacritics, đ→d, i/y spelling variants
  (kĩ/kỹ, tỉ/tỷ, lí/lý, quí/quý) mapped to one form.
* :func:`decode_html` — bytes → str with the right charset (windows-1258, TCVN3/VNI legacy).
* :func:`with_gaps` — the gap word at clause punctuation, so no phrase matches across a comma
  (the dictionaries' spellings, both engines' analyzers and the query parser agree on it).
"""

from __future__ import annotations

import re
import unicodedata

from indexer.charsets import decode_html
from indexer.tonemarks import place_tones

__all__ = ["canonical", "search_key", "fold", "decode_html", "canonical_lines"]

# Lookalikes: Icelandic eth and African D look exactly like Đ/đ but fold and lowercase wrongly.
_LOOKALIKES = str.maketrans({"\u00d0": "Đ", "\u00f0": "đ", "\u0189": "Đ", "\u0256": "đ", "\u0110": "Đ", "\u0111": "đ"})
# Zero-width space separates words (deleting it would glue them); odd spaces become a space.
_SPACES = (
    "\u200b\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\u180e\t\v\f"
)
# Soft hyphen, ZWNJ, ZWJ, word joiner, BOM, LRM/RLM and other format characters vanish.
_DELETE = "\u00ad\u200c\u200d\u2060\ufeff\u200e\u200f\u2061\u2062\u2063\u2064\u034f"
_TABLE = {c: None for c in range(0x20) if chr(c) not in "\n\r"}
_TABLE.update({ord(c): " " for c in _SPACES})
_TABLE.update({ord(c): None for c in _DELETE})
_TABLE[0x7F] = None
_TABLE.update({c: None for c in range(0x80, 0xA0)})

# Most text has none of the characters the two tables change: one regex search skips both
# translate passes (str.translate with a dict walks non-ASCII text a character at a time).
_ODD_CHARS = re.compile(
    "["
    + "".join(re.escape(chr(c)) for c in sorted({*_TABLE, *(k for k, v in _LOOKALIKES.items() if chr(k) != v)}))
    + "]"
)

_HSPACE_RUN = re.compile(r" {2,}")
_LINE_EDGES = re.compile(r" *\n *")
_MANY_NEWLINES = re.compile(r"\n{3,}")
# "TP.HCM", "Tp.Hồ Chí Minh": a space after the abbreviation so "HCM" is its own token — but
# not inside a host name, path or e-mail ("www.tp.hcm.gov.vn", "/tp.hcm/", "tp.hcm@gmail.com").
_TP_GLUED = re.compile(r"[Tt][Pp]\.(?=[^\W\d_])")  # checked further in _space_tp
_TP_BEFORE = re.compile(r"[\w./@]")
_TOKEN_AROUND = re.compile(r"\S*")
_URLISH = re.compile(r"@|://|^www\.|\.(?:vn|com|net|org|gov|edu|info|biz|asia|io)(?:\b|$)", re.I)
_I_VARIANTS = re.compile(r"\b(qu|th|kh|[kltmsh])y\b")


def _space_tp(m: re.Match) -> str:
    """ "TP.HCM" → "TP. HCM", unless the whole token is a URL, host name or e-mail address."""
    text, s = m.string, m.start()
    if m.group(0)[:2] not in ("TP", "Tp", "tp") or (s and _TP_BEFORE.match(text, s - 1)):
        return m.group(0)
    start = max(text.rfind(" ", 0, s), text.rfind("\n", 0, s)) + 1
    token = _TOKEN_AROUND.match(text, start).group(0).rstrip(".,;:!?)”\"'")
    return m.group(0) if _URLISH.search(token) else m.group(0) + " "


def canonical(text: str) -> str:
    """The stored/displayed form of ``text``; idempotent; keeps paragraph breaks ("\\n\\n")."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if _ODD_CHARS.search(text):
        text = text.translate(_LOOKALIKES).translate(_TABLE)
    if "  " in text:  # (substring tests: regexes that can match
        text = _HSPACE_RUN.sub(" ", text)  # empty strings try every position)
    if " \n" in text or "\n " in text:
        text = _LINE_EDGES.sub("\n", text)
    if "\n\n\n" in text:
        text = _MANY_NEWLINES.sub("\n\n", text)
    text = _TP_GLUED.sub(_space_tp, text)
    return place_tones(text).strip()  # a no-op search on already-canonical text


def canonical_lines(text: str) -> str:
    """:func:`canonical`, but every line break becomes a space (titles, names, leads)."""
    return " ".join(canonical(text).split())


# Combining marks of U+0300–U+036F (all but U+034F, which has combining class 0), and what may
# remain after removing them without needing a per-character check: letters and symbols of
# Latin-1/Latin Extended and general punctuation/currency, none of which is combining.
_LATIN_MARKS = re.compile("[" + "".join(chr(c) for c in range(0x300, 0x370) if unicodedata.combining(chr(c))) + "]")
_NOT_SIMPLE = re.compile("[^\u0000-\u024f\u2000-\u20cf]")


def fold(text: str) -> str:
    """Lowercase, drop every combining mark, map đ→d. Expects canonical (NFC) text.

    The common case (Vietnamese, Latin text, ordinary punctuation) strips the marks with one
    regex; anything else (other scripts) takes the character-by-character path. Same output.
    """
    text = unicodedata.normalize("NFD", text.lower())
    if text.isascii():
        return text
    stripped = _LATIN_MARKS.sub("", text)
    if _NOT_SIMPLE.search(stripped):
        stripped = "".join(c for c in text if not unicodedata.combining(c))
    return stripped.replace("đ", "d")


def search_key(text: str) -> str:
    """Folded key for diacritic-insensitive matching: ``canonical`` → ``fold`` → i/y variants.

    "y" as the whole vowel after k l m t s h (and qu, th, …) becomes "i": kỹ/kĩ, tỷ/tỉ, lý/lí,
    quý/quí, Mỹ/Mĩ are one word to a reader and must be one to the index. Other y's (Duy,
    huyện, yêu, Yên) are untouched.
    """
    key = fold(canonical(text))
    return _I_VARIANTS.sub(lambda m: m.group(1) + "i", key)


GAP_WORD = "zzgapzz"
# Clause punctuation (followed by a space or the end: "TP.HCM", "2021-2025", "4.0" stay whole),
# free-standing em dashes, slashes and bars, brackets and quotes, and line breaks (paragraphs,
# title|body). A free-standing hyphen or en dash is not a gap: it joins the parts of one name or
# expression ("Bà Rịa - Vũng Tàu", "kinh tế - xã hội", "Công nghiệp – Viễn thông Quân đội").
# Written in the common subset of Python and Java regex: Elasticsearch's char filter uses it too.
GAP_PATTERN = r"[,;:!?…]+(?=\s|$)|\.+(?=\s|$)|\s[—/|]+(?=\s)|[()\[\]{}\"“”«»]|\n+"
_GAP_RE = re.compile(GAP_PATTERN)


def with_gaps(text: str) -> str:
    """Text with the gap sentinel at clause punctuation; the analyzers drop the sentinel."""
    return _GAP_RE.sub(f" {GAP_WORD} ", text)
