"""Words, not syllables: the query rules of issue 7, identical on every backend.

The articles here are the traps a journalist met: "Tuyên Quang … ứng dụng" for *tuyển dụng*,
"Quảng Ninh … năm" for *Quảng Nam*, a signature and a number for *chữ ký số*, a passing mention
of Thanh Hóa beside the Thanh Hóa–VNPT signing. Runs on the embedded engine always and on
Elasticsearch when CDS_ES_URL names a live cluster.
"""

from __future__ import annotations

import pytest

from indexer.article import Article
from indexer.query import SearchQuery
from tests.indexer.backends.conftest import BACKEND_NAMES, drop, make_backend


def _a(slug: str, title: str, body: str, **kw) -> Article:
    kw.setdefault("published", "2024-05-01T09:00:00+07:00")
    kw.setdefault("year", int(kw["published"][:4]))  # as the pipeline sets it
    return Article(url=f"http://example.gov.vn/tin/{slug}.html", title=title, body=body, **kw)


TRAPS = [
    _a(
        "tuyen-quang-ung-dung",
        "Tuyên Quang ứng dụng công nghệ số trong quản lý đất đai",
        "Tỉnh Tuyên Quang đưa vào sử dụng phần mềm quản lý đất đai do VNPT phát triển.",
        primary_province="Tuyên Quang",
        partner_mentions={"VNPT": ["body"]},
    ),
    _a(
        "tuyen-dung-cntt",
        "Sở Thông tin và Truyền thông tuyển dụng 20 kỹ sư",
        "Sở thông báo tuyển dụng kỹ sư công nghệ thông tin làm việc tại trung tâm dữ liệu của tỉnh.",
    ),
    _a(
        "tuyen-cap-quang",
        "Viettel hoàn thành tuyến cáp quang mới",
        "Tuyến cáp quang giúp các xã vùng cao ứng dụng dịch vụ số, do Viettel đầu tư.",
        partners=["Viettel"],
        partner_mentions={"Viettel": ["title", "body"]},
    ),
    _a(
        "quang-ninh-nam",
        "Quảng Ninh: kết quả chuyển đổi số năm 2024",
        "Năm 2024, Quảng Ninh dẫn đầu chỉ số chuyển đổi số, MobiFone hỗ trợ hạ tầng.",
        primary_province="Quảng Ninh",
        partner_mentions={"MobiFone": ["body"]},
    ),
    _a(
        "quang-nam-nen-tang",
        "Quảng Nam ra mắt nền tảng số cho du lịch",
        "Du khách đến Quảng Nam tra cứu điểm đến qua ứng dụng.",
        primary_province="Quảng Nam",
    ),
    _a(
        "chu-ky-so",
        "Doanh nghiệp dùng chữ ký số để kê khai thuế",
        "Hơn 3.000 doanh nghiệp đã được cấp chữ ký số trong năm.",
        partner_mentions={},
    ),
    _a(
        "chu-ky-trap",
        "Lãnh đạo tỉnh ký xác nhận hồ sơ",
        "Văn bản có chữ ký của giám đốc sở; số hồ sơ tồn đọng giảm mạnh nhờ chuyển đổi số.",
    ),
    _a(
        "thanh-hoa-vnpt-ky-ket",
        "Thanh Hóa và VNPT ký kết thỏa thuận hợp tác chuyển đổi số",
        "UBND tỉnh Thanh Hóa và VNPT ký kết thỏa thuận giai đoạn 2021-2025.",
        kind="agreement",
        primary_province="Thanh Hóa",
        partner_mentions={"VNPT": ["title", "body"]},
    ),
    _a(
        "hoa-binh-tinh",
        "Hòa Bình triển khai bệnh án điện tử",
        "Các bệnh viện tỉnh Hòa Bình dùng bệnh án điện tử.",
        provinces=["Hòa Bình"],
        primary_province="Hòa Bình",
    ),
    _a(
        "hoa-binh-hoi-hoa",
        "Cuộc thi vẽ tranh Vì Hòa Bình trên nền tảng số",
        "Học sinh gửi tranh về chủ đề hòa bình qua ứng dụng.",
    ),
    _a(
        "viettel-post-buu-cuc",
        "UBND tỉnh Bắc Kạn và Viettel Post mở bưu cục số, Viettel Post tăng tốc giao hàng",
        "Viettel Post đưa vào hoạt động bưu cục số tại Bắc Kạn; người dân gửi hàng qua Viettel Post nhanh hơn.",
        primary_province="Bắc Kạn",
        partners=["Viettel Post"],
        partner_mentions={"Viettel Post": ["title", "body"]},
    ),
    _a(
        "hoi-nghi-toan-quoc",
        "Hội nghị trực tuyến toàn quốc về chuyển đổi số năm 2024",
        "Hội nghị có đại biểu các tỉnh Thanh Hóa, Nghệ An, Hà Tĩnh tham dự. Hội nghị kết nối tới "
        "63 điểm cầu với sự hỗ trợ của Viettel, VNPT và nhiều doanh nghiệp khác.",
        primary_province="Hà Nội",
        partners=["Viettel", "VNPT"],
        partner_mentions={"Viettel": ["body"], "VNPT": ["body"]},
    ),
]


