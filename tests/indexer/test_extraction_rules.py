"""Extraction rules seen failing on real pages (issue 8), each as the general rule it is.

Every page here is built around one layout habit of real sites — an article column named like
furniture, a parser-stretched <button>, a photo story, a Drupal/WordPress summary class, a
foreign-language page, a stray control character, a timestamp in another zone — and the test
asserts what a reader would get: the whole article, once, with the right day.
"""

from __future__ import annotations

import pytest

from indexer import extraction
from indexer.enrichment.kind import classify
from indexer.extraction import extract
from indexer.html_tree import parse_html, select, text_of
from indexer.pipeline import build_article

PARAS = [
    "UBND tỉnh Tuyên Quang và Tập đoàn VNPT ký thỏa thuận hợp tác về chuyển đổi số giai đoạn mới.",
    "Theo thỏa thuận, hai bên phối hợp xây dựng chính quyền số, kinh tế số và xã hội số trên địa bàn.",
    "VNPT sẽ hỗ trợ tỉnh triển khai trung tâm điều hành thông minh và kho dữ liệu dùng chung.",
    "Lãnh đạo tỉnh đề nghị doanh nghiệp ưu tiên hạ tầng băng rộng cho các xã vùng sâu, vùng xa.",
    "Hai bên thống nhất rà soát kết quả hợp tác mỗi năm và báo cáo Ban Chỉ đạo chuyển đổi số tỉnh.",
    "Tại buổi lễ, đại diện VNPT cam kết đồng hành cùng tỉnh trong đào tạo kỹ năng số cho người dân.",
]
SIDE = "".join(
    f"<li><a href='/t{i}'>Tin khác số {i}: giá vàng hôm nay tăng mạnh, nhà đầu tư lo "
    f"ngại biến động của thị trường thế giới trong tuần tới</a></li>"
    for i in range(30)
)


def page(article: str, *, head: str = "", before: str = "", after: str = "") -> str:
    return (
        f"<html><head><title>Ký kết hợp tác chuyển đổi số - Báo X</title>{head}</head><body>"
        f"<h1>Ký kết hợp tác chuyển đổi số</h1>{before}{article}"
        f"<div class='sidebar'><ul>{SIDE}</ul></div>{after}</body></html>"
    )


def body_of(html: str, **kw) -> str:
    """The whole text a reader gets: lead and body."""
    return extract(html, "https://bao-x.vn/ky-ket-hop-tac.html", **kw).text


@pytest.mark.parametrize(
    "wrapper",
    ["sidebar-1", "layout-content has-aside", "tag-content", "views-row", "print-area", "share-wrap", "main-menu-body"],
)
def test_an_article_column_named_like_furniture_keeps_the_article(wrapper):
    paras = "".join(f"<p>{p}</p>" for p in PARAS)
    body = body_of(page(f"<div class='{wrapper}'><article class='fck_detail'>{paras}</article></div>"))
    assert all(p in body for p in PARAS)
    assert "Tin khác số 3" not in body  # the real sidebar still goes


def test_a_button_stretched_around_main_does_not_take_the_article():
    paras = "".join(f"<p>{p}</p>" for p in PARAS)
    html = (
        f"<html><body><button class='menu-toggle'>Menu<main><h1>Ký kết hợp tác chuyển đổi số</h1>"
        f"<article>{paras}</article></main></body></html>"
    )
    assert "<button" in __import__("lxml.html").html.tostring(parse_html(html)).decode()
    body = body_of(html)
    assert all(p in body for p in PARAS) and not body.startswith("Menu")


def test_a_photo_story_keeps_its_captions_and_an_ordinary_article_does_not():
    captions = [f"Ảnh {i}: {p}" for i, p in enumerate(PARAS, 1)]
    figures = "".join(
        f"<figure><img src='/a{i}.jpg'><figcaption>{c}</figcaption></figure>" for i, c in enumerate(captions)
    )
    story = extract(page(f"<article><p>Phóng sự ảnh.</p>{figures}</article>"), "https://x.vn/a")
    assert all(c in story.text for c in captions) and "captions_kept" in story.flags
    one = "<figure><img src='/a.jpg'><figcaption>Toàn cảnh buổi lễ ký kết.</figcaption></figure>"
    paras = "".join(f"<p>{p}</p>" for p in PARAS)
    plain = extract(page(f"<article>{paras}{one}</article>"), "https://x.vn/a")
    assert "Toàn cảnh buổi lễ" not in plain.text and "captions_kept" not in plain.flags


@pytest.mark.parametrize(
    "container", ["field field--name-body text-with-summary", "post type-post has-excerpt entry-content"]
)
def test_summary_named_body_fields_are_not_taken_as_the_lead(container):
    paras = "".join(f"<p>{p}</p>" for p in PARAS)
    ex = extract(page(f"<div class='{container}'>{paras}</div>"), "https://x.vn/a")
    assert ex.lead == PARAS[0]  # no sapo: the first paragraph leads
    assert ex.paragraphs == PARAS[1:] and PARAS[0] not in ex.body


