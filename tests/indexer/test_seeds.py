"""The five seed articles, wrapped in the chrome of their real sites (tests/indexer/fixtures/).

What a journalist sees for each: the right headline, date, text without the page furniture,
and the facets issue #4 names (seed 002 = Thanh Hóa + VNPT + 2021–2025; seed 004 = Bắc Kạn,
now Thái Nguyên, + VNPT + 2020–2025).
"""

from pathlib import Path

import pytest

from config.sources import Source
from indexer.pipeline import build_article

FIXTURES = Path(__file__).parent / "fixtures"


def build(name, url, headers=None, source=None, hints=None):
    return build_article((FIXTURES / name).read_bytes(), url, headers=headers or {}, source=source, hints=hints)


@pytest.fixture(scope="module")
def seed000():
    return build(
        "seed_000_vnpt_newsroom.html", "https://vnpt.com.vn/newsroom/tin-tuc/vnpt-tiep-tuc-dong-hanh-cung-tuyen-quang"
    )


@pytest.fixture(scope="module")
def seed001():
    src = Source(name="tuyenquang-portal", kind="portal", allowed_domains=["tuyenquang.gov.vn"], province="Tuyên Quang")
    return build(
        "seed_001_tuyenquang_portal.html",
        "https://tuyenquang.gov.vn/Pages/nghien-cuu-trao-doi.aspx?ItemID=123",
        source=src,
    )


@pytest.fixture(scope="module")
def seed002():
    return build(
        "seed_002_thanhhoa_portal_cp1258.html",
        "https://thanhhoa.gov.vn/index.php/chuyen-doi-so/2021/11/ky-ket-thoa-thuan.html",
        headers={"Content-Type": "text/html; charset=windows-1258"},
    )


@pytest.fixture(scope="module")
def seed003():
    return build(
        "seed_003_baotuyenquang_nfd.html",
        "https://baotuyenquang.com.vn/chuyen-doi-so/hop-tac-140312.html",
        headers={"Content-Type": "text/html; charset=utf-8"},
        hints={"date": "2021-10-12T09:15:00+07:00"},
    )


@pytest.fixture(scope="module")
def seed004():
    return build(
        "seed_004_diendandoanhnghiep.html",
        "https://diendandoanhnghiep.vn/ubnd-tinh-bac-kan-va-tap-doan-vnpt-185001.html",
    )


def test_seed000_vnpt_newsroom(seed000):
    a = seed000
    assert a.title == "VNPT tiếp tục đồng hành cùng Tuyên Quang quyết liệt chuyển đổi số"
    assert a.published == "2023-01-09T15:40:00+07:00"
    assert a.author == "Ban Truyền thông VNPT"
    assert a.lead.startswith("“VNPT cam kết tiếp tục đồng hành")
    assert "\n\nCĐS không còn là khái niệm xa vời\n\n" in a.body  # subheadings kept
    assert "Tin liên quan" not in a.body and "Chia sẻ" not in a.body
    assert a.image == "https://vnpt.com.vn/uploads/2023/01/tuyen-quang-ky-ket.jpg"
    assert (a.provinces, a.partners) == (["Tuyên Quang"], ["VNPT"])
    assert a.periods == [[2017, 2022], [2023, 2028]]
    assert a.kind == "agreement" and a.on_topic


def test_seed001_portal_counters_and_byline_stay_out(seed001):
    a = seed001
    assert a.title == "Tuyên Quang tích cực trong công tác chuyển đổi số"
    assert a.published == "2023-02-22T08:04:00+07:00"  # "Ngày Đăng: 22/2/2023 8:4"
    assert a.author == "Thạc sĩ Trần Thị Mai Thu"
    for furniture in (
        "Tổng số lượt truy cập",
        "Đang Online",
        "Lượt xem",
        "Tin mới nhất",
        "Liên kết web",
        "Nghiên cứu - Trao đổi",
        "Giảng viên khoa",
    ):
        assert furniture not in a.text, furniture
    assert a.lead.startswith("Chuyển đổi số là cụm từ được nhắc đến")  # no sapo: the first paragraph
    assert a.body.startswith("Từ nhận thức…\n\n")
    assert a.body.endswith("khu vực miền Bắc về chuyển đổi số./.")
    assert "\n\nĐến hành động!\n\n" in a.body
    assert a.provinces == ["Tuyên Quang"] and a.partners == []
    assert a.periods == []  # "Kế hoạch … giai đoạn 2022 - 2025" is a plan
    assert a.kind == "research"
    assert a.quality_flags == []


