"""Article kind: cooperation agreement / report / research / news.

Journalists filter "who signed what with whom" apart from progress reports and analysis.
- agreement: a *signing* ("ký kết", "ký thỏa thuận", "lễ ký", "biên bản ghi nhớ") announced up
  front (title, lead, first paragraphs) between a province side (a province, UBND, a Sở) and a
  partner company. A working session ("làm việc với FPT … xây dựng đề cương thỏa thuận"), a pact
  between provinces, or an MoU between two companies is news.
- research: analysis pieces — "Khảo sát: …", "… kinh nghiệm từ …", "thực trạng và giải pháp",
  academic markers (tài liệu tham khảo, "Tác giả đề xuất", Thực trạng/Giải pháp sections, an
  author who is a ThS./TS./giảng viên — degrees in the text itself are people in the news), or a long essay (no dated news opening) in a research category of the URL —
  portals file ordinary news under "Nghiên cứu - Trao đổi" too, so the category alone is weak.
- report: progress/assessment pieces — "Sơ kết", "Kết quả thực hiện", "Chỉ số … (DTI)",
  "Tình hình kinh tế - xã hội", "Hội nghị Ban Chỉ đạo", "Bức tranh …".
- news: everything else.
"""

from __future__ import annotations

import re

from indexer.article import Article, lead_and_body
from indexer.enrichment.base import EnrichContext, Enricher
from indexer.normalize import canonical, search_key

_SIGNING = re.compile(
    r"(?<!sẽ )(?<!dự kiến )(?<!chuẩn bị )(?<!tiến tới )"
    r"(ký kết|ký thỏa thuận|lễ ký|ký biên bản|ký hợp tác|biên bản ghi nhớ|"
    r"\bMoU\b|đã ký|vừa ký|chính thức ký)",
    re.I,
)
_COOPERATION = re.compile(
    r"thỏa thuận hợp tác|hợp tác (?:chiến lược|toàn diện|về|với|xây dựng|"
    r"chuyển đổi số|phát triển|triển khai)",
    re.I,
)
_PROVINCE_SIDE = re.compile(r"UBND|Ủy ban nhân dân|\btỉnh\b|\bSở\b|Tỉnh ủy|thành phố", re.I)
_RESEARCH_TITLE = re.compile(
    r"^(khảo sát|nghiên cứu|góc nhìn|bàn về|trao đổi|lý luận)\b|kinh nghiệm từ|bài học (?:cho|từ|kinh nghiệm)|"
    r"nhìn từ (?:thực tiễn|thực tế)|"
    r":\s*(?:kinh nghiệm|bài học|thực trạng|giải pháp)|thực trạng và giải pháp|một số giải pháp|"
    r"cơ sở lý luận",
    re.I,
)
_ACADEMIC = re.compile(
    r"tài liệu tham khảo|nhóm nghiên cứu|kết quả khảo sát|"
    r"phương pháp nghiên cứu|tóm tắt:|từ khóa:|tác giả đề xuất|khảo sát tại|"
    r"^(?:thực trạng|nguyên nhân|giải pháp|kết luận|đặt vấn đề)$",
    re.I | re.M,
)
# Degrees and posts describe people: a mark of research only when they describe the author (the
# author field, or a byline line opening or closing the text), not when a policy lists who gets
# support ("người có trình độ thạc sĩ, tiến sĩ…") or a news story quotes "TS Nguyễn…".
_AUTHOR_DEGREE = re.compile(
    r"thạc sĩ|tiến sĩ|\bThS\.|\bTS\.|\bPGS\.|\bGS\.|giảng viên|"
    r"nghiên cứu sinh",
    re.I,
)
_BYLINE_MAX = 120
_REPORT_TITLE = re.compile(
    r"^(kết quả|tình hình|bức tranh|nhìn lại)\b|sơ kết|tổng kết|báo cáo|chỉ số|\bDTI\b|xếp hạng|"
    r"đánh giá \d+ năm|kinh tế - xã hội|hội nghị (?:ban chỉ đạo|sơ kết|tổng kết|đánh giá)|"
    r"chỉ tiêu|kết quả thực hiện|kết quả triển khai",
    re.I,
)
_REPORT_BODY = re.compile(
    r"báo cáo|sơ kết|tổng kết|kết quả thực hiện|chỉ số|xếp hạng|\bDTI\b|"
    r"tăng \d+ bậc|đạt \d+[.,]?\d*\s*%|hoàn thành \d+/\d+ chỉ tiêu",
    re.I,
)
# A dated news opening: "Ngày 10/9, …", "Sáng 5-3, …", "… vừa chính thức …".
_NEWS_LEAD = re.compile(r"^(?:ngày|sáng|chiều|tối|trưa|hôm)\s+(?:nay\s+)?\d|\bvừa\b|thời gian qua", re.I)
_RESEARCH_PATH = re.compile(r"nghien-cuu|trao-doi|ly-luan|research|goc-nhin|dien-dan-khoa-hoc")
_REPORT_PATH = re.compile(r"bao-cao|so-ket|tong-ket|thong-ke|report")


def classify(
    title: str,
    lead: str,
    body: str,
    *,
    url: str = "",
    author: str = "",
    category: str = "",
    partners: list[str] | None = None,
    provinces: list[str] | None = None,
) -> str:
    # ``body`` is the Article's (without the lead); read here as the whole text, lead first.
    title, lead, body = canonical(title), canonical(lead), canonical(lead_and_body(lead, body))
    paragraphs = body.split("\n\n")
    opening = " ".join([title, *paragraphs[:3]])
    where = search_key(f"{url} {category}").replace(" ", "-")
    signed = _SIGNING.search(opening) or (_COOPERATION.search(title) and _SIGNING.search(body))
    province_side = bool(provinces) or bool(_PROVINCE_SIDE.search(opening))
    if signed and partners and province_side:
        return "agreement"
    academic = len(set(m.group(0).lower() for m in _ACADEMIC.finditer(body)))
    bylines = [author, *(p for p in paragraphs[:1] + paragraphs[-2:] if len(p) <= _BYLINE_MAX)]
    academic += any(_AUTHOR_DEGREE.search(x) for x in bylines if x)
    essay = len(body) >= 2500 and not _NEWS_LEAD.search(lead or paragraphs[0])
    if _RESEARCH_TITLE.search(title) or academic >= 2 or (_RESEARCH_PATH.search(where) and essay):
        return "research"
    if _REPORT_TITLE.search(title) or _REPORT_PATH.search(where):
        return "report"
    if len(set(m.group(0).lower() for m in _REPORT_BODY.finditer(" ".join(paragraphs[:2])))) >= 3:
        return "report"
    return "news"


class KindClassifier(Enricher):
    """Runs after the province and partner taggers: it uses their results."""

    name = "kind"

    def enrich(self, article: Article, ctx: EnrichContext) -> None:
        article.kind = classify(
            article.title,
            article.lead,
            article.body,
            url=article.url,
            author=article.author,
            category=ctx.category,
            partners=article.partners,
            provinces=article.provinces,
        )
