"""Enrichers: provinces (63 → 34), partners by alias, periods, kind, topic — and their registry."""

import pytest

from config.settings import Settings
from config.sources import Source
from indexer.article import Article
from indexer.enrichment import BUILTINS, EnrichContext, Enricher, load_enrichers, run_enrichers
from indexer.enrichment.admin_units import province_tables, to_current
from indexer.enrichment.kind import classify
from indexer.enrichment.partners import PartnerDictionary, load_partners
from indexer.enrichment.periods import find_periods
from indexer.enrichment.provinces import ProvinceTagger, find_mentions
from indexer.enrichment.topic import TopicScorer, topic_score


def provinces_in(text, source_province=""):
    return sorted({p for _, p, _ in find_mentions(text, source_province)})


def tag(title="", lead="", body="", province=""):
    a = Article(url="https://x.vn/a", title=title, lead=lead, body=body)  # body: after the lead
    src = Source(name="s", kind="portal", allowed_domains=["x.vn"], province=province) if province else None
    return run_enrichers(a, load_enrichers(Settings()), EnrichContext(source=src))


# -- provinces ------------------------------------------------------------------------------
def test_63_legacy_and_34_current_provinces_with_the_2025_mapping():
    mapping, legacy, current = province_tables()
    assert len(legacy) == 63 and len(current) == 34 and set(mapping.values()) == set(current)
    assert to_current("Bắc Kạn") == "Thái Nguyên"
    assert to_current("Hà Giang") == "Tuyên Quang"
    assert to_current("Thừa Thiên Huế") == "Huế"
    assert to_current("Hòa Bình") == "Phú Thọ"
    assert to_current("Quảng Nam") == "Đà Nẵng"
    assert to_current("Thanh Hóa") == "Thanh Hóa"


@pytest.mark.parametrize(
    "text,expected",
    [
        ("UBND tỉnh Thanh Hoá và VNPT", ["Thanh Hóa"]),
        ("UBND tỉnh Thanh Hóa và VNPT", ["Thanh Hóa"]),
        ("THANH HOÁ: ký kết hợp tác", ["Thanh Hóa"]),
        ("Vì hòa bình và hữu nghị, người dân Thái Bình Dương", []),
        ("Hòa Bình là khát vọng của nhân loại", []),
        ("xã Hòa Bình, phường Thái Bình được công nhận nông thôn mới", []),
        ("ông Nguyễn Thái Bình phát biểu", []),
        ("UBND tỉnh Hòa Bình và tỉnh Thái Bình", ["Hòa Bình", "Thái Bình"]),
        ("tư tưởng Hồ Chí Minh và Chủ tịch Hồ Chí Minh", []),
        ("tại TP. Hồ Chí Minh, TP.HCM và Thành phố Hồ Chí Minh", ["Hồ Chí Minh"]),
        ("Sở TT&TT tỉnh Thừa Thiên Huế, cố đô Huế", ["Thừa Thiên Huế"]),
        ("tỉnh Bà Rịa – Vũng Tàu", ["Bà Rịa - Vũng Tàu"]),
        ("đường Hà Nội, quận 1", []),
        ("Đắk Lắk, Đăk Nông và Kon Tum", ["Kon Tum", "Đắk Lắk", "Đắk Nông"]),
        ("Bắc Kạn, Hà Giang, Quảng Nam", ["Bắc Kạn", "Hà Giang", "Quảng Nam"]),
        # a local branch names its province; a list of provinces is context for the ambiguous ones
        ("VNPT Hòa Bình, Viettel Thái Bình và MobiFone Hà Giang", ["Hòa Bình", "Thái Bình", "Hà Giang"]),
        ("Sở Tư pháp Thái Bình và Sở TT&TT Hòa Bình", ["Hòa Bình", "Thái Bình"]),
        ("gồm ba tỉnh Vĩnh Phúc, Phú Thọ và Hòa Bình", ["Hòa Bình", "Phú Thọ", "Vĩnh Phúc"]),
        ("Hòa Bình là điểm sáng về cải cách hành chính", []),
        # ...and once named with context, every capitalised mention counts — but not the ideas
        ("UBND tỉnh Hòa Bình. Hòa Bình là điểm sáng", ["Hòa Bình"]),
        ("UBND tỉnh Thái Bình đón nhà đầu tư châu Á - Thái Bình Dương", ["Thái Bình"]),
        ("thế giới hòa bình, cuộc sống hòa bình, Vì một thế giới Hòa Bình, Giải Nobel Hòa Bình", []),
        # Huế: the city, unless it is a person
        ("Người dân Huế dùng Hue-S", ["Thừa Thiên Huế"]),
        ("chị Huế và bà Nguyễn Thị Huế", []),
        ("Thừa Thiên‑Huế (non-breaking hyphen)", ["Thừa Thiên Huế"]),
        # every way Ho Chi Minh City is written; bare "Hồ Chí Minh" is the person
        ("Tp.HCM, Tp. HCM, Tp HCM, tp. HCM, TP.HCM, TPHCM, Sài Gòn", ["Hồ Chí Minh"]),
        ("đường Hồ Chí Minh, Bác Hồ Chí Minh", []),
        ("Hà Nội, Hồ Chí Minh và Đà Nẵng", ["Hà Nội", "Hồ Chí Minh", "Đà Nẵng"]),
        # names inside organisations' names
        ("Báo Sài Gòn Giải Phóng; Ngân hàng TMCP Sài Gòn – Hà Nội (SHB)", []),
        # a company's head office, named in passing, is not what the article is about
        ("Tập đoàn VNPT (Hà Nội), Tổng công ty Viễn thông MobiFone (Hà Nội)", []),
        ("công ty có trụ sở tại Hà Nội, trụ sở chính đặt tại TP. Hồ Chí Minh", []),
        ("Hội nghị tại trụ sở UBND tỉnh Thanh Hóa", ["Thanh Hóa"]),
    ],
)
def test_province_mentions(text, expected):
    assert provinces_in(text) == sorted(expected)


