"""Extraction on hand-made pages: selectors from the source config, bad input, furniture."""

import pytest

from config.sources import Source
from indexer.extraction import extract, strip_site_name
from indexer.pipeline import ExtractionError, build_article

PARA = (
    "UBND tỉnh Tuyên Quang và Tập đoàn VNPT đã ký kết thỏa thuận hợp tác về chuyển đổi số, "
    "tập trung vào chính quyền số, kinh tế số và xã hội số trên địa bàn tỉnh."
)
PARA2 = (
    "Theo thỏa thuận, hai bên phối hợp xây dựng Trung tâm điều hành thông minh, triển khai "
    "nền tảng số dùng chung và đào tạo kỹ năng số cho cán bộ, công chức các cấp."
)


def test_site_name_is_stripped_from_titles():
    assert strip_site_name("Tiêu đề bài - Cổng thông tin điện tử tỉnh Bắc Kạn") == "Tiêu đề bài"
    assert strip_site_name("Tiêu đề | Báo Tuyên Quang điện tử") == "Tiêu đề"
    assert strip_site_name("VNPT Newsroom - Tiêu đề bài", "VNPT Newsroom") == "Tiêu đề bài"
    assert strip_site_name("Công nghiệp - Viễn thông Quân đội ký kết") == "Công nghiệp - Viễn thông Quân đội ký kết"


def test_source_selectors_override_the_heuristics():
    html = f"""<html><head><title>Trang chủ</title></head><body>
    <h1>Cổng thông tin điện tử</h1>
    <div id="x"><span class="tt">Tiêu đề thật của bài</span><i class="ngay">Ngày 05/03/2024 10:30</i>
    <div class="nd"><p>{PARA}</p><p>{PARA2}</p></div><em class="tg">Minh Anh</em></div>
    <div class="nd-khac"><p>Tin khác không thuộc bài viết này, dài hơn một chút để giống thật.</p></div>
    </body></html>"""
    selectors = {"title": "span.tt", "body": "//div[@class='nd']", "date": "i.ngay", "author": "em.tg"}
    ex = extract(html, "https://x.gov.vn/a", selectors=selectors)
    assert ex.title == "Tiêu đề thật của bài"
    assert ex.date.iso() == "2024-03-05T10:30:00+07:00" and ex.date_how == "selector"
    assert ex.author == "Minh Anh"
    assert (ex.lead, ex.paragraphs) == (PARA, [PARA2])  # no sapo: the first paragraph leads


def test_remove_selectors_cut_site_specific_furniture():
    html = (
        f"<html><body><h1>Tiêu đề bài viết dài</h1><div class='nd'><p>{PARA}</p>"
        f"<p class='qc'>Quảng cáo: mua ngay sản phẩm giá tốt tại cửa hàng của chúng tôi hôm nay.</p>"
        f"<p>{PARA2}</p></div></body></html>"
    )
    assert "Quảng cáo" in extract(html, "https://x.vn/a").body
    for remove in ("p.qc", ["p.qc"], "//p[@class='qc']"):
        assert extract(html, "https://x.vn/a", selectors={"remove": remove}).text == f"{PARA}\n\n{PARA2}"


def test_menu_like_leftovers_are_flagged():
    menu = "".join(f"<p>Mục {i}</p>" for i in range(12))
    html = f"<html><body><h1>Tiêu đề bài viết dài</h1><div><p>{PARA}</p>{menu}<p>{PARA2}</p></div></body></html>"
    assert "boilerplate_suspected" in extract(html, "https://x.vn/a").flags


