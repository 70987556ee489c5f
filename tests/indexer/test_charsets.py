"""Bytes → text: declared charsets, wrong declarations, windows-1258 and TCVN3/VNI pages."""

import unicodedata

from viparse.normalize.encodings import CHARMAPS

from indexer.charsets import decode, decode_html, detect_legacy

TEXT = "Ủy ban nhân dân tỉnh Thanh Hóa và Tập đoàn VNPT ký kết thỏa thuận hợp tác chuyển đổi số"
# TCVN3 has no upper-case toned letters (they live in a separate .VnTimeH font)
LOWER = "ủy ban nhân dân tỉnh Thanh Hóa và Tập đoàn VNPT ký kết thỏa thuận hợp tác chuyển đổi số"
TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Encode like a windows-1258 page: precomposed quality letters, separate tone marks."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        out.append(base + "".join(c for c in parts if c in TONES))
    return "".join(out).encode("cp1258")


def page(text: str, meta: str = "") -> str:
    return (
        f"<html><head>{meta}<title>{text[:30]}</title></head>"
        f"<body><nav>Trang chủ</nav><p>{text}</p><p>{text}</p></body></html>"
    )


def to_legacy(text: str, name: str) -> str:
    """Write Unicode text the way a .VnTime / VNI-Times font stored it (inverse table)."""
    inverse = {}
    for legacy, uni in CHARMAPS[name].pairs:
        inverse.setdefault(unicodedata.normalize("NFC", uni), legacy)
    out, i = [], 0
    text = unicodedata.normalize("NFC", text)
    while i < len(text):
        for size in (2, 1):
            chunk = text[i : i + size]
            if chunk in inverse and len(chunk) == size:
                out.append(inverse[chunk])
                i += size
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def test_utf8_with_header():
    assert TEXT in decode_html(page(TEXT).encode("utf-8"), "text/html; charset=UTF-8")


def test_meta_charset_when_header_is_silent():
    body = page(TEXT, '<meta charset="utf-8">').encode("utf-8")
    assert TEXT in decode_html(body, "text/html")


def test_windows_1258_header_decodes_and_composes():
    body = cp1258(page(TEXT))
    out = decode(body, "text/html; charset=windows-1258")
    assert out.charset == "cp1258"
    assert TEXT in out.text


def test_windows_1258_in_meta_only():
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">'
    assert TEXT in decode_html(cp1258(page(TEXT, meta)), None)


def test_undeclared_windows_1258_is_recognised():
    assert TEXT in decode_html(cp1258(page(TEXT)), None)


def test_latin1_header_over_utf8_body():
    # a common server default: the header lies, the bytes are UTF-8
    assert TEXT in decode_html(page(TEXT).encode("utf-8"), "text/html; charset=ISO-8859-1")


def test_utf8_bom_wins():
    assert TEXT in decode_html(b"\xef\xbb\xbf" + page(TEXT).encode("utf-8"), "text/html; charset=cp1252")


def test_tcvn3_page_is_converted():
    legacy = to_legacy(LOWER, "tcvn3")
    assert legacy != LOWER and "TËp" in legacy
    html = page(legacy).replace("Trang chủ", to_legacy("Trang chủ", "tcvn3"))
    out = decode(html.encode("latin-1"), "text/html; charset=iso-8859-1")
    assert out.legacy == "tcvn3"
    assert LOWER in out.text


def test_vni_page_is_converted():
    legacy = to_legacy(TEXT, "vni")
    html = page(legacy).replace("Trang chủ", to_legacy("Trang chủ", "vni"))
    out = decode(html.encode("cp1252"), "text/html")
    assert out.legacy == "vni"
    assert TEXT in out.text


def test_tcvn3_text_inside_a_utf8_page():
    # an old article pasted from a .VnTime document into a Unicode CMS template
    legacy = to_legacy(LOWER, "tcvn3")
    html = page(legacy).replace("Trang chủ", "Trang chủ — Cổng thông tin điện tử")
    out = decode(html.encode("utf-8"), "text/html; charset=utf-8")
    assert LOWER in out.text
    assert "Trang chủ — Cổng thông tin điện tử" in out.text


def test_classic_legacy_samples():
    assert detect_legacy("<p>Céng hoµ x· héi chñ nghÜa ViÖt Nam - §éc lËp</p>") == "tcvn3"
    assert "Cộng hòa xã hội" in decode_html("<p>Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam</p>".encode("cp1252"), None)


def test_unicode_and_foreign_text_are_left_alone():
    for text in [
        TEXT,
        "Señor García comió paella en la café de Málaga, ¿verdad? ¡Sí! Año 2024",
        "Größe über Straße für Bürger, schön und Müller",
    ]:
        assert decode_html(page(text).encode("utf-8"), "text/html; charset=utf-8").count(text) == 2


def test_garbage_and_empty_bytes_do_not_raise():
    assert decode_html(b"", None) == ""
    assert isinstance(decode_html(bytes(range(256)) * 4, "text/html; charset=utf-8"), str)
    assert isinstance(decode_html(b"\xff\xfe\x00<\x00p", "text/html; charset=bogus-charset"), str)


def test_tcvn3_page_end_to_end_is_searchable():
    from indexer.normalize import search_key
    from indexer.pipeline import build_article

    title = "ủy ban nhân dân tỉnh Thanh Hóa ký kết với Tập đoàn VNPT"
    para = (
        "ủy ban nhân dân tỉnh Thanh Hóa và Tập đoàn VNPT đã ký kết thỏa thuận hợp tác về "
        "chuyển đổi số giai đoạn 2021-2025, tập trung xây dựng chính quyền số và kinh tế số."
    )
    html = (
        f"<html><head><title>{to_legacy(title, 'tcvn3')}</title></head><body>"
        f"<h1>{to_legacy(title, 'tcvn3')}</h1><p>{to_legacy(para, 'tcvn3')}</p>"
        f"<p>{to_legacy(para.replace('2021-2025', 'mới'), 'tcvn3')}</p></body></html>"
    )
    a = build_article(
        html.encode("latin-1"), "https://old.gov.vn/a.htm", headers={"Content-Type": "text/html; charset=iso-8859-1"}
    )
    assert "legacy_encoding:tcvn3" in a.quality_flags
    assert a.title == title and a.lead == para and para not in a.body
    assert "chuyen doi so" in search_key(a.body)
    assert a.provinces == ["Thanh Hóa"] and a.partners == ["VNPT"] and a.periods == [[2021, 2025]]
