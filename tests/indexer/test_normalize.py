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
    ("(Tp.HCM), tp.Cần Thơ.", "(Tp. HCM), tp. Cần Thơ.", "(tp. hcm), tp. can tho."),
    # ...but host names, paths and e-mail addresses keep their dots
    ("www.tp.hcm.gov.vn", "www.tp.hcm.gov.vn", "www.tp.hcm.gov.vn"),
    ("Xem https://tp.hcm.gov.vn/tin-tuc", "Xem https://tp.hcm.gov.vn/tin-tuc", "xem https://tp.hcm.gov.vn/tin-tuc"),
    ("Cổng TTĐT: tp.hcm.gov.vn.", "Cổng TTĐT: tp.hcm.gov.vn.", "cong ttdt: tp.hcm.gov.vn."),
    ("Thư: tp.hcm@gmail.com", "Thư: tp.hcm@gmail.com", "thu: tp.hcm@gmail.com"),
    ("/tin/tp.hcm-2024.html", "/tin/tp.hcm-2024.html", "/tin/tp.hcm-2024.html"),
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
    # (Hangul folds to its jamo, as NFD spells it: the same on both sides of a search)
    (
        "Ελλάδα, Москва́, 서울, “trích dẫn” – 5₫",
        "Ελλάδα, Москва́, 서울, “trích dẫn” – 5₫",
        "ελλαδα, москва, " + NFD("서울") + ", “trich dan” – 5₫",
    ),
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
    for a, b in [
        ("Thanh Hoá", "Thanh Hóa"),
        ("Uỷ ban", "Ủy ban"),
        ("hoà", "hòa"),
        (NFD("chuyển đổi số"), "chuyển đổi số"),
    ]:
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


def _slow_fold(text):
    """fold() as first written: the definition the fast path must match exactly."""
    text = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c)).replace("đ", "d")


def _slow_place_tones(text):
    from indexer.tonemarks import WORD_RE, looks_vietnamese, place_tone

    if not looks_vietnamese(text):  # text in another language is left as it is
        return text
    return WORD_RE.sub(lambda m: place_tone(m.group(0)), text)


def test_fast_paths_give_the_same_output_as_the_definitions():
    """canonical() skips tone placement when no word can need it, and fold() strips marks with
    a regex: both must agree with the slow definitions on every syllable shape, including
    misspellings and garbage (random syllables from all vowels, tones, onsets and finals)."""
    import random

    rng = random.Random(7)
    vowels = ["a", "a\u0306", "a\u0302", "e", "e\u0302", "i", "o", "o\u0302", "o\u031b", "u", "u\u031b", "y", "e\u0308"]
    tones = ["\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]
    onsets = ["", "b", "ng", "q", "qu", "g", "gi", "Q", "Th", "ñ", "đ"]
    finals = ["", "n", "ng", "ch", "c", "i", "o", "nh", "x"]
    for _ in range(20000):
        run = [rng.choice(vowels) for _ in range(rng.choice((1, 2, 2, 3, 3, 4)))]
        k = rng.randrange(len(run))
        run[k] += rng.choice(tones)
        word = unicodedata.normalize("NFC", rng.choice(onsets) + "".join(run) + rng.choice(finals))
        word = rng.choice((word, word.upper(), word.capitalize()))
        assert canonical(word) == _slow_place_tones(word), word
        assert fold(word) == _slow_fold(word), word
    for raw, _c, _k in PAIRS:
        assert fold(canonical(raw)) == _slow_fold(canonical(raw))