def test_a_report_with_subheadings_in_a_layout_table_keeps_its_paragraphs():
    """Short subheadings between paragraphs are the article's, not a menu: the old portals' layout
    table (title, body, "other news", the poll and the visitor counter in one table) must not
    replace them as one flattened line."""
    heads = ("Thực trạng", "Nguyên nhân", "Giải pháp")
    body = "".join(f"<h3>{h}</h3><p>{p}</p>" for h, p in zip(heads, (PARA, PARA2, PARA)))
    html = f"""<html><body><table class="wrapper"><tr><td>
    <div id="menu"><a href="/">TRANG CHỦ</a> | <a href="/tin">TIN TỨC</a></div>
    <table class="main"><tr><td class="center-col"><div class="chi-tiet">
    <h1>Nhân lực cho chuyển đổi số ở cơ sở: nhìn từ thực tiễn</h1><div class="ngay">23/01/2023</div>
    <div class="noi-dung">{body}</div></div>
    <div class="tin-khac"><b>CÁC TIN KHÁC</b><ul><li><a href="/1">Một tin khác về hội nghị</a></li></ul></div></td>
    <td class="right-col"><div class="box"><b>THỐNG KÊ TRUY CẬP</b><p>Đang online: 125</p>
    <p>Tổng lượt truy cập: 8136658</p></div></td></tr></table></td></tr></table></body></html>"""
    ex = extract(html, "https://x.gov.vn/chi-tiet-tin/1/a.htm")
    assert [ex.lead, *ex.paragraphs] == ["Thực trạng", PARA, "Nguyên nhân", PARA2, "Giải pháp", PARA]
    assert "online" not in ex.text and "boilerplate_suspected" not in ex.flags


@pytest.mark.parametrize("label", ["Từ khóa:", "Tags:", "Thẻ:"])
def test_a_tag_line_under_the_article_is_not_its_text(label):
    """Tag links name other searches ("Tuyên Quang" under a Điện Biên story on a Tuyên Quang
    paper): indexed as text, every story would match the paper's own province."""
    html = (
        f"<html><body><h1>Tiêu đề bài viết dài</h1><div><p>{PARA}</p><p>{PARA2}</p>"
        f"<p>{label} <a href='/t/1'>chuyển đổi số</a> <a href='/t/2'>Điện Biên</a></p></div></body></html>"
    )
    ex = extract(html, "https://x.vn/a")
    assert (ex.lead, ex.paragraphs) == (PARA, [PARA2])


def test_a_code_line_that_starts_like_a_tag_line_keeps_the_rest():
    """A line "tags: [Tag!]!" in a GraphQL schema sample is the article's code, not its tag box."""
    html = (
        f"<html><body><h1>Tiêu đề bài viết dài</h1><div><p>{PARA}</p><p>{PARA}</p><p>tags: [Tag!]!</p>"
        f"<p>{PARA2}</p></div></body></html>"
    )
    assert extract(html, "https://x.vn/a").paragraphs[-2:] == ["tags: [Tag!]!", PARA2]


def test_bad_selectors_are_ignored_not_fatal():
    html = f"<html><body><h1>Tiêu đề bài viết dài</h1><div><p>{PARA}</p><p>{PARA}</p></div></body></html>"
    ex = extract(html, "https://x.vn/a", selectors={"title": "div[[[", "body": "//*[", "date": "???"})
    assert ex.title == "Tiêu đề bài viết dài"
    assert ex.lead == PARA and ex.paragraphs == []  # the repeat is dropped


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"   ",
        b"<html></html>",
        b"<<<>>>\x00\x01garbage",
        b"<html><body><p>ok</p>",
        b"\xff\xfe\xfd" * 100,
        b"<html><body>" + b"<div>" * 5000 + b"text",
    ],
)
def test_garbage_pages_give_flagged_articles(body):
    a = build_article(body, "https://x.vn/a", headers={"Content-Type": "text/html"})
    assert a.url == "https://x.vn/a"
    assert "no_text" in a.quality_flags or "short_text" in a.quality_flags
    assert "no_date" in a.quality_flags