def test_tru_so_and_co_so_are_not_administrative_context():
    """ "Sở" is context only as a department: "trụ sở", "cơ sở" once made Hà Nội the primary."""
    assert [s for _, _, s in find_mentions("hai cơ sở đào tạo tại Hà Nội")] == [False]
    assert [s for _, _, s in find_mentions("Sở Thông tin và Truyền thông Hà Nội")] == [True]
    a = tag(
        "Trao học bổng cho sinh viên vùng cao",
        "",
        "Tại cơ sở đào tạo Hà Nội của trường, đại diện UBND tỉnh Lào Cai trao 50 suất học bổng.",
    )
    assert a.primary_province == "Lào Cai"


def test_a_branch_headline_beats_the_head_office_in_the_body():
    a = tag(
        "VNPT Hòa Bình ký kết thỏa thuận chuyển đổi số",
        "",
        "Đại diện Tập đoàn VNPT (Hà Nội) cho biết sẽ hỗ trợ chuyên gia.",
    )
    assert (a.primary_province, a.provinces, a.provinces_current) == ("Hòa Bình", ["Hòa Bình"], ["Phú Thọ"])
    a = tag(
        "Hòa Bình là điểm sáng về cải cách hành chính", "Chỉ số cải cách hành chính của tỉnh Hòa Bình tăng 12 bậc.", ""
    )
    assert a.primary_province == "Hòa Bình"
    a = tag("Phủ sóng 4G vùng cao", "", "Viettel Hòa Bình vừa lắp 25 trạm phát sóng mới.")
    assert a.provinces == ["Hòa Bình"] and a.partners == ["Viettel"]


def test_ambiguous_name_counts_on_its_own_portal():
    assert provinces_in("Hòa Bình đẩy mạnh chuyển đổi số", "Hòa Bình") == ["Hòa Bình"]