@pytest.fixture(scope="module", params=BACKEND_NAMES)
def traps(request, tmp_path_factory):
    b = make_backend(request.param, tmp_path_factory.mktemp(request.param))
    b.index(TRAPS)
    b.commit()
    yield b
    drop(b)


def slug(hit) -> str:
    return hit.article.url.rsplit("/", 1)[1].removesuffix(".html")


def find(backend, text: str) -> list[str]:
    return [slug(h) for h in backend.search(SearchQuery(text=text, per_page=100)).hits]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("tuyển dụng", {"tuyen-dung-cntt"}),
        ("tuyen dung", {"tuyen-dung-cntt"}),
        ("Quảng Nam", {"quang-nam-nen-tang"}),
        ("quang nam", {"quang-nam-nen-tang"}),
        ("chữ ký số", {"chu-ky-so"}),
        ("chu ky so", {"chu-ky-so"}),
        ("Thanh Hóa VNPT", {"thanh-hoa-vnpt-ky-ket", "hoi-nghi-toan-quoc"}),
        ("ứng dụng", {"tuyen-quang-ung-dung", "tuyen-cap-quang", "quang-nam-nen-tang", "hoa-binh-hoi-hoa"}),
    ],
)
def test_words_match_as_adjacent_syllables_only(traps, text, expected):
    assert set(find(traps, text)) == expected


def test_typed_marks_match_only_that_syllable(traps):
    assert "tuyen-dung-cntt" not in find(traps, "tuyên")  # tuyển is not tuyên
    assert {"tuyen-quang-ung-dung", "tuyen-dung-cntt", "tuyen-cap-quang"} <= set(find(traps, "tuyen"))
    assert set(find(traps, "tuyến")) == {"tuyen-cap-quang", "hoi-nghi-toan-quoc"}  # "trực tuyến"
    assert find(traps, "Thanh Hoá") == find(traps, "Thanh Hóa")  # tone placement is one


def test_or_exclusion_and_groups(traps):
    assert set(find(traps, "MobiFone OR Viettel")) == {
        "quang-ninh-nam",
        "tuyen-cap-quang",
        "hoi-nghi-toan-quoc",
        "viettel-post-buu-cuc",  # the word Viettel is in its name
    }
    assert set(find(traps, "MobiFone | Viettel")) == set(find(traps, "MobiFone OR Viettel"))
    assert set(find(traps, "chuyển đổi số -VNPT")) == {"quang-ninh-nam", "chu-ky-trap"}
    assert set(find(traps, 'chuyển đổi số -"Quảng Ninh" -VNPT')) == {"chu-ky-trap"}
    # "năm 2024": the year, in the text or as the article's year (every trap is from 2024)
    assert set(find(traps, "(MobiFone OR Viettel) năm 2024")) == set(find(traps, "MobiFone OR Viettel"))
    assert set(find(traps, "(MobiFone OR Viettel) hội nghị")) == {"hoi-nghi-toan-quoc"}
    assert "tuyen-dung-cntt" not in find(traps, "-tuyển dụng")
    assert len(find(traps, "-tuyển dụng")) == len(TRAPS) - 1


def test_the_named_province_and_partner_rank_first(traps):
    assert find(traps, "Thanh Hóa VNPT")[0] == "thanh-hoa-vnpt-ky-ket"
    assert find(traps, "thanh hoa vnpt")[0] == "thanh-hoa-vnpt-ky-ket"


def test_title_beats_body(traps):
    found = find(traps, "Viettel")
    assert found.index("tuyen-cap-quang") < found.index("hoi-nghi-toan-quoc")


