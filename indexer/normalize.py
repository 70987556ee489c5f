"""Vietnamese text normalization, used IDENTICALLY at index time and at query time.

A search for "chuyen doi so" or "Thanh Hoa" must find "chuyển đổi số" and "Thanh Hoá" however
the page encoded them. That only holds if the stored text, the folded index key and the query
all go through the same functions, so every backend and the query parser import these:

* :func:`canonical` — the text we store and show: NFC, lookalikes (Ð→Đ), invisible and odd
  spaces, one tone-mark placement (traditional: hòa, thủy, quý).
* :func:`search_key` — the folded key: lowercase, no diacritics, đ→d, i/y spelling variants
  (kĩ/kỹ, tỉ/tỷ, lí/lý, quí/quý) mapped to one form.
* :func:`decode_html` — bytes → str with the right charset (windows-1258, TCVN3/VNI legacy).
* :func:`expand_query` — abbreviations (CĐS, UBND, …) for queries; see :mod:`indexer.abbreviations`.
"""
from __future__ import annotations

import re
import unicodedata

from indexer.abbreviations import Abbreviations, expand_query, load_abbreviations, query_variants
from indexer.charsets import decode_html
from indexer.tonemarks import place_tones

__all__ = ["canonical", "search_key", "fold", "decode_html", "expand_query", "query_variants",
           "load_abbreviations", "Abbreviations", "canonical_lines"]

# Lookalikes: Icelandic eth and African D look exactly like Đ/đ but fold and lowercase wrongly.
_LOOKALIKES = str.maketrans({"\u00d0": "Đ", "\u00f0": "đ", "\u0189": "Đ", "\u0256": "đ",
                             "\u0110": "Đ", "\u0111": "đ"})
# Zero-width space separates words (deleting it would glue them); odd spaces become a space.
_SPACES = "\u200b\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009" \
          "\u200a\u202f\u205f\u3000\u180e\t\v\f"
# Soft hyphen, ZWNJ, ZWJ, word joiner, BOM, LRM/RLM and other format characters vanish.
_DELETE = "\u00ad\u200c\u200d\u2060\ufeff\u200e\u200f\u2061\u2062\u2063\u2064\u034f"
_TABLE = {c: None for c in range(0x20) if chr(c) not in "\n\r"}
_TABLE.update({ord(c): " " for c in _SPACES})
_TABLE.update({ord(c): None for c in _DELETE})
_TABLE[0x7F] = None
_TABLE.update({c: None for c in range(0x80, 0xA0)})

_HSPACE_RUN = re.compile(r" {2,}")
_LINE_EDGES = re.compile(r" *\n *")
_MANY_NEWLINES = re.compile(r"\n{3,}")
# "TP.HCM", "Tp.Hồ Chí Minh": a space after the abbreviation so "HCM" is its own token.
_TP_GLUED = re.compile(r"\b(TP|Tp|tp)\.(?=[^\W\d_])")
_I_VARIANTS = re.compile(r"\b(qu|th|kh|[kltmsh])y\b")


def canonical(text: str) -> str:
    """The stored/displayed form of ``text``; idempotent; keeps paragraph breaks ("\\n\\n")."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.translate(_LOOKALIKES).translate(_TABLE)
    text = _HSPACE_RUN.sub(" ", text)
    if "\n" in text:
        text = _MANY_NEWLINES.sub("\n\n", _LINE_EDGES.sub("\n", text))
    text = _TP_GLUED.sub(r"\1. ", text)
    return place_tones(text).strip()


def canonical_lines(text: str) -> str:
    """:func:`canonical`, but every line break becomes a space (titles, names, leads)."""
    return " ".join(canonical(text).split())


def fold(text: str) -> str:
    """Lowercase, drop every combining mark, map đ→d. Expects canonical (NFC) text."""
    text = unicodedata.normalize("NFD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("đ", "d")


def search_key(text: str) -> str:
    """Folded key for diacritic-insensitive matching: ``canonical`` → ``fold`` → i/y variants.

    "y" as the whole vowel after k l m t s h (and qu, th, …) becomes "i": kỹ/kĩ, tỷ/tỉ, lý/lí,
    quý/quí, Mỹ/Mĩ are one word to a reader and must be one to the index. Other y's (Duy,
    huyện, yêu, Yên) are untouched.
    """
    key = fold(canonical(text))
    return _I_VARIANTS.sub(lambda m: m.group(1) + "i", key)