def test_primary_province_rules():
    a = tag("Bắc Kạn và Viettel ký kết", "UBND tỉnh Bắc Kạn và Viettel đã ký kết.", "Hà Nội, Bắc Kạn")
    assert a.primary_province == "Bắc Kạn" and a.provinces_current[0] == "Thái Nguyên"
    # a Tuyên Quang paper reporting on Hà Giang: the headline decides
    a = tag("Sạt lở trên Quốc lộ 2 đoạn qua Hà Giang", "", "Đoạn qua tỉnh Tuyên Quang", "Tuyên Quang")
    assert a.primary_province == "Hà Giang" and set(a.provinces) == {"Hà Giang", "Tuyên Quang"}
    # both in the headline: the source's own province
    a = tag("Kinh nghiệm từ Yên Bái và bài học cho Tuyên Quang", "", "", "Tuyên Quang")
    assert a.primary_province == "Tuyên Quang"
    # a portal article saying only "UBND tỉnh" is about its province
    a = tag("Lễ hội đầu xuân", "", "UBND tỉnh tổ chức lễ hội.", "Tuyên Quang")
    assert a.provinces == ["Tuyên Quang"] and a.primary_province == "Tuyên Quang"
    a = tag("Tin trong nước", "", "Không nhắc tỉnh nào.")
    assert a.provinces == [] and a.primary_province == "" and a.primary_province_current == ""


# -- partners -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,expected",
    [
        ("Tập đoàn Bưu chính Viễn thông Việt Nam (VNPT)", ["VNPT"]),
        ("mạng di động Vinaphone 4G và VNPT-PAY", ["VNPT"]),
        ("VNPT Thanh Hóa", ["VNPT"]),
        ("Tập đoàn Công nghiệp - Viễn thông Quân đội", ["Viettel"]),
        ("Tập đoàn Công nghiệp – Viễn thông Quân đội", ["Viettel"]),
        ("Tập đoàn Công nghiệp—Viễn thông Quân đội", ["Viettel"]),
        ("Tập đoàn Công nghiệp Viễn thông Quân đội", ["Viettel"]),
        ("Tổng công ty Cổ phần Bưu chính Viettel (Viettel Post)", ["Viettel Post"]),
        ("Viettel Post và Viettel", ["Viettel", "Viettel Post"]),
        ("Tổng công ty Viễn thông Mobifone", ["MobiFone"]),
        ("Bưu điện Việt Nam (VNPost) và sàn Postmart", ["Vietnam Post"]),
        ("ví MoMo, VNPAY-QR", ["MoMo", "VNPAY"]),
        ("Amazon Web Services (AWS), Google Cloud, Microsoft", ["Amazon Web Services", "Google", "Microsoft"]),
        ("Meta Platforms và metadata, intelligence", ["Meta"]),
        ("Tập đoàn Công nghệ CMC, Bkav, MISA, VNG, FPT", ["Bkav", "CMC", "FPT", "MISA", "VNG"]),
        (
            "Huawei, Samsung, Ericsson, Nokia, Qualcomm, Cisco, Intel, NVIDIA",
            ["Cisco", "Ericsson", "Huawei", "Intel", "NVIDIA", "Nokia", "Qualcomm", "Samsung"],
        ),
        ("hợp tác xã nông nghiệp", []),
        # legal names with whatever dash the editor typed: non-breaking, figure, minus, doubled
        ("Tập đoàn Công nghiệp ‑ Viễn thông Quân đội", ["Viettel"]),
        ("Tập đoàn Công nghiệp‒Viễn thông Quân đội", ["Viettel"]),
        ("Tập đoàn Công nghiệp -- Viễn thông Quân đội", ["Viettel"]),
        ("Tập đoàn Bưu chính − Viễn thông Việt Nam", ["VNPT"]),
        ("VNPT‑VinaPhone", ["VNPT"]),
        # subsidiaries and local units count for their group; a brand inside a word does not
        ("VNPT Thanh Hóa, Viettel Hà Giang", ["VNPT", "Viettel"]),
        ("FPTShop và FPT Shop", ["FPT"]),
        ("Bưu điện tỉnh Hà Giang, Bưu điện huyện Lâm Bình", ["Vietnam Post"]),
        ("CMCN 4.0, metaverse, Artificial Intelligence, VNGroup", []),
    ],
)
def test_partner_aliases(text, expected):
    assert sorted({n for _, n in load_partners().find(text)}) == sorted(expected)


def test_config_names_are_the_canonical_partner_names():
    assert load_partners().names == [
        "VNPT",
        "Viettel",
        "MobiFone",
        "FPT",
        "CMC",
        "VNG",
        "MISA",
        "Bkav",
        "Vietnam Post",
        "Viettel Post",
        "VNPAY",
        "MoMo",
        "Microsoft",
        "Google",
        "Amazon Web Services",
        "Huawei",
        "Samsung",
        "Ericsson",
        "Nokia",
        "Qualcomm",
        "Cisco",
        "Intel",
        "Meta",
        "NVIDIA",
    ]