def test_seed002_thanh_hoa_vnpt_2021_2025(seed002):
    a = seed002
    assert a.title.startswith("Ký kết thỏa thuận hợp tác giữa UBND tỉnh Thanh Hóa và Tập đoàn VNPT")
    assert a.provinces == ["Thanh Hóa"] and a.primary_province_current == "Thanh Hóa"
    assert a.partners == ["VNPT"]
    assert a.partner_mentions == {"VNPT": ["title", "lead", "body"]}
    assert [2021, 2025] in a.periods and a.periods == [[2015, 2020], [2021, 2025]]
    assert a.kind == "agreement"
    # windows-1258 bytes decoded, "Thanh Hoá" stored in one spelling, no furniture or captions
    assert "Thanh Hoá" not in a.body and a.body.count("Thanh Hóa") > 10
    assert "Lượt xem" not in a.body and "Tin cùng chuyên mục" not in a.body
    assert "(Ảnh chụp màn hình)" not in a.body
    # "Chiều 11-11" with the year from the URL
    assert a.published == "2021-11-11" and a.year == 2021
    assert "year_inferred" in a.quality_flags


def test_seed003_nfd_page_and_hinted_date(seed003):
    a = seed003
    assert a.title == ("Hợp tác về chuyển đổi số giữa UBND tỉnh và Tập đoàn Công nghiệp - Viễn thông Quân đội")
    assert a.lead.startswith("Sáng nay 12-10, UBND tỉnh Tuyên Quang")
    assert "chuyển đổi số" in a.body  # NFC: substring search works
    assert a.published == "2021-10-12T09:15:00+07:00"  # day from the lead, time from the hint
    assert a.url == (
        "https://baotuyenquang.com.vn/chuyen-doi-so/hop-tac-ve-chuyen-doi-so-giua-ubnd-tinh-va-tap-doan-140312.html"
    )
    assert a.partners == ["Viettel"] and a.provinces == ["Tuyên Quang"]
    assert a.periods == []  # "nhiệm kỳ 2020-2025" is a term
    assert "Báo tuyenquangonline.vn" not in a.body and "Tin cùng chuyên mục" not in a.body
    assert not any(
        line.startswith("Đồng chí Chẩu Văn Lâm, Bí thư Tỉnh ủy tặng") for line in a.body.split("\n\n")
    )  # a photo caption


def test_seed004_bac_kan_now_thai_nguyen_vnpt_2020_2025(seed004):
    a = seed004
    assert a.provinces == ["Bắc Kạn"] and a.provinces_current == ["Thái Nguyên"]
    assert a.primary_province == "Bắc Kạn" and a.primary_province_current == "Thái Nguyên"
    assert a.partners == ["VNPT"] and a.periods == [[2020, 2025]]  # "2020 – 25"
    assert a.published == "2020-06-05T10:17:00+07:00"
    assert a.author == "Hà Anh"
    for junk in (
        "SELECT id",
        "cms_post",
        "Bạn còn",
        "Xếp theo",
        "Mời các bạn tham gia",
        "Đánh giá của bạn",
        "Bình luận",
        "1 2 3 4 5 6 7",
    ):
        assert junk not in a.body, junk
    assert a.body.endswith("phát triển Chính quyền điện tử tỉnh Bắc Kạn.")
    assert a.kind == "agreement" and a.on_topic


def test_syndicated_seed_text_clusters_with_its_copy(seed000):
    from indexer.duplicates import cluster_articles

    copy = build("seed_000_vnpt_newsroom.html", "https://diendandoanhnghiep.vn/vnpt-dong-hanh-185091.html")
    copy.title = "VNPT đồng hành cùng Tuyên Quang quyết liệt chuyển đổi số giai đoạn 2023 - 2028"
    copy.published = "2023-01-10T08:30:00+07:00"
    other = build("seed_004_diendandoanhnghiep.html", "https://diendandoanhnghiep.vn/x-1.html")
    items = cluster_articles([copy, other, seed000])
    assert copy.cluster_id == seed000.cluster_id != other.cluster_id
    assert seed000.is_canonical and not copy.is_canonical and other.is_canonical
    assert len(items) == 3
