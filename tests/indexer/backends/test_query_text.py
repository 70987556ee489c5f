"""User text -> a tree of words, and the snippet highlighter built on the same rules."""

from __future__ import annotations

import pytest

from indexer.backends.highlight import highlight
from indexer.backends.query_text import (
    MAX_WORDS,
    AllOf,
    AnyOf,
    Term,
    Word,
    describe,
    excluded_words,
    parse_text,
    with_gaps,
)
from indexer.query import QueryError, SearchQuery


def words(text):
    """The required words as typed, in order."""
    return [w.typed for w in parse_text(text).words]


def test_words_not_syllables():
    assert words("tuyển dụng") == ["tuyển dụng"]
    assert words("tuyen dung") == ["tuyen dung"]  # no marks: pyvi's words, folded
    assert words("chữ ký số") == ["chữ ký số"]  # a domain term stays whole
    assert words("CĐS Thanh Hóa VNPT") == ["CĐS", "Thanh Hóa", "VNPT"]
    assert words("y tế du lịch") == ["y tế", "du lịch"]
    assert words("tỉnh Quảng Nam") == ["Quảng Nam"]  # "tỉnh" kept out of the phrase
    assert words("nông nghiệp số") == ["nông nghiệp số"]  # modifier binds to its noun
    assert words("văn bản số 12") == ["văn bản", "số 12"]  # ...but not before a number
    assert words("chuyển đổi số cấp xã") == ["chuyển đổi số", "cấp xã"]  # pyvi's singles stay together
    assert words("xã triển khai") == ["xã", "triển khai"]  # ...but "xã", "tỉnh" only end a compound
    assert words("xe điện thông minh") == ["xe điện thông minh"]  # pyvi's singles stay together
    assert words("Tập đoàn VNPT") == ["Tập đoàn VNPT"]  # one name: the company
    assert words("Về kinh tế, số doanh nghiệp") == ["kinh tế", "số", "doanh nghiệp"]  # "Về": optional
    assert words("Bà Rịa - Vũng Tàu") == ["Bà Rịa Vũng Tàu"]  # a hyphen joins a name


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        # A sentence, not a compound: function words are optional and never glue their neighbours.
        ("Thanh Hóa ký với VNPT", ["Thanh Hóa", "ký", "VNPT"]),
        ("tỉnh nào ký thỏa thuận với VNPT năm 2022", ["tỉnh", "ký", "thỏa thuận", "VNPT", "2022"]),
        ("tỉnh ký với FPT", ["tỉnh", "ký", "FPT"]),  # pyvi's "tỉnh_ký" is no word
        ("bao nhiêu tỉnh ký với Viettel", ["tỉnh", "ký", "Viettel"]),
        ("thanh hoa ky voi vnpt", ["thanh hoa", "ky", "voi", "vnpt"]),  # "voi" may be an elephant
        # pyvi's CRF glues collocations its dictionary does not list: cut them again.
        ("ký kết hợp tác Viettel", ["ký kết", "hợp tác", "Viettel"]),
        ("hợp tác chiến lược", ["hợp tác", "chiến lược"]),
        # An acronym and a year, "năm" and a year, stay apart; two numbers and a numbered thing do not.
        ("DTI 2023", ["DTI", "2023"]),
        ("Viettel năm 2021", ["Viettel", "2021"]),  # "năm" before a year: the year says it
        ("giai đoạn 2021-2025", ["giai đoạn", "2021", "2025"]),  # two years, each a year
        ("2019 2020", ["2019", "2020"]),
        ("văn bản số 12", ["văn bản", "số 12"]),
        ("và của", ["và", "của"]),  # nothing but function words: search them
    ],
)
def test_a_sentence_typed_as_a_query_is_not_one_phrase(typed, expected):
    assert words(typed) == expected


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("VNPT AND Viettel", "VNPT Viettel"),
        ("VNPT && Viettel", "VNPT Viettel"),
        ("VNPT NOT Viettel", "VNPT -Viettel"),
        ('VNPT NOT "Viettel Post"', 'VNPT -"Viettel Post"'),
        ("VNPT hoặc Viettel", "(VNPT OR Viettel)"),
        ("NOT", ""),
        ("ANDROID NOTE", "ANDROID NOTE"),  # words, not operators
    ],
)
def test_and_and_not_are_operators_in_capitals(typed, read):
    assert describe(parse_text(typed).root) == read


