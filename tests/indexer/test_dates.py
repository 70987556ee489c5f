"""Vietnamese publication dates: every format issue #4 lists, year inference, which date on a
page is the publication date, and the year of a page that shows no date at all."""

from datetime import date
from pathlib import Path

import pytest

from config.settings import Settings
from config.sources import Source
from indexer.backends import load_backend
from indexer.dates import date_from_url, find_dates, infer_year, parse_date, parse_iso, year_month_from_url
from indexer.extraction import extract
from indexer.pipeline import build_article
from indexer.query import SearchQuery

FORMATS = [
    ("Ngày Đăng: 22/2/2023 8:4 Lượt xem: 163", "2023-02-22T08:04:00+07:00"),
    ("Thứ Hai, 05/03/2024 - 10:30", "2024-03-05T10:30:00+07:00"),
    ("ngày 5 tháng 3 năm 2024", "2024-03-05"),
    ("Thứ Ba, ngày 5 tháng 3 năm 2024 | 10:30", "2024-03-05T10:30:00+07:00"),
    ("12/10/2021 | 09:15", "2021-10-12T09:15:00+07:00"),
    ("Cập nhật lúc 14:20 ngày 03/06/2022", "2022-06-03T14:20:00+07:00"),
    ("10h30 ngày 5/3/2024", "2024-03-05T10:30:00+07:00"),
    ("Thứ ba, 12/10/2021, 08:15 (GMT+7)", "2021-10-12T08:15:00+07:00"),
    ("05.03.2024 14:20", "2024-03-05T14:20:00+07:00"),
    ("22/02/2023 08:04:00 PM", "2023-02-22T20:04:00+07:00"),
    ("Đăng ngày 1-9-2020", "2020-09-01"),
    ("Chủ Nhật, 14/01/2024", "2024-01-14"),
    ("2021-11-11T08:00:00Z", "2021-11-11T15:00:00+07:00"),  # UTC → GMT+7
    ("2021-11-11T15:30:00+07:00", "2021-11-11T15:30:00+07:00"),
]


@pytest.mark.parametrize("text,expected", FORMATS)
def test_vietnamese_date_formats(text, expected):
    found = parse_date(text)
    assert found is not None, text
    assert found.iso() == expected


@pytest.mark.parametrize(
    "text",
    [
        "Chiều 11-11, UBND tỉnh Thanh Hóa",
        "chiều 11/11 UBND tỉnh",
        "Sáng nay 12-10, UBND tỉnh",
        "Tối 11-11",
        "Ngày 11/11, tại Hà Nội",
    ],
)
def test_day_month_without_year_takes_the_year_from_the_url(text):
    found = parse_date(text, url="https://thanhhoa.gov.vn/index.php/tin-tuc/2021/11/ky-ket.html")
    assert found is not None and not found.has_year
    assert found.value.year == 2021


def test_day_month_year_from_a_later_reference_date():
    # sitemap lastmod 2022-01-05: "Chiều 11-11" was November 2021, not 2022
    assert parse_date("Chiều 11-11", reference=date(2022, 1, 5)).iso() == "2021-11-11"
    assert parse_date("Chiều 11-11", reference=date(2021, 11, 11)).iso() == "2021-11-11"
    assert infer_year(11, 11) is None
    assert parse_date("Chiều 11-11") is None  # no year anywhere: no guess


def test_numbers_that_are_not_dates():
    assert find_dates("giai đoạn 2021-2025, nhiệm kỳ 2020 - 2025") == []
    assert find_dates("Nghị quyết số 48-NQ/TU") == []
    assert parse_date("32/13/2023") is None
    assert parse_date("năm 2025") is None


def test_machine_dates():
    assert parse_iso("Thu, 11 Nov 2021 15:00:00 +0700").iso() == "2021-11-11T15:00:00+07:00"
    assert parse_iso("2021-11-11").iso() == "2021-11-11"
    assert parse_iso("not a date") is None
    assert date_from_url("https://x.vn/2021/11/11/abc.html").iso() == "2021-11-11"


def page(head="", header_date="", lead="", related=""):
    body = " ".join(["Đoạn văn của bài báo về chuyển đổi số ở tỉnh Tuyên Quang."] * 8)
    return (
        f"<html><head><title>Tiêu đề bài viết - Báo X</title>{head}</head><body>"
        f"<h1>Tiêu đề bài viết</h1>{header_date}<div class='content'><p>{lead}</p>"
        f"<p>{body} Nghị quyết số 48-NQ/TU ngày 15/11/2021.</p><p>{body}</p></div>"
        f"{related}</body></html>"
    )


def test_page_visible_date_under_the_headline():
    ex = extract(page(header_date="<div class='date'>Thứ Hai, 05/03/2024 - 10:30</div>"), "https://x.vn/a")
    assert ex.date.iso() == "2024-03-05T10:30:00+07:00" and ex.date_how == "visible"


def test_page_meta_date_wins_and_body_dates_never_count():
    ex = extract(page(head='<meta property="article:published_time" content="2024-03-05T03:30:00Z">'), "https://x.vn/a")
    assert ex.date.iso() == "2024-03-05T10:30:00+07:00" and ex.date_how == "meta"
    ex = extract(page(), "https://x.vn/a")
    assert ex.date is None and "no_date" in ex.flags  # "ngày 15/11/2021" is in the body


