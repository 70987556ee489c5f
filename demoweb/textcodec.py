"""How a site's text reaches the wire: NFC UTF-8, NFD UTF-8, or real windows-1258 bytes.

windows-1258 has no precomposed toned letters (no "ế"), so pages in it carry a base letter
(possibly with its quality mark: ê, ơ, ă) followed by a combining tone mark — the "mixed form"
the crawler must NFC after decoding. Python's cp1258 codec refuses precomposed letters, so each
character is split that way before encoding.
"""

from __future__ import annotations

import functools
import unicodedata

TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


@functools.lru_cache(maxsize=4096)
def _cp1258_char(ch: str) -> bytes:
    try:
        return ch.encode("cp1258")
    except UnicodeEncodeError:
        pass
    decomposed = unicodedata.normalize("NFD", ch)
    tones = "".join(c for c in decomposed if c in TONE_MARKS)
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
    try:
        return (base + tones).encode("cp1258")
    except UnicodeEncodeError:
        return ch.encode("ascii", "xmlcharrefreplace")


def encode_cp1258(text: str) -> bytes:
    return b"".join(_cp1258_char(c) for c in unicodedata.normalize("NFC", text))


@functools.lru_cache(maxsize=1)
def _tcvn3_table() -> dict[str, str]:
    from viparse.normalize.encodings import CHARMAPS  # the table the indexer reads back with

    table: dict[str, str] = {}
    for legacy, uni in CHARMAPS["tcvn3"].pairs:
        table.setdefault(unicodedata.normalize("NFC", uni), legacy)
    return table


def to_tcvn3(text: str) -> str:
    """Unicode → what a .VnTime (TCVN3/ABC) document holds, as pasted into old CMS pages.

    TCVN3 keeps toned capitals in a separate font (.VnTimeH); such letters stay Unicode, so
    content meant for this should avoid them, as typists of the time did.
    """
    table = _tcvn3_table()
    return "".join(table.get(c, c) for c in unicodedata.normalize("NFC", text))


def encode_page(text: str, charset: str = "utf-8", form: str = "NFC") -> bytes:
    """Bytes for a page in the site's charset and normalization form."""
    if charset.lower() in ("windows-1258", "cp1258"):
        return encode_cp1258(text)
    return unicodedata.normalize(form, text).encode(charset)
