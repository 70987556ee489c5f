"""Query-time abbreviations from config/abbreviations.yaml, as the search box reads them."""

from indexer.abbreviations import Abbreviations, load_abbreviations
from indexer.backends.query_text import parse_text
from indexer.lexicon import Lexicon, _abbreviation_entries


def spellings(text: str) -> list[list[str]]:
    return [[a.text for a in w.alternatives] for w in parse_text(text).words]


def test_config_covers_the_issue_list():
    assert {g[0] for g in load_abbreviations().groups} >= {
        "CĐS",
        "UBND",
        "CNTT",
        "KTS",
        "CQS",
        "HĐND",
        "TT&TT",
        "TP. HCM",
    }
    for short, long in [
        ("CĐS", "chuyển đổi số"),
        ("UBND", "ủy ban nhân dân"),
        ("CNTT", "công nghệ thông tin"),
        ("KTS", "kinh tế số"),
        ("CQS", "chính quyền số"),
        ("HĐND", "hội đồng nhân dân"),
        ("TT&TT", "thông tin và truyền thông"),
    ]:
        words = spellings(short)
        assert len(words) == 1 and long in words[0], (short, words)


def test_typed_without_diacritics_or_in_lower_case():
    assert "chuyển đổi số" in spellings("cds thanh hoa")[0]
    assert "chuyển đổi số" in spellings("CÐS")[0]  # eth lookalike


def test_expansion_works_both_ways():
    assert "CĐS" in spellings("chuyen doi so Thanh Hóa")[0]


def test_short_keys_need_capitals():
    # "ai" is the Vietnamese word "who"; "AI" is artificial intelligence
    assert not any("trí tuệ nhân tạo" in w for w in spellings("ai ký thỏa thuận"))
    assert "trí tuệ nhân tạo" in spellings("AI")[0]


def test_abbreviation_inside_a_word_does_not_match():
    lex = Lexicon()
    for e in _abbreviation_entries(None):
        lex.add(e)
    assert lex.match(["ktsx"], 0) is None
    assert lex.match(["KTS"], 0) is not None


def test_short_keys_are_known_as_strict():
    abbr = Abbreviations({"AI": ["trí tuệ nhân tạo"], "CĐS": ["chuyển đổi số"]})
    assert abbr.strict_keys == {"ai"}
    assert abbr.groups == [("AI", "trí tuệ nhân tạo"), ("CĐS", "chuyển đổi số")]