def test_page_lead_date_with_listing_hint():
    html = page(lead="Chiều 11-11, UBND tỉnh Thanh Hóa và VNPT ký kết thỏa thuận.")
    ex = extract(html, "https://x.vn/a", hints={"date": "2021-11-11T15:30:00+07:00"})
    assert ex.date.iso() == "2021-11-11T15:30:00+07:00"
    ex = extract(html, "https://x.vn/a", hints={"date": "2022-01-03"})  # sitemap lastmod
    assert ex.date.iso() == "2021-11-11" and "year_inferred" in ex.flags


def test_related_list_dates_are_not_the_page_date():
    related = "<section class='x'><h3>Tin khác</h3><ul><li><a href='/b'>Bài khác</a> 01/01/2020</li></ul></section>"
    ex = extract(page(related=related), "https://x.vn/a")
    assert ex.date is None


# -- no date anywhere, but a /yyyy/mm/ folder in the URL (Joomla portals) -----------------------
UNDATED = Path(__file__).parent / "fixtures" / "undated_joomla_portal.html"
UNDATED_URL = "https://thanhhoa.gov.vn/index.php/chuyen-doi-so/2023/04/thanh-hoa-nen-tang-so-hop-tac-xa.html"
THANH_HOA = Source(
    name="thanhhoa-portal",
    kind="portal",
    allowed_domains=["thanhhoa.gov.vn"],
    province="Thanh Hóa",
    title="Cổng TTĐT tỉnh Thanh Hóa",
)


def undated(url=UNDATED_URL, hints=None, head=""):
    html = UNDATED.read_bytes().replace(b"</head>", head.encode() + b"</head>")
    return build_article(
        html,
        url,
        headers={"Content-Type": "text/html; charset=utf-8"},
        source=THANH_HOA,
        hints={"fetched_at": "2025-06-01T08:00:00Z", **(hints or {})},
    )


def test_undated_page_takes_only_its_year_from_the_url_folder():
    a = undated()
    assert a.title == "Thanh Hóa triển khai nền tảng số cho hợp tác xã nông nghiệp"
    assert a.published is None  # no day: never a made-up "2023-04-01"
    assert a.year == 2023 and a.years_covered() == [2023]
    assert {"no_date", "year_from_url"} <= set(a.quality_flags)


def test_a_real_date_beats_the_url_folder():
    a = undated(hints={"date": "2023-04-18T09:30:00+07:00"})  # the RSS pubDate
    assert a.published == "2023-04-18T09:30:00+07:00" and a.year == 2023
    assert "year_from_url" not in a.quality_flags and "no_date" not in a.quality_flags


def test_year_from_a_same_site_canonical_url():
    canonical = f'<link rel="canonical" href="{UNDATED_URL}">'
    a = undated(url="https://thanhhoa.gov.vn/index.php?option=com_content&view=article&id=77", head=canonical)
    assert a.url == UNDATED_URL and a.year == 2023 and "year_from_url" in a.quality_flags
    other_site = canonical.replace("thanhhoa.gov.vn", "example.com")
    a = undated(url="https://thanhhoa.gov.vn/index.php?option=com_content&view=article&id=77", head=other_site)
    assert a.year is None and "year_from_url" not in a.quality_flags


@pytest.mark.parametrize(
    "url",
    [
        "https://thanhhoa.gov.vn/index.php/chuyen-doi-so/thanh-hoa-nen-tang-so-hop-tac-xa.html",  # no folder
        "https://thanhhoa.gov.vn/index.php/chuyen-doi-so/2031/04/thanh-hoa-nen-tang-so.html",  # after the crawl
        "https://thanhhoa.gov.vn/index.php/chuyen-doi-so/2023/13/thanh-hoa-nen-tang-so.html",  # no month 13
        "https://thanhhoa.gov.vn/index.php/chuyen-doi-so?folder=/2023/04/",  # query, not path
    ],
)
def test_no_year_without_a_plausible_url_folder(url):
    a = undated(url=url)
    assert a.year is None and a.published is None
    assert "no_date" in a.quality_flags and "year_from_url" not in a.quality_flags


def test_year_month_from_url():
    assert year_month_from_url(UNDATED_URL) == (2023, 4)
    assert year_month_from_url("https://x.vn/tin/2021/11/11/abc.html") == (2021, 11)
    assert year_month_from_url("https://x.vn/2023/4/abc") == (2023, 4)
    assert year_month_from_url("https://x.vn/ke-hoach-2021-2025/abc") is None
    assert date_from_url(UNDATED_URL) is None  # a month is not a date


def test_undated_article_is_in_the_year_facet(tmp_path):
    """What the journalist sees: the undated page counts under "Năm 2023" and is found by it,
    while a date-range filter (which needs a day) does not pretend to place it."""
    backend = load_backend(Settings(DATA_DIR=str(tmp_path)))
    try:
        backend.index([undated()])
        backend.commit()
        res = backend.search(SearchQuery(text="hợp tác xã"))
        assert res.total == 1 and dict(res.facets["year"]) == {"2023": 1}
        assert backend.search(SearchQuery(filters={"year": ["2023"]})).total == 1
        assert backend.search(SearchQuery(date_from="2023-01-01", date_to="2023-12-31")).total == 0
    finally:
        backend.close()