def test_headline_lists_and_author_bios_are_not_the_lead():
    stories = "".join(f"<li><a href='/s{i}'>Tin nóng số {i}: tỉnh đẩy mạnh dịch vụ công</a></li>" for i in range(5))
    bio = (
        "<div class='author-box'><p class='author-description'>Nguyễn Văn An là phóng viên "
        "mảng công nghệ, mười năm viết về chuyển đổi số ở các tỉnh miền núi.</p></div>"
    )
    paras = "".join(f"<p>{p}</p>" for p in PARAS)
    ex = extract(page(f"<ul class='lead-stories'>{stories}</ul><article>{paras}{bio}</article>"), "https://x.vn/a")
    assert ex.lead == PARAS[0] and "Tin nóng" not in ex.text and "Nguyễn Văn An" not in ex.lead
    assert ex.body.startswith(PARAS[1])


def test_a_sapo_repeated_as_the_first_paragraph_is_the_lead_and_not_in_the_body():
    sapo = "Sáng 5-3, UBND tỉnh Tuyên Quang và Tập đoàn VNPT ký thỏa thuận hợp tác về chuyển đổi số."
    paras = "".join(f"<p>{p}</p>" for p in PARAS)
    html = page(f"<h2 class='detail-sapo'>(Báo X) - {sapo}</h2><div class='detail-content'><p>{sapo}</p>{paras}</div>")
    ex = extract(html, "https://x.vn/a")
    assert ex.text.count("ký thỏa thuận hợp tác về chuyển đổi số.") == 1
    assert ex.lead.endswith(sapo)
    assert ex.paragraphs == PARAS and ex.text == f"{ex.lead}\n\n{ex.body}"


def test_a_sapo_the_extractor_missed_is_the_lead_and_the_body_is_the_rest():
    sapo = "Sáng 5-3, UBND tỉnh Tuyên Quang và Tập đoàn VNPT ký thỏa thuận hợp tác về chuyển đổi số."
    paras = "".join(f"<p>{p}</p>" for p in PARAS)
    ex = extract(page(f"<div class='detail__sapo'>{sapo}</div><article>{paras}</article>"), "https://x.vn/a")
    assert ex.lead == sapo and ex.paragraphs == PARAS and sapo not in ex.body


def test_text_in_another_language_keeps_its_accents():
    pt = (
        "E aí, pessoal? O relatório anual mostra que a transformação digital avançou muito; "
        "também há mais serviços públicos na internet, e até aí tudo bem para os municípios."
    )
    paras = "".join(f"<p>{pt} Parágrafo {i}.</p>" for i in range(4))
    body = body_of(
        f"<html><head><title>Relatório</title></head><body><h1>Relatório anual</h1>"
        f"<article>{paras}</article></body></html>"
    )
    assert "até aí tudo bem" in body and "ái" not in body
    vn = body_of(page("<article>" + "".join(f"<p>{p} Thanh Hoá.</p>" for p in PARAS) + "</article>"))
    assert "Thanh Hóa" in vn and "Thanh Hoá" not in vn  # Vietnamese still canonical


def test_a_control_character_anywhere_never_makes_extract_raise():
    broken = [p.replace("VNPT", "VN\x01PT") for p in PARAS]
    paras = "".join(f"<p>{p}</p>" for p in broken)
    html = page(
        f"<article>{paras}</article>", head="<script>var s='\x01\x02\x0b';</script>", after="<script>x='\x01'</script>"
    )
    ex = extract(html, "https://x.vn/a")
    assert ex.title == "Ký kết hợp tác chuyển đổi số" and "Tập đoàn VNPT" in ex.text


def test_an_unexpected_error_gives_flags_not_an_exception(monkeypatch):
    def boom(*a, **kw):
        raise RuntimeError("a bug")

    monkeypatch.setattr(extraction, "json_ld", boom)
    ex = extract(page("<article><p>x</p></article>"), "https://x.vn/a")
    assert "extractor_failed" in ex.flags and ex.text == ""


@pytest.mark.parametrize(
    "stamp,visible,day",
    [
        ("2018-07-10T22:00:00-04:00", "", "2018-07-10"),  # the page's own day, not GMT+7's
        ("2024-03-05T03:30:00Z", "", "2024-03-05"),
        ("2024-03-05T20:30:00+00:00", "<div class='date'>Thứ Tư, 06/03/2024 03:30</div>", "2024-03-06"),
    ],
)
def test_a_timestamp_keeps_the_day_the_page_shows(stamp, visible, day):
    paras = "".join(f"<p>{p}</p>" for p in PARAS)
    ex = extract(
        page(
            f"{visible}<article>{paras}</article>", head=f"<meta property='article:published_time' content='{stamp}'>"
        ),
        "https://x.vn/a",
    )
    assert ex.date.value.date().isoformat() == day