def test_partner_mentions_record_where():
    a = tag("Bắc Kạn hợp tác với Bkav", "Sáng 5-3, UBND tỉnh Bắc Kạn và Bkav ký kết.", "Viettel cũng tham dự.")
    assert a.partners == ["Bkav", "Viettel"]
    assert a.partner_mentions == {"Bkav": ["title", "lead"], "Viettel": ["body"]}


def test_custom_partner_dictionary():
    d = PartnerDictionary({"Acme": {"aliases": ["Công ty Acme"], "tokens": ["ACM"]}})
    assert [n for _, n in d.find("Công ty ACME và ACM, không phải acm")] == ["Acme", "Acme"]


# -- periods --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,expected",
    [
        ("ký kết thỏa thuận hợp tác giai đoạn 2021-2025", [[2021, 2025]]),
        ("thỏa thuận hợp tác chiến lược về VT & CNTT giai đoạn 2020 – 25.", [[2020, 2025]]),
        ("Thỏa thuận hợp tác CĐS giai đoạn 2023 – 2028", [[2023, 2028]]),
        ("hợp tác trong giai đoạn từ năm 2019 đến năm 2023", [[2019, 2023]]),
        ("ký kết thỏa thuận về chính quyền số, xã hội số, kinh tế số giai đoạn 2021-2025", [[2021, 2025]]),
        ("3 khâu đột phá của tỉnh trong nhiệm kỳ 2020-2025", []),
        ("Kế hoạch chuyển đổi IPv6 trong các cơ quan nhà nước tỉnh, giai đoạn 2022 - 2025", []),
        ("ký kết thỏa thuận nhằm thực hiện Kế hoạch chuyển đổi số giai đoạn 2021-2025", []),
        ("Đặc biệt, trong giai đoạn 2016-2019, với vai trò là đối tác chiến lược", []),
        ("hợp tác giai đoạn 2025-2021 và 2020-2050", []),
    ],
)
def test_agreement_periods(text, expected):
    assert find_periods(text) == expected


def test_periods_need_a_partner_unless_in_the_headline():
    a = tag("Ba tỉnh liên kết du lịch", "", "Ba tỉnh ký kết chương trình hợp tác giai đoạn 2023-2025.")
    assert a.periods == []
    a = tag("Đánh giá 5 năm thực hiện Đề án chuyển đổi số giai đoạn 2021-2025")
    assert a.periods == [[2021, 2025]]


# -- kind -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "title,body,partners,expected",
    [
        ("Hà Giang ký kết hợp tác chuyển đổi số với VNPT", "UBND tỉnh Hà Giang và VNPT ký kết.", ["VNPT"], "agreement"),
        (
            "Thanh Hoá hợp tác với FPT nghiên cứu đô thị thông minh",
            "UBND tỉnh làm việc với FPT; giao Sở xây dựng đề cương thỏa thuận hợp tác.",
            ["FPT"],
            "news",
        ),
        (
            "VNPT hợp tác với Microsoft",
            "VNPT vừa ký kết biên bản ghi nhớ với Microsoft.",
            ["VNPT", "Microsoft"],
            "news",
        ),
        (
            "Khảo sát: 60% doanh nghiệp chưa có kế hoạch chuyển đổi số",
            "VCCI khảo sát 400 doanh nghiệp.",
            [],
            "research",
        ),
        ("Tổ công nghệ số cộng đồng: kinh nghiệm từ Yên Bái", "Yên Bái là địa phương đầu tiên.", [], "research"),
        ("Tuyên Quang học tập kinh nghiệm xây dựng IOC tại Hà Giang", "Đoàn công tác của tỉnh.", [], "news"),
        ("Sơ kết 6 tháng thực hiện Nghị quyết về chuyển đổi số", "Tỉnh đạt 80% chỉ tiêu.", [], "report"),
        ("Chỉ số chuyển đổi số (DTI) năm 2022 của Bắc Kạn tăng 9 bậc", "", [], "report"),
        ("Giá lúa tăng, nông dân phấn khởi", "Giá lúa tăng 500 đồng/kg.", [], "news"),
    ],
)
def test_kind(title, body, partners, expected):
    assert classify(title, "", body, partners=partners) == expected


