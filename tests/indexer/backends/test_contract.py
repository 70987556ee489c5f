"""What users see, identical on every backend: the shared contract suite.

Runs on the embedded engine always and on Elasticsearch when CDS_ES_URL names a live cluster.
"""

from __future__ import annotations

import dataclasses
import unicodedata

import pytest

from indexer.query import SearchQuery
from tests.indexer.backends.sample_articles import by_slug, sample_articles


def slug(hit) -> str:
    return hit.article.url.rsplit("/", 1)[1].removesuffix(".html")


def find(backend, text="", **kw) -> list[str]:
    return [slug(h) for h in backend.search(SearchQuery(text=text, per_page=100, **kw)).hits]


def facet(result, name) -> dict[str, int]:
    return dict(result.facets[name])


# -- diacritics, spelling variants, abbreviations ----------------------------------------------
def test_query_without_diacritics_finds_diacritic_text(loaded_backend):
    found = find(loaded_backend, "chuyen doi so")
    assert {"thanh-hoa-vnpt-ky-ket", "bac-kan-vnpt-thoa-thuan", "viettel-thanh-hoa-ioc"} <= set(found)
    assert "quang-nam-kinh-te" not in found


def test_both_tone_mark_styles_are_found(loaded_backend):
    # "Thanh Hóa" (thanh-hoa-vnpt) and "Thanh Hoá" (viettel) spell the same province.
    for typed in ("Thanh Hoa", "Thanh Hóa", "Thanh Hoá", "thanh hoa"):
        found = find(loaded_backend, typed)
        assert {"thanh-hoa-vnpt-ky-ket", "viettel-thanh-hoa-ioc"} <= set(found), typed


def test_abbreviation_finds_expansion_and_back(loaded_backend):
    found = find(loaded_backend, "CĐS")
    assert {"thanh-hoa-vnpt-ky-ket", "tuyen-quang-cds-vnpt"} <= set(found)
    assert "tuyen-quang-cds-vnpt" in find(loaded_backend, "chuyển đổi số")
    assert "tuyen-quang-cds-vnpt" in find(loaded_backend, "cds")


def test_decomposed_and_lookalike_query_text(loaded_backend):
    """Queries pasted from PDFs (NFD) or typed with the eth lookalike (Ð) still match."""
    nfd = unicodedata.normalize("NFD", "Bắc Kạn ký thỏa thuận")
    assert find(loaded_backend, nfd)[0] == "bac-kan-vnpt-thoa-thuan"
    assert find(loaded_backend, "\u00d0ắk Lắk")[0] == "dak-lak-co-dau"


def test_i_y_spelling_variants(loaded_backend):
    assert find(loaded_backend, "kỹ năng số") == ["bac-kan-ki-nang-so"]
    assert find(loaded_backend, "ki nang so") == ["bac-kan-ki-nang-so"]


def test_exact_diacritics_rank_first(loaded_backend):
    assert find(loaded_backend, "Đắk Lắk")[:2] == ["dak-lak-co-dau", "dak-lak-khong-dau"]
    assert find(loaded_backend, "Dak Lak")[:2] == ["dak-lak-khong-dau", "dak-lak-co-dau"]


def test_snippet_highlights_original_diacritics_and_escapes(loaded_backend):
    res = loaded_backend.search(SearchQuery(text="chuyen doi so", per_page=100))
    hit = next(h for h in res.hits if slug(h) == "bac-kan-vnpt-thoa-thuan")
    assert "<b>chuyển đổi số</b>" in hit.snippet.replace("</b> <b>", " ")
    hit = next(
        h
        for h in loaded_backend.search(SearchQuery(text="CĐS", per_page=100)).hits
        if slug(h) == "tuyen-quang-cds-vnpt"
    )
    assert "TT&amp;TT" in hit.snippet and "<b>CĐS</b>" in hit.snippet


# -- phrases -----------------------------------------------------------------------------------
def test_phrase_does_not_cross_punctuation(loaded_backend):
    found = find(loaded_backend, '"kinh tế số"')
    assert "tuyen-quang-kinh-te-so" in found
    assert "quang-nam-kinh-te" not in found  # "Về kinh tế, số doanh nghiệp"
    # Bare words are ANDed anywhere in the text...
    assert "quang-nam-kinh-te" in find(loaded_backend, "kinh tế, số doanh nghiệp")
    # ...but a dictionary term (KTS = kinh tế số) typed bare is kept whole, like a phrase.
    assert "quang-nam-kinh-te" not in find(loaded_backend, "kinh tế số doanh nghiệp")


def test_phrase_without_diacritics(loaded_backend):
    assert "tuyen-quang-kinh-te-so" in find(loaded_backend, '"kinh te so"')
    assert find(loaded_backend, '"so kinh te"') == []


def test_words_are_anded(loaded_backend):
    assert find(loaded_backend, "VNPT Bắc Kạn") == ["bac-kan-vnpt-thoa-thuan"]


