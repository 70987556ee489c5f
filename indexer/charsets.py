"""Bytes → text for Vietnamese pages: the declared charset, windows-1258, and TCVN3/VNI.

Why this is more than ``bytes.decode``: provincial portals still serve windows-1258 (which
Python decodes to base letter + separate tone mark), pages whose header says ISO-8859-1 while
the body is UTF-8, and old pages typed in TCVN3 (.VnTime) or VNI fonts that arrive as Latin-1
garbage ("Céng hoµ x· héi") even inside a UTF-8 page. The legacy tables and the "is this
really Vietnamese?" detector come from viparse; this module only decides where to apply them
(text nodes and a few attributes, never markup) so modern Unicode on the same page is safe.
"""

from __future__ import annotations

import codecs
import html.entities
import re
import unicodedata
from dataclasses import dataclass

from viparse.normalize.detector import detect_encoding_by_content
from viparse.normalize.encodings import AUTO_DETECT_CHARMAPS, CHARMAPS
from viparse.normalize.tables import convert

_CHARSET_RE = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
_META_RE = re.compile(rb"<meta[^>]+>", re.I)
# WHATWG: labels for Latin-1 and ASCII mean windows-1252.
_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso8859-1": "cp1252",
    "windows-1258": "cp1258",
    "x-cp1258": "cp1258",
    "utf8": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
    "x-user-defined": "cp1252",
}
_WESTERN = {"cp1252", "latin_1", "iso8859-1", "ascii"}
# Letters only Vietnamese (in Unicode) has: ạ..ỹ block, ă đ ĩ ũ ơ ư.
_VIET_UNICODE = re.compile("[\u1ea0-\u1ef9\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0]")
_LATIN1_HIGH = re.compile("[\u00a1-\u00ff]")
_TEXT_NODE = re.compile(r"(>)([^<]+)(<)")
_ATTR = re.compile(r"""(\b(?:content|alt|title)\s*=\s*)(["'])(.*?)\2""", re.I | re.S)
_ENTITY = re.compile(r"&(#[0-9]{2,3}|#[xX][0-9a-fA-F]{2}|[a-zA-Z]+);")
_SKIP_BLOCK = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)


@dataclass(frozen=True)
class Decoded:
    text: str
    charset: str  # the Python codec actually used
    legacy: str | None  # "tcvn3" / "vni" when a legacy font encoding was converted


def _codec(label: str | bytes | None) -> str | None:
    if not label:
        return None
    if isinstance(label, bytes):
        label = label.decode("ascii", "ignore")
    label = label.strip().strip("\"'").lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def header_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = _CHARSET_RE.search(content_type.encode("latin-1", "ignore"))
    return _codec(m.group(1)) if m else None


def meta_charset(body: bytes) -> str | None:
    for tag in _META_RE.findall(body[:8192]):
        m = _CHARSET_RE.search(tag)
        if m:
            return _codec(m.group(1))
    return None


def _bom(body: bytes) -> str | None:
    if body.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def _try(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _looks_cp1258(body: bytes) -> bool:
    """Undeclared non-UTF-8 bytes: windows-1258 if its tone-mark bytes compose into letters."""
    text = unicodedata.normalize("NFC", body.decode("cp1258", "replace"))
    return len(_VIET_UNICODE.findall(text)) >= 3


def _pick(body: bytes, declared: list[str | None]) -> tuple[str, str]:
    """(text, codec): first declaration that decodes, with the usual real-world corrections."""
    bom = _bom(body)
    if bom:
        return body.decode(bom, "replace"), bom
    utf8 = _try(body, "utf-8")
    for codec in declared:
        if not codec:
            continue
        if codec in _WESTERN and utf8 is not None and not body.isascii():
            return utf8, "utf-8"  # "ISO-8859-1" header over a UTF-8 body
        text = _try(body, codec)
        if text is not None:
            return text, codec
    if utf8 is not None:
        return utf8, "utf-8"
    if _looks_cp1258(body):
        return body.decode("cp1258", "replace"), "cp1258"
    first = next((c for c in declared if c), None)
    if first == "utf-8":
        bad = body.decode("utf-8", "replace").count("\ufffd")
        if bad < max(3, len(body) // 2000):  # a few broken bytes in a UTF-8 page
            return body.decode("utf-8", "replace"), "utf-8"
    return body.decode("cp1252", "replace"), "cp1252"


def _unescape_high(s: str) -> str:
    """Entities for U+00A1–U+00FF become characters: TCVN3 pages often escape their letters."""

    def repl(m: re.Match) -> str:
        ref = m.group(1)
        if ref.startswith("#"):
            code = int(ref[2:], 16) if ref[1] in "xX" else int(ref[1:])
        else:
            code = html.entities.name2codepoint.get(ref, 0)
        return chr(code) if 0xA1 <= code <= 0xFF else m.group(0)

    return _ENTITY.sub(repl, s) if "&" in s else s


def _legacy_candidate(s: str) -> bool:
    return bool(_LATIN1_HIGH.search(s)) and not _VIET_UNICODE.search(s)


def detect_legacy(text: str) -> str | None:
    """ "tcvn3"/"vni" when the Latin-1-looking parts of ``text`` read as legacy Vietnamese."""
    visible = _SKIP_BLOCK.sub(" ", text)
    nodes = (
        [_unescape_high(m.group(2)) for m in _TEXT_NODE.finditer(visible)]
        if "<" in visible
        else [_unescape_high(visible)]
    )
    parts = [n for n in nodes if _legacy_candidate(n)]
    highs = sum(len(_LATIN1_HIGH.findall(p)) for p in parts)
    if highs < 5:
        return None
    sample = " ".join(" ".join(p.split()) for p in parts)[:6000]
    found = detect_encoding_by_content(sample, AUTO_DETECT_CHARMAPS)
    return found.encoding if found.encoding in ("tcvn3", "vni") else None


def convert_legacy(text: str, encoding: str) -> str:
    """Convert text nodes and content/alt/title attributes of ``text`` from a legacy encoding."""
    charmap = CHARMAPS[encoding]

    def conv(s: str) -> str:
        s = _unescape_high(s)
        return convert(s, charmap) if _legacy_candidate(s) else s

    if "<" not in text:
        return conv(text)
    text = _TEXT_NODE.sub(lambda m: m.group(1) + conv(m.group(2)) + m.group(3), text)
    return _ATTR.sub(lambda m: m.group(1) + m.group(2) + conv(m.group(3)) + m.group(2), text)


def decode(body: bytes, content_type: str | None = None) -> Decoded:
    """Decode ``body`` (HTTP header charset, then BOM/meta), NFC, then legacy fonts."""
    declared = [header_charset(content_type), meta_charset(body)]
    text, codec = _pick(body or b"", declared)
    text = unicodedata.normalize("NFC", text)
    legacy = detect_legacy(text)
    if legacy:
        text = convert_legacy(text, legacy)
    return Decoded(text=text, charset=codec, legacy=legacy)


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Bytes → NFC text; see :func:`decode` for the charset and legacy-font rules."""
    return decode(body, content_type).text