def test_kind_from_academic_markers_and_url():
    body = "Nội dung.\n\nThạc sĩ Nguyễn Văn A\n\nTài liệu tham khảo: 1. Nghị quyết 52-NQ/TW"
    assert classify("Tuyên Quang tích cực", "", body) == "research"
    url = "https://x.vn/Pages/nghien-cuu-trao-doi.aspx?ItemID=1"
    essay = "\n\n".join(["Chuyển đổi số là xu hướng tất yếu của thời đại, đòi hỏi nhận thức mới."] * 40)
    assert classify("Tuyên Quang tích cực chuyển đổi số", "", essay, url=url) == "research"
    # portals also file short dated news under "Nghiên cứu - Trao đổi"
    news = "Ngày 10/9, tỉnh đưa vào vận hành Trung tâm điều hành thông minh."
    assert classify("Tỉnh vận hành IOC", news, news, url=url) == "news"


# -- topic ----------------------------------------------------------------------------------
def test_topic_distractors_do_not_count():
    assert topic_score("Kinh tế - xã hội quý I", "", "Về kinh tế, số doanh nghiệp thành lập mới tăng.") == 0
    assert topic_score("Tổng điều tra nông nghiệp", "", "Điều tra viên chuyển đổi số liệu về máy chủ.") == 0
    assert topic_score("Giải bóng đá VNPT Cup", "", "Đội VNPT Hà Nội vô địch.") == 0
    assert topic_score("", "", "Chuyển đổi số và kinh tế số, CĐS.") == 1.5


def test_topic_threshold_comes_from_settings():
    a = Article(url="u", title="Tỉnh đẩy mạnh chuyển đổi số", body="Nội dung.")
    TopicScorer.from_settings(Settings(TOPIC_THRESHOLD=1.0)).enrich(a, EnrichContext())
    assert a.topic_score == 2.0 and a.on_topic
    TopicScorer.from_settings(Settings(TOPIC_THRESHOLD=5.0)).enrich(a, EnrichContext())
    assert not a.on_topic


# -- the extension point --------------------------------------------------------------------
class Shouty(Enricher):
    name = "shouty"

    def enrich(self, article, ctx):
        article.title = article.title.upper()


class Broken(Enricher):
    name = "broken"

    def enrich(self, article, ctx):
        raise RuntimeError("boom")


def test_enrichers_are_chosen_by_setting_and_extensible():
    assert [e.name for e in load_enrichers(Settings())] == list(BUILTINS)
    chosen = load_enrichers(Settings(ENRICHERS=f"provinces,{__name__}:Shouty"))
    assert [e.name for e in chosen] == ["provinces", "shouty"]
    a = run_enrichers(Article(url="u", title="tỉnh Bắc Kạn"), chosen, EnrichContext())
    assert a.title == "TỈNH BẮC KẠN" and a.provinces == ["Bắc Kạn"]


def test_a_failing_enricher_flags_the_article_and_the_rest_still_run():
    a = run_enrichers(Article(url="u", body="UBND tỉnh Bắc Kạn"), [Broken(), ProvinceTagger()], EnrichContext())
    assert a.quality_flags == ["enricher_failed:broken:RuntimeError"] and a.provinces == ["Bắc Kạn"]


def test_a_failing_enricher_is_logged_once_with_its_traceback(caplog):
    import logging

    with caplog.at_level(logging.WARNING, logger="indexer.enrichment.base"):
        run_enrichers(Article(url="https://x.vn/a"), [Broken(), ProvinceTagger()], EnrichContext())
    [record] = caplog.records
    assert "broken" in record.getMessage() and "https://x.vn/a" in record.getMessage()
    assert record.exc_info[0] is RuntimeError


def test_enrichers_need_the_runs_settings():
    """No silent fallback to the defaults: that once made the crawl ignore CDS_PARTNERS_FILE."""
    with pytest.raises(TypeError):
        load_enrichers(None)


def test_unknown_enricher_name_is_an_error():
    with pytest.raises((ImportError, AttributeError, ValueError)):
        load_enrichers(Settings(ENRICHERS="nonexistent_module:Thing"))
