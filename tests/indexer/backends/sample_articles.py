"""Fifteen realistic Articles shared by the backend contract suite and the UI tests.

Some carry a source title (the name shown to readers) and some only the id, as articles indexed
before titles existed do. Built to exercise what journalists hit: both tone-mark styles ("Thanh Hóa"/"Thanh Hoá"),
pages without diacritics, legacy provinces merged in 2025 (Bắc Kạn → Thái Nguyên, Hà Giang →
Tuyên Quang), partners, agreement periods, a syndicated duplicate pair, an off-topic page, the
"kinh tế, số" punctuation trap, the CĐS abbreviation and the kĩ/kỹ spelling variant.
"""
from __future__ import annotations

from indexer.article import Article


def _a(slug: str, **kw) -> Article:
    kw.setdefault("source_kind", "portal")
    return Article(url=f"http://{kw.get('source', 'example.gov.vn')}/tin-tuc/{slug}.html", **kw)


def sample_articles() -> list[Article]:
    return [
        _a("thanh-hoa-vnpt-ky-ket", source="thanhhoa.gov.vn", source_title="Cổng TTĐT tỉnh Thanh Hóa",
           title="UBND tỉnh Thanh Hóa và VNPT ký kết thỏa thuận hợp tác chuyển đổi số giai đoạn 2021-2025",
           lead="Sáng 15/3, UBND tỉnh Thanh Hóa và Tập đoàn Bưu chính Viễn thông Việt Nam (VNPT) ký kết thỏa thuận hợp tác.",
           body="Theo thỏa thuận, VNPT hỗ trợ tỉnh xây dựng chính quyền số, kinh tế số và xã hội số.\n\n"
                "Hai bên thống nhất triển khai trung tâm điều hành thông minh (IOC) và nền tảng dữ liệu dùng chung.",
           published="2021-03-15T09:00:00+07:00", year=2021, periods=[[2021, 2025]], kind="agreement",
           provinces=["Thanh Hóa"], provinces_current=["Thanh Hóa"], primary_province="Thanh Hóa",
           primary_province_current="Thanh Hóa", partners=["VNPT"], source_province="Thanh Hóa"),
        _a("viettel-thanh-hoa-ioc", source="baothanhhoa.vn", source_title="Báo Thanh Hóa", source_kind="press",
           title="Viettel Thanh Hoá đồng hành cùng chuyển đổi số cấp xã",
           lead="Viettel Thanh Hoá đã triển khai nền tảng họp trực tuyến cho 559 xã, phường, thị trấn.",
           body="Ông Nguyễn Văn A, Giám đốc Viettel Thanh Hoá cho biết đơn vị tiếp tục hỗ trợ người dân "
                "sử dụng dịch vụ công trực tuyến.",
           published="2023-06-20T14:30:00+07:00", year=2023, kind="news",
           provinces=["Thanh Hóa"], provinces_current=["Thanh Hóa"], partners=["Viettel"],
           cluster_id="c-viettel-th", is_canonical=True),
        _a("viettel-thanh-hoa-ioc-copy", source="baomoi.com", source_kind="press",
           title="Viettel Thanh Hoá đồng hành cùng chuyển đổi số cấp xã",
           lead="Viettel Thanh Hoá đã triển khai nền tảng họp trực tuyến cho 559 xã, phường, thị trấn.",
           body="Ông Nguyễn Văn A, Giám đốc Viettel Thanh Hoá cho biết đơn vị tiếp tục hỗ trợ người dân "
                "sử dụng dịch vụ công trực tuyến. (Theo Báo Thanh Hóa)",
           published="2023-06-20T16:00:00+07:00", year=2023, kind="news",
           provinces=["Thanh Hóa"], provinces_current=["Thanh Hóa"], partners=["Viettel"],
           cluster_id="c-viettel-th", is_canonical=False),
        _a("tuyen-quang-kinh-te-so", source="tuyenquang.gov.vn",
           title="Tuyên Quang phát triển kinh tế số và xã hội số",
           lead="Tỉnh Tuyên Quang đặt mục tiêu kinh tế số chiếm 20% GRDP vào năm 2025.",
           body="VNPT Tuyên Quang đã cung cấp chữ ký số cho hơn 5.000 doanh nghiệp.",
           published="2022-09-05T08:00:00+07:00", year=2022, kind="report",
           provinces=["Tuyên Quang"], provinces_current=["Tuyên Quang"], partners=["VNPT"]),
        _a("ha-giang-viettel-5g", source="hagiang.gov.vn",
           title="Hà Giang phủ sóng 5G tại các huyện vùng cao",
           lead="Viettel Hà Giang hoàn thành phủ sóng 5G tại trung tâm các huyện vùng cao.",
           body="Việc phủ sóng giúp người dân tiếp cận dịch vụ số, thúc đẩy chuyển đổi số nông thôn.",
           published="2024-04-10T10:00:00+07:00", year=2024, kind="news",
           provinces=["Hà Giang"], provinces_current=["Tuyên Quang"], partners=["Viettel"]),
        _a("bac-kan-vnpt-thoa-thuan", source="backan.gov.vn", source_title="Cổng TTĐT tỉnh Bắc Kạn",
           title="Bắc Kạn ký thỏa thuận chuyển đổi số với VNPT giai đoạn 2020-2025",
           lead="UBND tỉnh Bắc Kạn và VNPT ký thỏa thuận hợp tác về chuyển đổi số.",
           body="Thỏa thuận tập trung vào y tế số, giáo dục số và chính quyền điện tử.",
           published="2020-11-11T15:00:00+07:00", year=2020, periods=[[2020, 2025]], kind="agreement",
           provinces=["Bắc Kạn"], provinces_current=["Thái Nguyên"], partners=["VNPT"]),
        _a("bac-kan-ki-nang-so", source="backan.gov.vn", source_title="Cổng TTĐT tỉnh Bắc Kạn",
           title="Bồi dưỡng kĩ năng số cho người dân Bắc Kạn",
           lead="Tổ công nghệ số cộng đồng hướng dẫn người dân cài đặt ứng dụng.",
           body="Hơn 2.000 người dân được hướng dẫn kĩ năng số cơ bản trong năm.",
           published="2024-02-02T09:00:00+07:00", year=2024, kind="news",
           provinces=["Bắc Kạn"], provinces_current=["Thái Nguyên"]),
        _a("thai-nguyen-mobifone", source="thainguyen.gov.vn",
           title="Thái Nguyên hợp tác với MobiFone triển khai đô thị thông minh",
           lead="MobiFone cam kết đồng hành cùng Thái Nguyên xây dựng đô thị thông minh.",
           body="Báo cáo đánh giá kết quả năm 2024 cho thấy nhiều chỉ số được cải thiện.",
           published="2024-12-01T08:00:00+07:00", year=2024, kind="report",
           provinces=["Thái Nguyên"], provinces_current=["Thái Nguyên"], partners=["MobiFone"]),
        _a("ha-noi-fpt-nghien-cuu", source="vnexpress.net", source_kind="press",
           title="FPT công bố nghiên cứu về trí tuệ nhân tạo trong dịch vụ công",
           lead="Nghiên cứu của FPT khảo sát việc dùng trí tuệ nhân tạo tại Hà Nội.",
           body="Nghiên cứu chỉ ra chuyển đổi số giúp rút ngắn thời gian xử lý hồ sơ.",
           published="2025-01-20T11:00:00+07:00", year=2025, kind="research",
           provinces=["Hà Nội"], provinces_current=["Hà Nội"], partners=["FPT"]),
        _a("thanh-hoa-bong-da", source="baothanhhoa.vn", source_kind="press",
           title="Giải bóng đá thiếu niên tỉnh Thanh Hóa khởi tranh",
           lead="Giải đấu quy tụ 16 đội bóng đến từ các huyện.",
           body="Lễ khai mạc diễn ra tại sân vận động tỉnh Thanh Hóa.",
           published="2023-07-01T16:00:00+07:00", year=2023, kind="news", on_topic=False,
           provinces=["Thanh Hóa"], provinces_current=["Thanh Hóa"]),
        _a("quang-nam-kinh-te", source="quangnam.gov.vn",
           title="Quảng Nam: tình hình kinh tế quý III",
           lead="Về kinh tế, số doanh nghiệp thành lập mới tăng 12% so với cùng kỳ.",
           body="Tỉnh tiếp tục cải cách thủ tục hành chính, thu hút đầu tư.",
           published="2022-10-03T09:00:00+07:00", year=2022, kind="report",
           provinces=["Quảng Nam"], provinces_current=["Đà Nẵng"]),
        _a("hue-ioc-viettel", source="thuathienhue.gov.vn",
           title="Thừa Thiên Huế vận hành trung tâm IOC cùng Viettel",
           lead="Trung tâm giám sát điều hành đô thị thông minh tỉnh Thừa Thiên Huế do Viettel hỗ trợ.",
           body="Mô hình Hue-S được nhiều địa phương học tập.",
           published="2023-03-08T10:00:00+07:00", year=2023, kind="news",
           provinces=["Thừa Thiên Huế"], provinces_current=["Huế"], partners=["Viettel"]),
        _a("tuyen-quang-cds-vnpt", source="tuyenquang.gov.vn",
           title="Tuyên Quang: CĐS trong cải cách hành chính",
           lead="Sở TT&TT tỉnh Tuyên Quang phối hợp VNPT đẩy mạnh CĐS.",
           body="Tỷ lệ hồ sơ trực tuyến đạt 80%.",
           published="2025-05-05T09:00:00+07:00", year=2025, kind="news",
           provinces=["Tuyên Quang"], provinces_current=["Tuyên Quang"], partners=["VNPT"]),
        _a("dak-lak-co-dau", source="daklak.gov.vn",
           title="Đắk Lắk đẩy mạnh thanh toán không tiền mặt",
           lead="Tỉnh Đắk Lắk phối hợp các ngân hàng mở rộng thanh toán số.",
           body="Nhiều chợ đã áp dụng mã QR.",
           published="2024-08-08T09:00:00+07:00", year=2024, kind="news",
           provinces=["Đắk Lắk"], provinces_current=["Đắk Lắk"]),
        _a("dak-lak-khong-dau", source="daklaknews.example", source_kind="press",
           title="Dak Lak day manh thanh toan khong tien mat",
           lead="Tinh Dak Lak phoi hop cac ngan hang mo rong thanh toan so.",
           body="Nhieu cho da ap dung ma QR.",
           published="2024-08-09T09:00:00+07:00", year=2024, kind="news",
           provinces=["Đắk Lắk"], provinces_current=["Đắk Lắk"]),
    ]


def by_slug(slug: str) -> Article:
    for a in sample_articles():
        if a.url.endswith(f"/{slug}.html"):
            return a
    raise KeyError(slug)
