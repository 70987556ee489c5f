"""bench/relevance_judgments.yaml is well-formed, and its matcher means what the bench says.

Fast (no HTTP, no index): the judgments are loaded and every rule parsed, the queries are checked
against the test suite's own queries, and the ground-truth matcher is held to its stated rules.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from bench.relevance import (
    JUDGMENTS,
    KINDS,
    MIN_QUERIES,
    JudgmentError,
    Phrase,
    TruthText,
    load_judgments,
    normalize_query,
    parse_rule,
    queries_in_test_suite,
    score,
)


@pytest.fixture(scope="module")
def judgments():
    return load_judgments(JUDGMENTS)


def test_enough_queries_of_every_kind(judgments):
    assert len(judgments) >= MIN_QUERIES
    counts = Counter(j.kind for j in judgments)
    missing = [k for k in KINDS if counts[k] < 5]
    assert not missing, f"kinds with fewer than 5 judged queries: {missing} ({dict(counts)})"


def test_no_judged_query_is_one_the_test_suite_uses(judgments):
    used = queries_in_test_suite()
    shared = [j.q for j in judgments if normalize_query(j.q) in used]
    assert not shared, f"the test suite already queries {shared}: judge other queries"


def test_the_test_suite_query_finder_finds_queries(tmp_path):
    tests = tmp_path / "tests"
    (tests / "x").mkdir(parents=True)
    (tests / "x" / "test_a.py").write_text(
        "from indexer.query import SearchQuery\n"
        'Q = SearchQuery(text="Quảng Trị")\n'
        "def test_x(client):\n"
        '    client.get("/api/search", query_string={"q": "Lai Châu"})\n'
        '    client.get("/?q=Ha+Tinh&page=2")\n'
        'QUERIES = ["Điện Biên"]\n'
        "import pytest\n"
        '@pytest.mark.parametrize("text", ["Lạng Sơn"])\n'
        "def test_y(text): pass\n",
        encoding="utf-8",
    )
    found = queries_in_test_suite(tests)
    for q in ("Quảng Trị", "Lai Châu", "Ha Tinh", "Điện Biên", "Lạng Sơn"):
        assert normalize_query(q) in found, q


def test_every_judgment_has_relevant_articles_in_the_default_corpus(judgments):
    """A rule nothing satisfies is almost surely a misspelt rule (checked on the truth only)."""
    from demoweb.provinces import current_provinces
    from demoweb.world import build_world

    records = []
    for store in build_world(320, 1).values():
        for a in store.articles:
            records.append(
                {
                    "title": a.title,
                    "body": a.body_text,
                    "provinces": a.provinces,
                    "provinces_current": current_provinces(a.provinces),
                    "partners": a.partners,
                    "_text": TruthText.of(a.title, a.body_text),
                }
            )
    empty = [j.q for j in judgments if not any(j.rule(r) for r in records)]
    assert not empty, f"no article is relevant to {empty}"


@pytest.mark.parametrize(
    "rule",
    [
        {"mentions": []},
        {"mentions": ""},
        {"province": "Quảng Nom"},
        {"partner": "Vinaphone"},
        {"any": []},
        {"all": {"mentions": "x"}},
        {"contains": "x"},
        {"mentions": "x", "partner": "FPT"},
        "Thanh Hóa",
        {"mentions": "!!!"},
    ],
)
def test_malformed_rules_are_refused(rule):
    with pytest.raises(JudgmentError):
        parse_rule(rule)


def test_malformed_judgment_files_are_refused(tmp_path):
    bad = [
        "queries:\n- {q: 'x', kind: nonsense, relevant: {mentions: x}}\n",
        "queries:\n- {q: 'x', kind: topic}\n",
        "queries:\n- {q: 'x', kind: topic, relevant: {mentions: x}}\n- {q: 'X', kind: topic, relevant: {mentions: x}}\n",
        "queries:\n- {q: 'x', kind: topic, relevant: {mentions: x}, extra: 1}\n",
        "nothing: here\n",
    ]
    for i, text in enumerate(bad):
        p = tmp_path / f"bad{i}.yaml"
        p.write_text(text, encoding="utf-8")
        with pytest.raises(JudgmentError):
            load_judgments(p)


def _has(text: str, phrase: str, cased: bool = False) -> bool:
    return TruthText.of(text).contains(Phrase(phrase, cased=cased))


def test_matcher_typed_diacritics_mean_that_syllable():
    assert _has("UBND tỉnh Thanh Hoá ký kết", "Thanh Hóa")  # old/new tone placement equal
    assert _has("UBND tỉnh Thanh Hóa ký kết", "thanh hoa")  # unmarked matches any marks
    assert _has("Ủy ban nhân dân", "uỷ ban")
    assert not _has("Tuyên Quang ứng dụng", "tuyển dụng")
    assert not _has("tỉnh Tuyên Quang năm 2023", "Quảng Nam")
    assert _has("tỉnh Tuyên Quang năm 2023", "quang nam")  # unmarked: any marks
    assert not _has("đồng", "đông") and _has("Đồng Nai", "dong nai")
    assert _has("ĐỒNG THÁP", "Đồng Tháp")  # case never matters


def test_matcher_needs_adjacent_words_in_one_clause():
    assert _has("phát triển kinh tế số của tỉnh", "kinh tế số")
    assert not _has("Về kinh tế, số doanh nghiệp tăng", "kinh tế số")
    assert not _has("số liệu kinh tế", "kinh tế số")
    assert not _has("Thanh Hóa.\nVNPT", "Hóa VNPT")
    assert _has("Tập đoàn Công nghiệp - Viễn thông Quân đội", "Công nghiệp Viễn thông")
    assert _has("Bà Rịa – Vũng Tàu", "Bà Rịa Vũng Tàu")
    assert _has("chuyển\u200bđổi số", "chuyển đổi số")  # canonical text: ZWSP is a space


def test_matcher_cased():
    assert _has("ứng dụng AI vào", "AI", cased=True)
    assert not _has("không ai biết", "AI", cased=True)
    assert _has("không ai biết", "AI")


def test_edge_cases_of_the_scores():
    s = score([], set())
    assert (s.p10, s.p, s.r, s.ndcg10) == (1, 1, 1, 1)
    s = score([], {"a"})
    assert (s.p10, s.p, s.r, s.ndcg10) == (0, 0, 0, 0)
    s = score(["x"], set())
    assert (s.p10, s.p, s.r, s.ndcg10) == (0, 0, 1, 0)
    s = score(["a", "x", "b"], {"a", "b", "c"})
    assert s.p == pytest.approx(2 / 3) and s.r == pytest.approx(2 / 3) and s.p10 == pytest.approx(2 / 3)
    assert 0 < s.ndcg10 < 1
    assert score(["a", "b"], {"a", "b"}).ndcg10 == pytest.approx(1)


def test_judgments_file_is_where_the_bench_reads_it():
    assert JUDGMENTS == Path(__file__).resolve().parents[2] / "bench" / "relevance_judgments.yaml"
