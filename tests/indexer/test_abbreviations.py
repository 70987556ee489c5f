"""Query-time abbreviations from config/abbreviations.yaml."""
from indexer.abbreviations import Abbreviations, load_abbreviations
from indexer.normalize import expand_query, query_variants, search_key


def test_config_covers_the_issue_list():
    abbr = load_abbreviations()
    for short, long in [("CĐS", "chuyển đổi số"), ("UBND", "ủy ban nhân dân"),
                        ("CNTT", "công nghệ thông tin"), ("KTS", "kinh tế số"),
                        ("CQS", "chính quyền số"), ("HĐND", "hội đồng nhân dân"),
                        ("TT&TT", "thông tin và truyền thông"),
                        ("TP.HCM", "thành phố Hồ Chí Minh")]:
        parts = expand_query(short, abbr)
        assert len(parts) == 1 and long in parts[0], (short, parts)


def test_typed_without_diacritics_or_in_lower_case():
    assert expand_query("cds thanh hoa") == [("cds", "chuyển đổi số"), ("thanh hoa",)]
    assert expand_query("CÐS") == [("CĐS", "chuyển đổi số")]          # eth lookalike


def test_expansion_works_both_ways():
    parts = expand_query("chuyen doi so Thanh Hóa")
    assert parts[0] == ("chuyen doi so", "CĐS")
    assert parts[1] == ("Thanh Hóa",)


def test_variants_are_whole_queries_typed_form_first():
    assert query_variants("CĐS tỉnh Thanh Hoá") == ["CĐS tỉnh Thanh Hóa", "chuyển đổi số tỉnh Thanh Hóa"]


def test_short_keys_need_capitals():
    # "ai" is the Vietnamese word "who"; "AI" is artificial intelligence
    assert expand_query("ai ký thỏa thuận") == [("ai ký thỏa thuận",)]
    assert expand_query("AI")[0][1] == "trí tuệ nhân tạo"


def test_abbreviation_inside_a_word_does_not_match():
    abbr = Abbreviations({"KTS": ["kinh tế số"]})
    assert expand_query("ktsx", abbr) == [("ktsx",)]
    assert expand_query("", abbr) == []


def test_synonym_rules_for_engines():
    abbr = Abbreviations({"CĐS": ["chuyển đổi số"]})
    assert abbr.synonym_rules() == ["cđs, chuyển đổi số"]
    assert search_key(abbr.groups[0][1]) == "chuyen doi so"
