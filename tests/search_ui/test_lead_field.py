"""The lead is a field of its own, from the page to the reader (issue 11, part 3).

A page's sapo becomes ``Article.lead`` and never the body's first paragraph; search still finds
a word that only the lead holds; the article page shows the lead once, styled as the lead; the
API gives ``lead`` and ``body`` apart. An index written before (the lead glued to the body's
front) reads the same way.
"""

from __future__ import annotations

import html
import re

from indexer.article import Article
from indexer.pipeline import build_article
from tests.search_ui.live_server import live_over

SAPO = "Lễ hội khinh khí cầu ở Sa Pa năm nay bán vé hoàn toàn qua ứng dụng di động của tỉnh."
PARAS = [
    "UBND tỉnh Lào Cai cho biết nền tảng bán vé do VNPT Lào Cai xây dựng đã phục vụ hơn 20.000 lượt khách.",
    "Du khách thanh toán bằng mã QR, nhận vé điện tử và được nhắc lịch qua tin nhắn trước giờ khai mạc.",
    "Sở Văn hóa, Thể thao và Du lịch đề nghị mở rộng cách làm này cho các lễ hội khác trong năm.",
    "Theo kế hoạch chuyển đổi số của tỉnh, mọi điểm tham quan sẽ bán vé trực tuyến trước cuối năm.",
]
TITLE = "Lào Cai đưa chuyển đổi số vào lễ hội mùa xuân"
LEAD_ONLY_WORDS = "khinh khí cầu"  # in the sapo, nowhere else


def sapo_page() -> bytes:
    paras = "".join(f"<p>{p}</p>" for p in PARAS)
    return (
        f"<html><head><title>{TITLE} - Báo X</title></head><body><h1>{TITLE}</h1>"
        f"<h2 class='detail-sapo'>{SAPO}</h2><article class='detail-content'>{paras}</article>"
        f"</body></html>"
    ).encode()


def plain(snippet: str) -> str:
    return html.unescape(re.sub(r"</?b>", "", snippet))


def reading_part(page: str) -> str:
    return page.split('<div class="body">', 1)[1].split("</div>", 1)[0]


def test_a_sapo_is_the_lead_searched_and_shown_once(tmp_path):
    art = build_article(sapo_page(), "https://baox.vn/le-hoi-so.html", headers={"Content-Type": "text/html"})
    assert art.lead == SAPO and art.body == "\n\n".join(PARAS)
    with live_over(tmp_path, [art]) as live:
        # search: a word only the lead holds finds the article, and the snippet shows it once
        status, found = live.json("/api/v1/search", {"q": LEAD_ONLY_WORDS})
        assert status == 200 and [h["id"] for h in found["hits"]] == [art.id]
        hit = found["hits"][0]
        assert hit["lead"] == SAPO and "body" not in hit
        assert "<b>khinh</b> <b>khí cầu</b>" in hit["snippet"] and plain(hit["snippet"]).count(SAPO) == 1
        status, page = live.html("/", {"q": LEAD_ONLY_WORDS})
        assert status == 200 and plain(page).count(SAPO) == 1
        # the API: lead and body apart, the body never beginning with the lead
        status, one = live.json(f"/api/v1/articles/{art.id}")
        assert status == 200 and one["lead"] == SAPO and one["body"] == "\n\n".join(PARAS)
        # the article page: the lead once, styled as the lead, then the body
        status, page = live.html(f"/article/{art.id}")
    text = html.unescape(page)
    assert status == 200 and text.count(SAPO) == 1
    assert f'<p class="lead">{SAPO}</p>' in text
    assert re.findall(r"<p>(.*?)</p>", reading_part(text)) == PARAS


def test_an_index_written_with_the_lead_glued_to_the_body_reads_apart(tmp_path):
    """Articles indexed before the lead was its own field: their stored body starts with it."""
    old = Article(
        url="https://baox.vn/le-hoi-cu.html",
        title=TITLE,
        lead=SAPO,
        body="\n\n".join([SAPO, *PARAS]),
        published="2024-02-10T08:00:00+07:00",
        year=2024,
    )
    with live_over(tmp_path, [old]) as live:
        status, one = live.json(f"/api/v1/articles/{old.id}")
        assert status == 200 and one["lead"] == SAPO and one["body"] == "\n\n".join(PARAS)
        status, found = live.json("/api/v1/search", {"q": LEAD_ONLY_WORDS})
        assert [h["id"] for h in found["hits"]] == [old.id]
        assert plain(found["hits"][0]["snippet"]).count(SAPO) == 1
        status, page = live.html(f"/article/{old.id}")
    text = html.unescape(page)
    assert status == 200 and text.count(SAPO) == 1 and f'<p class="lead">{SAPO}</p>' in text
    assert SAPO not in reading_part(text)