def test_a_word_longer_than_the_index_keeps_is_still_required():
    """No article can hold it (the index cuts such tokens), so nothing matches: never a query
    that silently drops it and returns everything."""
    long = "a" * 60
    assert words(long) == [long]
    assert words(f"VNPT {long}") == ["VNPT", long]


def test_typed_marks_choose_exact_or_folded_keys():
    w = parse_text("Thanh Hoá").words[0]
    assert w.alternatives[0].terms == (Term("thanh", False), Term("hóa", True))  # hoá = hóa
    assert parse_text("tuyen dung").words[0].alternatives[0].terms == (Term("tuyen", False), Term("dung", False))
    assert parse_text("kỹ").words[0].alternatives[0].terms == (Term("kĩ", True),)
    assert parse_text("Đắk").words[0].alternatives[0].terms[0] == Term("đắk", True)
    assert parse_text("dak").words[0].alternatives[0].terms[0] == Term("dak", False)


def test_dictionary_words_bring_their_synonyms_and_entities():
    w = parse_text("VNPT").words[0]
    assert (w.facet, w.value, w.or_tagged) == ("partner", "VNPT", True)  # its tag finds every alias
    assert "Tập đoàn Bưu chính Viễn thông Việt Nam" in [a.text for a in w.shown]
    group = parse_text("Tập đoàn Công nghiệp - Viễn thông Quân đội").words[0]
    assert (group.value, [a.text for a in group.alternatives]) == (
        "Viettel",
        ["Tập đoàn Công nghiệp Viễn thông Quân đội"],
    )  # not the bare "Viettel"
    cds = parse_text("cds").words[0]
    assert [a.text for a in cds.alternatives] == ["cds", "CĐS", "chuyển đổi số"]
    assert all(t.exact for a in cds.alternatives for t in a.terms)  # a known term: its own spellings
    assert "Quảng Nam" in [a.text for a in parse_text("tinh quang nam").words[0].alternatives]
    assert all(t.exact for t in parse_text("quang nam").words[0].alternatives[0].terms)
    assert [(d.facet, d.value) for d in parse_text("thanh hoa vnpt").detected] == [
        ("province", "Thanh Hóa"),
        ("partner", "VNPT"),
    ]
    assert parse_text("ai").words[0].alternatives[0].text == "ai"  # "who", not AI
    ai = parse_text("AI").words[0]
    assert ai.cased and "trí tuệ nhân tạo" in [a.text for a in ai.alternatives]


def test_query_language():
    root = parse_text('VNPT OR Viettel "kinh tế số" -MobiFone -"Hà Giang"').root
    assert isinstance(root, AllOf) and isinstance(root.children[0], AnyOf)
    assert [w.typed for w in root.children[0].children] == ["VNPT", "Viettel"]
    assert root.children[1].quoted and root.children[1].typed == "kinh tế số"
    assert [w.typed for w in excluded_words(root)] == ["MobiFone", "Hà Giang"]
    assert describe(parse_text("(VNPT | Viettel) Thanh Hóa").root) == '(VNPT OR Viettel) "Thanh Hóa"'
    assert describe(parse_text("-Thanh Hóa VNPT").root) == 'VNPT -"Thanh Hóa"'  # "-" takes a word


@pytest.mark.parametrize(
    "text,expected",
    [
        ('"unbalanced quote', ['"unbalanced quote"']),  # the quote is ignored; the words stay together
        ('"VNPT Tuyên Quang', ['VNPT "Tuyên Quang"']),  # ...and a name is still found in them
        ("title:foo*", ["title foo"]),
        ("\x00\x07 chuyển\u200bđổi", ['"chuyển đổi"']),
        ("*** ??? ---", [""]),
        ("", [""]),
        ("OR OR", [""]),
        ("a OR", ["a"]),
        ("((VNPT", ["VNPT"]),
        ("VNPT))) (", ["VNPT"]),
        ("- -", [""]),
        ("-(VNPT OR Viettel)", ["-(VNPT OR Viettel)"]),
        ("A OR -B", ["A -B"]),
    ],
)
def test_malformed_queries_are_read_leniently(text, expected):
    assert [describe(parse_text(text).root)] == expected