# -- hostile input -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        '"unbalanced quote',
        "title:foo",
        "*",
        "chuyển*",
        "a AND OR NOT (",
        "'; DROP TABLE articles; --",
        "\x00\x01\x1b[31m",
        "x" * 5000,
        " ".join(["số"] * 400),
        "[2020 TO 2025]",
        "~!@#$%^&*()_+{}|:<>?",
        "ĐỒNG THÁP",
        "\u00d0ỒNG THÁP",
        'field:"x"^3',
        "/regex.*/",
        "😀 chuyển đổi số",
    ],
)
def test_hostile_queries_do_not_raise(loaded_backend, text):
    res = loaded_backend.search(SearchQuery(text=text))
    assert res.total >= 0 and isinstance(res.hits, list)


def test_punctuation_only_query_lists_everything(loaded_backend):
    assert loaded_backend.search(SearchQuery(text="*")).total == loaded_backend.search(SearchQuery()).total


# -- filters and facets ------------------------------------------------------------------------
def test_facet_counts_exclude_hidden_articles(loaded_backend):
    res = loaded_backend.search(SearchQuery())
    assert res.total == 13  # 15 minus a duplicate, an off-topic
    assert facet(res, "partner") == {"VNPT": 4, "Viettel": 3, "MobiFone": 1, "FPT": 1}
    assert facet(res, "province_current")["Thái Nguyên"] == 3  # Bắc Kạn merged into Thái Nguyên
    assert facet(res, "province")["Bắc Kạn"] == 2


def test_kind_facet_counts(loaded_backend):
    res = loaded_backend.search(SearchQuery())
    assert facet(res, "kind") == {"news": 7, "agreement": 2, "report": 3, "research": 1}


def test_facets_are_disjunctive(loaded_backend):
    res = loaded_backend.search(SearchQuery(filters={"partner": ["VNPT"]}))
    assert res.total == 4
    assert facet(res, "partner") == {"VNPT": 4, "Viettel": 3, "MobiFone": 1, "FPT": 1}  # own filter ignored
    assert facet(res, "province_current") == {"Tuyên Quang": 2, "Thanh Hóa": 1, "Thái Nguyên": 1}
    both = loaded_backend.search(SearchQuery(filters={"partner": ["VNPT", "Viettel"]}))
    assert both.total == 7  # OR within a facet
    anded = loaded_backend.search(
        SearchQuery(filters={"partner": ["VNPT", "Viettel"], "province_current": ["Tuyên Quang"]})
    )
    assert sorted(slug(h) for h in anded.hits) == [
        "ha-giang-viettel-5g",
        "tuyen-quang-cds-vnpt",
        "tuyen-quang-kinh-te-so",
    ]  # AND across facets
    assert facet(anded, "partner") == {"VNPT": 2, "Viettel": 1}
    assert facet(anded, "province_current")["Thanh Hóa"] == 2


def test_selected_value_with_no_hits_stays_listed(loaded_backend):
    res = loaded_backend.search(SearchQuery(text="Đắk Lắk", filters={"partner": ["FPT"]}))
    assert res.total == 0
    assert facet(res, "partner") == {"FPT": 0}


def test_legacy_and_current_province_filters(loaded_backend):
    assert set(find(loaded_backend, filters={"province": ["Hà Giang"]})) == {"ha-giang-viettel-5g"}
    assert set(find(loaded_backend, filters={"province_current": ["Tuyên Quang"]})) == {
        "ha-giang-viettel-5g",
        "tuyen-quang-kinh-te-so",
        "tuyen-quang-cds-vnpt",
    }
    # Filter values go through the same normalization as the index.
    assert "viettel-thanh-hoa-ioc" in find(loaded_backend, filters={"province": ["Thanh Hoá"]})


def test_year_covers_agreement_periods(loaded_backend):
    found = set(find(loaded_backend, filters={"year": ["2023"]}))
    # published in 2023, plus the 2021-2025 and 2020-2025 agreements
    assert found == {"viettel-thanh-hoa-ioc", "hue-ioc-viettel", "thanh-hoa-vnpt-ky-ket", "bac-kan-vnpt-thoa-thuan"}
    assert facet(loaded_backend.search(SearchQuery()), "year")["2025"] == 4


def test_publication_year_and_agreement_years_are_facets_of_their_own(loaded_backend):
    """``published_year`` counts the publication year only, ``agreement_year`` the years of a
    stated period only: the 2021-2025 Thanh Hóa agreement published in 2021 is 2021 in the first
    and 2021-2025 in the second; ``year`` stays their union."""
    assert "thanh-hoa-vnpt-ky-ket" not in find(loaded_backend, filters={"published_year": ["2023"]})
    assert "viettel-thanh-hoa-ioc" in find(loaded_backend, filters={"published_year": ["2023"]})
    assert set(find(loaded_backend, filters={"agreement_year": ["2023"]})) == {
        "thanh-hoa-vnpt-ky-ket",
        "bac-kan-vnpt-thoa-thuan",
    }
    res = loaded_backend.search(SearchQuery())
    published, agreed = facet(res, "published_year"), facet(res, "agreement_year")
    assert agreed == {str(y): (2 if y >= 2021 else 1) for y in range(2020, 2026)}
    assert published["2021"] == len(find(loaded_backend, filters={"published_year": ["2021"]}))
    assert set(facet(res, "year")) == set(published) | set(agreed)
    # Disjunctive like every facet: ticking one year keeps the others' counts.
    ticked = loaded_backend.search(SearchQuery(filters={"agreement_year": ["2020"]}))
    assert facet(ticked, "agreement_year") == agreed and ticked.total == 1