def test_a_province_name_that_is_also_a_word(traps):
    assert find(traps, "Hòa Bình") == ["hoa-binh-tinh"]  # the province: the tagger decides
    assert set(find(traps, "hòa bình")) == {"hoa-binh-tinh", "hoa-binh-hoi-hoa"}  # the word: peace
    assert set(find(traps, "tỉnh hòa bình")) == {"hoa-binh-tinh"}


def test_detected_entities(traps):
    res = traps.search(SearchQuery(text="thanh hoa vnpt"))
    assert res.detected == [
        {"facet": "province", "value": "Thanh Hóa", "text": "thanh hoa"},
        {"facet": "partner", "value": "VNPT", "text": "vnpt"},
    ]
    assert traps.search(SearchQuery(text="tuyển dụng")).detected == []


@pytest.mark.parametrize(
    "typed,fixed",
    [
        ("Tuyen Quag", "Tuyên Quang"),
        ("chuyen doi sô", "chuyển đổi số"),
        ("tuyển dụg kỹ sư", "tuyển dụng kỹ sư"),
        ("mobiphone", "MobiFone"),  # ph for f
        ("mobi fone", "MobiFone"),  # a name typed apart
        ("VNTP", "VNPT"),  # two capitals swapped
    ],
)
def test_did_you_mean_when_little_is_found(traps, typed, fixed):
    res = traps.search(SearchQuery(text=typed))
    assert res.did_you_mean == fixed
    assert traps.search(SearchQuery(text=fixed)).total > res.total


def test_no_correction_when_the_query_finds_enough(traps):
    assert traps.search(SearchQuery(text="chuyển đổi số")).did_you_mean is None


def test_a_sentence_typed_as_a_query_finds_the_signing(traps):
    """Function words are optional, and pyvi's collocation "ký_kết_hợp_tác" is two words: the
    first phrasings a journalist types find the agreement, on every backend."""
    assert find(traps, "Thanh Hóa ký với VNPT") == ["thanh-hoa-vnpt-ky-ket"]
    assert find(traps, "tỉnh nào ký thỏa thuận với VNPT")[0] == "thanh-hoa-vnpt-ky-ket"
    assert find(traps, "ký kết hợp tác VNPT") == ["thanh-hoa-vnpt-ky-ket"]
    assert find(traps, "tỉnh ký với VNPT") == ["thanh-hoa-vnpt-ky-ket"]  # not pyvi's "tỉnh_ký"
    assert set(find(traps, "MobiFone hoặc Viettel")) == set(find(traps, "MobiFone OR Viettel"))
    assert set(find(traps, "VNPT AND Viettel")) == {"hoi-nghi-toan-quoc"}
    assert set(find(traps, "VNPT NOT Viettel")) == set(find(traps, "VNPT -Viettel"))
    assert "hoi-nghi-toan-quoc" not in find(traps, "VNPT NOT Viettel")


def test_a_query_nothing_can_match_finds_nothing(traps):
    """A word longer than any the index holds: no article, not every article."""
    assert find(traps, "a" * 60) == [] and find(traps, "VNPT " + "b" * 60) == []
    res = traps.search(SearchQuery(text="OR ( ) 🇻🇳"))  # only operators: nothing to rank by
    assert res.total == len(TRAPS) and SearchQuery(text="OR ( ) 🇻🇳").effective_sort == "newest"


def test_the_company_named_outranks_another_whose_name_contains_it(traps):
    """ "Viettel" finds Viettel Post's story too (the word is in its name), but below every story
    the tagger found the group in, even one that names it once, in its body."""
    found = find(traps, "Viettel")
    assert found[-1] == "viettel-post-buu-cuc" and {"tuyen-cap-quang", "hoi-nghi-toan-quoc"} < set(found)


def test_a_year_finds_the_articles_of_that_year(traps):
    """ "VNPT 2024" finds the 2024 signing whose text never writes 2024, and says it read a year."""
    assert {"thanh-hoa-vnpt-ky-ket", "hoi-nghi-toan-quoc"} <= set(find(traps, "VNPT 2024"))
    assert find(traps, "VNPT 2019") == []
    res = traps.search(SearchQuery(text="VNPT 2024"))
    assert {"facet": "year", "value": "2024", "text": "2024"} in res.detected
    assert "thanh-hoa-vnpt-ky-ket" in find(traps, "VNPT 2021")  # "giai đoạn 2021-2025" in its text