def test_long_input_is_bounded():
    parsed = parse_text(" ".join(f"từ{i}" for i in range(1000)))
    assert len(parsed.words) <= MAX_WORDS
    deep = parse_text("(" * 500 + "VNPT" + ")" * 500)
    assert deep.words == () or [w.typed for w in deep.words] == ["VNPT"]


def test_gap_marks_clause_punctuation_only():
    assert "zzgapzz" in with_gaps("kinh tế, số")
    for whole in ("TP.HCM", "2021-2025", "4.0", "VT-CNTT"):
        assert "zzgapzz" not in with_gaps(whole)


def test_highlight_keeps_diacritics_and_escapes():
    html = highlight("Sở <TT&TT> đẩy mạnh chuyển đổi số.", parse_text("chuyen doi so"))
    assert html == "Sở &lt;TT&amp;TT&gt; đẩy mạnh <b>chuyển đổi số</b>."


def test_highlight_follows_the_typed_marks():
    text = "Tuyên Quang ứng dụng công nghệ; tỉnh tuyển dụng 20 kỹ sư."
    assert (
        highlight(text, parse_text("tuyển dụng")) == "Tuyên Quang ứng dụng công nghệ; tỉnh <b>tuyển dụng</b> 20 kỹ sư."
    )
    assert "<b>Tuyên Quang</b>" in highlight(text, parse_text("tuyen quang"))


def test_highlight_matches_phrases_not_loose_words():
    text = "Về kinh tế, số doanh nghiệp tăng; kinh tế số phát triển."
    assert (
        highlight(text, parse_text('"kinh tế số"')) == "Về kinh tế, số doanh nghiệp tăng; <b>kinh tế số</b> phát triển."
    )


def test_highlight_window_centres_on_matches():
    text = "mở đầu " * 100 + "ký kết với VNPT" + " kết thúc" * 100
    out = highlight(text, parse_text("VNPT"), max_chars=120)
    assert "<b>VNPT</b>" in out and out.startswith("… ") and out.endswith(" …")
    assert len(out) < 160


def test_snippet_keeps_subheadings_apart_and_never_highlights_across_them():
    short = "Hai bên ký kết.\n\nQuyết liệt hơn\n\nChuyển đổi số là nhiệm vụ."
    assert (
        highlight(short, parse_text("chuyen doi so"), max_chars=120).replace("</b> <b>", " ")
        == "Hai bên ký kết. Quyết liệt hơn · <b>Chuyển đổi số</b> là nhiệm vụ."
    )
    text = "Quyết liệt hơn trong chuyển đổi\n\nSố hóa là nhiệm vụ trọng tâm. " + "Câu văn tiếp theo. " * 12
    assert "<b>" not in highlight(text, parse_text('"chuyển đổi số"'), max_chars=120)
    assert "<b>chuyển đổi</b> · Số hóa" in highlight(text, parse_text('"chuyển đổi"'), max_chars=120)


def test_highlight_i_y_variants():
    assert highlight("kĩ năng số", parse_text("kỹ")) == "<b>kĩ</b> năng số"


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"sort": "popular"}, "sort"),
        ({"filters": {"color": ["x"]}}, "bộ lọc"),
        ({"filters": {"year": ["20x3"]}}, "year"),
        ({"date_from": "11-11-2021"}, "YYYY-MM-DD"),
        ({"date_from": "2024-02-01", "date_to": "2024-01-01"}, "trước"),
        ({"page": 1000, "per_page": 100}, "10000"),
        ({"page": "abc"}, "số nguyên"),
    ],
)
def test_bad_search_parameters_are_query_errors(kwargs, message):
    with pytest.raises(QueryError, match=message):
        SearchQuery(**kwargs)


def test_words_are_hashable_tree_nodes():
    w = parse_text("VNPT").words[0]
    assert isinstance(w, Word) and {w: 1}[w] == 1
