"""Normalization: what gets stored/shown (canonical) and what gets matched (search_key).

Each pair is input → (canonical, search key). A journalist typing "Thanh Hoa" must reach every
spelling in the left column, so both columns are asserted.
"""
import unicodedata

import pytest

from indexer.normalize import canonical, canonical_lines, fold, search_key

NFD = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731

PAIRS = [
    # decomposed input (Unikey "tổ hợp", some CMSs, windows-1258 decoding)
    (NFD("Chuyển đổi số"), "Chuyển đổi số", "chuyen doi so"),
    (NFD("Ủy ban nhân dân tỉnh Tuyên Quang"), "Ủy ban nhân dân tỉnh Tuyên Quang", "uy ban nhan dan tinh tuyen quang"),
    (NFD("Bắc Kạn"), "Bắc Kạn", "bac kan"),
    # new-style tone placement → traditional
    ("Thanh Hoá", "Thanh Hóa", "thanh hoa"),
    ("Thanh Hóa", "Thanh Hóa", "thanh hoa"),
    ("THANH HOÁ", "THANH HÓA", "thanh hoa"),
    ("uỷ ban nhân dân", "ủy ban nhân dân", "uy ban nhan dan"),
    ("Uỷ viên Ban Thường vụ", "Ủy viên Ban Thường vụ", "uy vien ban thuong vu"),
    ("thoả thuận hợp tác", "thỏa thuận hợp tác", "thoa thuan hop tac"),
    ("Hoà Bình", "Hòa Bình", "hoa binh"),
    ("Khánh Hoà", "Khánh Hòa", "khanh hoa"),
    ("khoẻ mạnh", "khỏe mạnh", "khoe manh"),
    ("thuỷ lợi", "thủy lợi", "thuy loi"),
    ("Thuỵ Sĩ", "Thụy Sĩ", "thuy si"),
    ("số hoá", "số hóa", "so hoa"),
    ("quang hoá", "quang hóa", "quang hoa"),
    ("hoà nhập", "hòa nhập", "hoa nhap"),
    ("Toà án", "Tòa án", "toa an"),
    ("loè loẹt", "lòe loẹt", "loe loet"),
    # misplaced tones
    ("qúy II/2024", "quý II/2024", "qui ii/2024"),
    ("Qúy", "Quý", "qui"),
    # already canonical: closed syllables, quality vowels, qu-/gi- onsets
    ("toàn diện", "toàn diện", "toan dien"),
    ("người, huỳnh, giữa", "người, huỳnh, giữa", "nguoi, huynh, giua"),
    ("hoạch định", "hoạch định", "hoach dinh"),
    ("ngoài khuỷu tay", "ngoài khuỷu tay", "ngoai khuyu tay"),
    ("thuở trước", "thuở trước", "thuo truoc"),
    ("Nguyễn Văn Sơn", "Nguyễn Văn Sơn", "nguyen van son"),
    ("quyết liệt", "quyết liệt", "quyet liet"),
    ("giữ gìn, gì, già", "giữ gìn, gì, già", "giu gin, gi, gia"),
    ("khuya, tuổi, của", "khuya, tuổi, của", "khuya, tuoi, cua"),
    ("kinh tế số", "kinh tế số", "kinh te so"),
    # đ and its lookalikes
    ("Đắk Lắk", "Đắk Lắk", "dak lak"),
    ("Đắk Nông", "Đắk Nông", "dak nong"),
    ("\u00d0Ồ\u004eG THÁP", "ĐỒNG THÁP", "dong thap"),
    ("\u00d0iện Biên", "Điện Biên", "dien bien"),
    ("chuyển \u00f0ổi số", "chuyển đổi số", "chuyen doi so"),
    ("Tập \u0111oàn", "Tập đoàn", "tap doan"),
    # invisible and odd spaces
    ("Bắc\u00a0Kạn", "Bắc Kạn", "bac kan"),
    ("chuyển\u200bđổi\u00a0\u00a0số", "chuyển đổi số", "chuyen doi so"),
    ("chuyển đổi s\u00adố", "chuyển đổi số", "chuyen doi so"),
    ("\ufeffVNPT  Thanh Hóa", "VNPT Thanh Hóa", "vnpt thanh hoa"),
    ("VNPT\u2009Thanh\u202fHóa\u3000", "VNPT Thanh Hóa", "vnpt thanh hoa"),
    ("chính\u200dquyền\u2060số", "chínhquyềnsố", "chinhquyenso"),
    ("  Tuyên\tQuang  ", "Tuyên Quang", "tuyen quang"),
    # TP.HCM gets a space so HCM is a token
    ("TP.HCM, Tp.Hồ Chí Minh", "TP. HCM, Tp. Hồ Chí Minh", "tp. hcm, tp. ho chi minh"),
    ("TP. Hồ Chí Minh", "TP. Hồ Chí Minh", "tp. ho chi minh"),
    # i/y variants share one key
    ("kỹ thuật", "kỹ thuật", "ki thuat"),
    ("kĩ thuật", "kĩ thuật", "ki thuat"),
    ("30 tỷ đồng", "30 tỷ đồng", "30 ti dong"),
    ("30 tỉ đồng", "30 tỉ đồng", "30 ti dong"),
    ("lý do, lí do", "lý do, lí do", "li do, li do"),
    ("Mỹ", "Mỹ", "mi"),
    ("quí", "quí", "qui"),
    ("Duy, huyện, yêu, Hưng Yên", "Duy, huyện, yêu, Hưng Yên", "duy, huyen, yeu, hung yen"),
    # other scripts and plain ASCII are left alone
    ("VT-CNTT giai đoạn 2017-2022", "VT-CNTT giai đoạn 2017-2022", "vt-cntt giai doan 2017-2022"),
    ("café Microsoft", "café Microsoft", "cafe microsoft"),
    ("", "", ""),
]


@pytest.mark.parametrize("raw,expected_canonical,expected_key", PAIRS)
def test_canonical_and_search_key(raw, expected_canonical, expected_key):
    assert canonical(raw) == expected_canonical
    assert search_key(raw) == expected_key


def test_there_are_at_least_forty_pairs():
    assert len(PAIRS) >= 40


@pytest.mark.parametrize("raw,_c,_k", PAIRS)
def test_canonical_is_idempotent_and_nfc(raw, _c, _k):
    once = canonical(raw)
    assert canonical(once) == once
    assert unicodedata.is_normalized("NFC", once)


def test_old_and_new_style_meet_in_both_forms():
    for a, b in [("Thanh Hoá", "Thanh Hóa"), ("Uỷ ban", "Ủy ban"), ("hoà", "hòa"),
                 (NFD("chuyển đổi số"), "chuyển đổi số")]:
        assert canonical(a) == canonical(b)
        assert search_key(a) == search_key(b)


def test_paragraph_breaks_survive_but_runs_collapse():
    assert canonical("Đoạn một.\r\n\r\n\r\n  Đoạn hai.  ") == "Đoạn một.\n\nĐoạn hai."
    assert canonical_lines("Tiêu đề\n  dòng hai") == "Tiêu đề dòng hai"


def test_fold_keeps_length_for_vietnamese():
    text = "Tập đoàn Bưu chính Viễn thông Việt Nam"
    assert fold(text) == "tap doan buu chinh vien thong viet nam"
    assert len(fold(text)) == len(text)


def test_two_tone_marks_are_left_alone():
    # not a syllable we understand: never rewrite it
    odd = unicodedata.normalize("NFC", "ho\u0301a\u0300")
    assert canonical(odd) == odd