@pytest.mark.parametrize(
    "body,ctype",
    [
        (b"%PDF-1.7 ...", "application/pdf"),
        (b"%PDF-1.4 binary", ""),
        (b"\x89PNG\r\n\x1a\n....", "text/html"),
        (b"{}", "application/json"),
        (b'<?xml version="1.0"?><rss version="2.0"></rss>', ""),
    ],
)
def test_non_html_raises_a_clear_error(body, ctype):
    with pytest.raises(ExtractionError, match="not an HTML page"):
        build_article(body, "https://x.vn/file", headers={"Content-Type": ctype} if ctype else {})


def test_short_page_is_flagged_and_keeps_its_text():
    a = build_article(f"<html><body><h1>Tin ngắn về CĐS</h1><p>{PARA}</p></body></html>".encode(), "https://x.vn/a")
    assert "short_text" in a.quality_flags and "no_text" not in a.quality_flags
    assert a.lead == PARA and a.body == ""  # one paragraph: the lead


def test_furniture_left_in_the_article_box_is_removed():
    html = f"""<html><body><h1>Bài viết về chuyển đổi số ở Tuyên Quang</h1>
    <div class="content"><p>{PARA}</p><p>{PARA} Thêm một câu.</p>
    <p>Lượt xem: 1234</p><p>SELECT id,title FROM cms_post WHERE status = 1 ORDER BY id DESC LIMIT 0,15</p>
    <p>Bạn còn /500 ký tự</p><p>1 2 3 4 5 6 7</p>
    <p>Warning: mysql_connect(): Access denied in /var/www/index.php on line 12</p></div></body></html>"""
    a = build_article(html.encode(), "https://x.vn/a")
    assert (a.lead, a.body) == (PARA, f"{PARA} Thêm một câu.")
    assert "boilerplate_removed" in a.quality_flags


def test_source_fields_and_canonical_url():
    src = Source(name="tq", kind="portal", allowed_domains=["x.vn"], province="Tuyên Quang")
    html = (
        f'<html><head><link rel="canonical" href="/bai-viet-1.html"></head><body>'
        f"<h1>Bài viết một</h1><p>{PARA}</p><p>{PARA}</p></body></html>"
    )
    a = build_article(html.encode(), "https://x.vn/bai-viet-1.html?utm_source=fb", source=src)
    assert a.url == "https://x.vn/bai-viet-1.html"
    assert a.fetched_url.endswith("utm_source=fb")
    assert (a.source, a.source_kind, a.source_province) == ("tq", "portal", "Tuyên Quang")
    home = html.replace("/bai-viet-1.html", "https://x.vn/")
    assert build_article(home.encode(), "https://x.vn/b.html").url == "https://x.vn/b.html"
    other = html.replace("/bai-viet-1.html", "https://spam.example/")
    assert build_article(other.encode(), "https://x.vn/b.html").url == "https://x.vn/b.html"


def test_hint_title_when_the_page_has_none():
    a = build_article(
        f"<html><body><p>{PARA}</p><p>{PARA}</p></body></html>".encode(),
        "https://x.vn/a",
        hints={"title": "Tiêu đề từ RSS"},
    )
    assert a.title == "Tiêu đề từ RSS"


def test_an_extractor_crash_is_flagged_and_logged_with_the_url(monkeypatch, caplog):
    """trafilatura raising (a bug on hostile markup; no page we have triggers one, so the call is
    made to fail here) keeps the article, flags it and logs the traceback with the URL."""
    import logging

    import indexer.extraction as extraction

    def crash(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(extraction.trafilatura, "bare_extraction", crash)
    html = f"<html><head><title>Tin tỉnh</title></head><body><h1>Tin tỉnh</h1><p>{PARA}</p></body></html>"
    with caplog.at_level(logging.WARNING, logger="indexer.extraction"):
        a = build_article(html.encode(), "https://x.vn/bai-loi.html")
    assert "extractor_failed" in a.quality_flags and a.title == "Tin tỉnh"
    [record] = [r for r in caplog.records if r.name == "indexer.extraction"]
    assert "https://x.vn/bai-loi.html" in record.getMessage() and record.exc_info[0] is RecursionError
