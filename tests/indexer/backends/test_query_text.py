"""User text -> clauses, and the snippet highlighter built on the same rules."""
from __future__ import annotations

import pytest

from indexer.backends.highlight import highlight
from indexer.backends.query_text import MAX_CLAUSES, parse_text, with_gaps
from indexer.query import QueryError, SearchQuery


def alts(text):
    return [c.alternatives for c in parse_text(text).clauses]


def test_words_phrases_and_abbreviations():
    assert alts('VNPT "kinh tế số" CĐS') == [("VNPT",), ("kinh tế số",), ("CĐS", "chuyển đổi số")]
    assert parse_text('"kinh tế số"').clauses[0].quoted


def test_tone_marks_are_canonicalized_in_queries():
    assert alts("Thanh Hoá") == [("Thanh",), ("Hóa",)]


@pytest.mark.parametrize("text,expected", [
    ('"unbalanced quote', [("unbalanced quote",)]),
    ("title:foo*", [("title",), ("foo",)]),
    ("\x00\x07 chuyển\u200bđổi", [("chuyển",), ("đổi",)]),
    ("*** ??? ---", []),
    ("", []),
])
def test_hostile_text_becomes_plain_words(text, expected):
    assert alts(text) == expected


def test_long_input_is_bounded():
    parsed = parse_text(" ".join(f"từ{i}" for i in range(1000)))
    assert len(parsed.clauses) <= MAX_CLAUSES


def test_gap_marks_clause_punctuation_only():
    assert "zzgapzz" in with_gaps("kinh tế, số")
    for whole in ("TP.HCM", "2021-2025", "4.0", "VT-CNTT"):
        assert "zzgapzz" not in with_gaps(whole)


def test_highlight_keeps_diacritics_and_escapes():
    html = highlight("Sở <TT&TT> đẩy mạnh chuyển đổi số.", parse_text("chuyen doi so"))
    assert html == "Sở &lt;TT&amp;TT&gt; đẩy mạnh <b>chuyển đổi số</b>."


def test_highlight_matches_phrases_not_loose_words():
    text = "Về kinh tế, số doanh nghiệp tăng; kinh tế số phát triển."
    assert highlight(text, parse_text('"kinh tế số"')) == \
        "Về kinh tế, số doanh nghiệp tăng; <b>kinh tế số</b> phát triển."


def test_highlight_window_centres_on_matches():
    text = "mở đầu " * 100 + "ký kết với VNPT" + " kết thúc" * 100
    out = highlight(text, parse_text("VNPT"), max_chars=120)
    assert "<b>VNPT</b>" in out and out.startswith("… ") and out.endswith(" …")
    assert len(out) < 160


def test_snippet_keeps_subheadings_apart_and_never_highlights_across_them():
    short = "Hai bên ký kết.\n\nQuyết liệt hơn\n\nChuyển đổi số là nhiệm vụ."
    assert highlight(short, parse_text("chuyen doi so"), max_chars=120).replace("</b> <b>", " ") == \
        "Hai bên ký kết. Quyết liệt hơn · <b>Chuyển đổi số</b> là nhiệm vụ."
    text = "Quyết liệt hơn trong chuyển đổi\n\nSố hóa là nhiệm vụ trọng tâm. " + "Câu văn tiếp theo. " * 12
    assert "<b>" not in highlight(text, parse_text('"chuyển đổi số"'), max_chars=120)
    assert "<b>chuyển đổi</b> · Số hóa" in highlight(text, parse_text('"chuyển đổi"'), max_chars=120)


def test_highlight_i_y_variants():
    assert highlight("kĩ năng số", parse_text("kỹ")) == "<b>kĩ</b> năng số"


@pytest.mark.parametrize("kwargs,message", [
    ({"sort": "popular"}, "sort"),
    ({"filters": {"color": ["x"]}}, "bộ lọc"),
    ({"filters": {"year": ["20x3"]}}, "year"),
    ({"date_from": "11-11-2021"}, "YYYY-MM-DD"),
    ({"date_from": "2024-02-01", "date_to": "2024-01-01"}, "trước"),
    ({"page": 1000, "per_page": 100}, "10000"),
    ({"page": "abc"}, "số nguyên"),
])
def test_bad_search_parameters_are_query_errors(kwargs, message):
    with pytest.raises(QueryError, match=message):
        SearchQuery(**kwargs)