def test_a_remove_rule_that_takes_the_article_is_overruled_and_flagged():
    paras = "".join(f"<p>{p}</p>" for p in PARAS)
    html = page(f"<div class='noi-dung'>{paras}</div>")
    ex = extract(html, "https://x.vn/a", selectors={"remove": "div.noi-dung"})
    assert all(p in ex.text for p in PARAS)
    assert {"text_from_trafilatura", "text_from_markup"} & set(ex.flags)


def test_css4_selectors_for_per_site_rules():
    tree = parse_html(
        "<html><body><div class='box'><h3>Tin liên quan</h3><p>a</p></div>"
        "<div class='box'><p>Bài chính về chuyển đổi số</p></div></body></html>"
    )
    assert [text_of(n) for n in select(tree, "div.box:not(:has(h3))")] == ["Bài chính về chuyển đổi số"]
    assert [text_of(n) for n in select(tree, "div.box:has(p:-soup-contains('chuyển đổi'))")] == [
        "Bài chính về chuyển đổi số"
    ]


def test_degrees_in_a_policy_list_do_not_make_research():
    body = (
        "Từ ngày 1/3, Nghị định quy định hỗ trợ người có trình độ thạc sĩ, tiến sĩ về công tác "
        "tại tỉnh.\n\nTS Nguyễn Văn B, chuyên gia thuế, cho biết quy định có hiệu lực ngay.\n\n" + "\n\n".join(PARAS)
    )
    assert classify("Chính sách mới có hiệu lực từ tháng 3", "", body) == "news"
    essay = "ThS. Trần Văn C\nGiảng viên Trường Đại học X\n\n" + body + "\n\nTài liệu tham khảo"
    assert classify("Chính sách mới có hiệu lực từ tháng 3", "", essay, author="ThS. Trần Văn C") == "research"


def test_the_product_path_never_raises_on_control_characters():
    a = build_article(page("<article><p>Nội\x01 dung</p></article>").encode(), "https://x.vn/a")
    assert a.title == "Ký kết hợp tác chuyển đổi số"


def test_a_tutorial_keeps_its_code_and_a_leaked_query_still_goes():
    code = [
        "const user = { name: 'An', age: 30 };",
        "function greet(u) {",
        "  console.log(`Xin chào ${u.name}`);",
        "}",
        "greet(user);",
    ]
    pre = "<pre><code>" + "\n".join(code) + "</code></pre>"
    paras = "".join(f"<p>{p}</p>" for p in PARAS[:3])
    body = body_of(page(f"<article>{paras}{pre}<p>{PARAS[3]}</p></article>"))
    assert "function greet(u) {" in body and "greet(user);" in body
    leak = "<p>SELECT id,title FROM cms_post WHERE status = 1 ORDER BY id DESC LIMIT 0,15</p>"
    body = body_of(page(f"<article>{paras}{leak}<p>{PARAS[3]}</p></article>"))
    assert "SELECT id" not in body and PARAS[3] in body


def test_a_menu_taken_for_the_article_gives_way_to_plain_trafilatura():
    days = "".join(f"<div class='cal-day'><a href='/d{i}'>{i}.</a></div>" for i in range(1, 31))
    story = "".join(f"<p>{p}</p>" for p in PARAS)
    html = (
        f"<html><head><title>Ký kết hợp tác chuyển đổi số</title></head><body>"
        f"<div class='noi-dung'><div>{days}</div></div>"
        f"<div class='bai-viet'><h1>Ký kết hợp tác chuyển đổi số</h1>{story}</div></body></html>"
    )
    ex = extract(html, "https://x.vn/a", selectors={"remove": "div.bai-viet p"})
    assert all(p in ex.text for p in PARAS) and "text_from_trafilatura" in ex.flags


def test_a_permalink_day_beats_a_timestamp_one_day_off():
    paras = "".join(f"<p>{p}</p>" for p in PARAS)
    html = page(
        f"<article>{paras}</article>",
        head="<meta property='article:published_time' content='2018-12-31T23:30:00+00:00'>",
    )
    ex = extract(html, "https://blog.example.org/2019/01/01/nam-moi/")
    assert ex.date.value.date().isoformat() == "2019-01-01"
    # Further off too: the day the CMS filed the post under beats a page timestamp (an update,
    # a sidebar); htmldate trusts dated URLs first for the same reason.
    ex = extract(html, "https://blog.example.org/2019/03/01/nam-moi/")
    assert ex.date.value.date().isoformat() == "2019-03-01"
    assert extract(html, "https://news.example.com/20190301/nam-moi").date.value.date().isoformat() == "2019-03-01"
    assert extract(html, "https://blog.example.org/tin/nam-moi").date.value.date().isoformat() == "2018-12-31"