def test_kind_and_source_filters(loaded_backend):
    assert set(find(loaded_backend, filters={"kind": ["agreement"]})) == {
        "thanh-hoa-vnpt-ky-ket",
        "bac-kan-vnpt-thoa-thuan",
    }
    assert set(find(loaded_backend, filters={"source": ["backan.gov.vn"]})) == {
        "bac-kan-vnpt-thoa-thuan",
        "bac-kan-ki-nang-so",
    }


def test_date_range_is_inclusive_in_vietnam_time(loaded_backend):
    assert set(find(loaded_backend, date_from="2024-08-08", date_to="2024-08-09")) == {
        "dak-lak-co-dau",
        "dak-lak-khong-dau",
    }
    assert find(loaded_backend, date_from="2025-05-05") == ["tuyen-quang-cds-vnpt"]
    assert "ha-noi-fpt-nghien-cuu" not in find(loaded_backend, date_to="2024-12-31")


# -- duplicates and off-topic ------------------------------------------------------------------
def test_duplicates_and_off_topic_hidden_by_default(loaded_backend):
    found = find(loaded_backend, "Viettel Thanh Hoa")
    assert "viettel-thanh-hoa-ioc" in found and "viettel-thanh-hoa-ioc-copy" not in found
    assert "viettel-thanh-hoa-ioc-copy" in find(loaded_backend, "Viettel Thanh Hoa", include_duplicates=True)
    assert "thanh-hoa-bong-da" not in find(loaded_backend, "bóng đá")
    assert find(loaded_backend, "bóng đá", include_off_topic=True) == ["thanh-hoa-bong-da"]


# -- sorting and paging ------------------------------------------------------------------------
def test_sort_by_date(loaded_backend):
    newest = find(loaded_backend, sort="newest")
    oldest = find(loaded_backend, sort="oldest")
    assert newest[0] == "tuyen-quang-cds-vnpt" and newest[-1] == "bac-kan-vnpt-thoa-thuan"
    assert oldest == list(reversed(newest))


def test_paging_covers_every_hit_once(loaded_backend):
    seen = []
    for page in (1, 2, 3, 4):
        res = loaded_backend.search(SearchQuery(sort="newest", page=page, per_page=4))
        assert res.total == 13
        seen += [slug(h) for h in res.hits]
    assert len(seen) == 13 and len(set(seen)) == 13
    assert seen == find(loaded_backend, sort="newest")


def test_relevance_puts_title_match_first(loaded_backend):
    assert find(loaded_backend, "kinh tế số")[0] == "tuyen-quang-kinh-te-so"


# -- writes ------------------------------------------------------------------------------------
def test_upsert_by_id_does_not_duplicate(empty_backend):
    arts = sample_articles()
    empty_backend.index(arts)
    empty_backend.commit()
    changed = dataclasses.replace(by_slug("dak-lak-co-dau"), title="Đắk Lắk mở rộng thanh toán số")
    assert empty_backend.index([changed, changed]) == 2
    empty_backend.commit()
    assert empty_backend.count() == len(arts)
    assert empty_backend.get(changed.id).title == "Đắk Lắk mở rộng thanh toán số"
    found = find(empty_backend, "mở rộng thanh toán số Đắk Lắk")
    assert found[0] == "dak-lak-co-dau" and found.count("dak-lak-co-dau") == 1


def test_get_returns_the_whole_article(empty_backend):
    art = by_slug("thanh-hoa-vnpt-ky-ket")
    empty_backend.index([art])
    empty_backend.commit()
    assert empty_backend.get(art.id) == art
    assert empty_backend.get("0" * 20) is None


def test_writes_are_visible_after_commit(empty_backend):
    art = by_slug("ha-giang-viettel-5g")
    empty_backend.index([art])
    empty_backend.commit()
    assert empty_backend.count() == 1
    assert find(empty_backend, "5G") == ["ha-giang-viettel-5g"]


def test_delete_count_iter_clear(empty_backend):
    arts = sample_articles()
    empty_backend.index(arts)
    empty_backend.commit()
    assert empty_backend.count() == 15
    assert sorted(a.id for a in empty_backend.iter_articles()) == sorted(a.id for a in arts)
    empty_backend.delete([arts[0].id, arts[1].id])
    empty_backend.commit()
    assert empty_backend.count() == 13
    assert empty_backend.get(arts[0].id) is None
    assert arts[0].id not in {a.id for a in empty_backend.iter_articles()}
    empty_backend.clear()
    assert empty_backend.count() == 0
    assert empty_backend.search(SearchQuery()).total == 0


def test_empty_index_search(empty_backend):
    res = empty_backend.search(SearchQuery(text="chuyển đổi số", filters={"partner": ["VNPT"]}))
    assert res.total == 0 and res.hits == []
    assert res.facets["partner"] == [("VNPT", 0)]
