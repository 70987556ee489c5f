"""Article kind: cooperation agreement / report / research / news.

Journalists filter "who signed what with whom" (agreement) apart from progress reports and
analysis pieces. The cues are where editors put them: the headline and the first paragraphs
(a signing is always announced up front), the category in the URL or breadcrumb
("nghien-cuu-trao-doi"), academic bylines and reference lists for research.
"""
from __future__ import annotations

import re

from indexer.article import Article
from indexer.enrichment.base import EnrichContext, Enricher
from indexer.normalize import canonical, search_key

_AGREEMENT = re.compile(
    r"(ký kết|lễ ký|ký thỏa thuận|ký thỏa thuận|thỏa thuận hợp tác|biên bản ghi nhớ|\bMoU\b|"
    r"hợp tác chiến lược|ký hợp tác|bắt tay hợp tác|chương trình phối hợp|ký biên bản|"
    r"hợp tác (?:toàn diện )?về chuyển đổi số|hợp tác về chuyển đổi số)", re.I)
_REPORT = re.compile(
    r"(báo cáo|sơ kết|tổng kết|kết quả (?:thực hiện|triển khai|chuyển đổi số)|chỉ số|xếp hạng|"
    r"\bDTI\b|đánh giá (?:mức độ|kết quả)|hội nghị (?:sơ|tổng) kết|thống kê|tỷ lệ|"
    r"nhìn lại|năm \d{4}(?: |,)?(?:tỉnh|\w+ )?đạt|đạt \d+[.,]?\d*\s*%|tăng \d+ bậc|"
    r"giải ngân|tiến độ)", re.I)
_RESEARCH_TITLE = re.compile(r"(nghiên cứu|trao đổi|giải pháp|bàn về|góc nhìn|lý luận|"
                             r"thực trạng và|một số vấn đề|cơ sở lý luận|tiếp cận|kinh nghiệm)", re.I)
_ACADEMIC = re.compile(r"(tài liệu tham khảo|thạc sĩ|tiến sĩ|\bThS\.|\bTS\.|\bPGS\.|\bGS\.|"
                       r"giảng viên|nghiên cứu sinh|học viện|trường đại học|tóm tắt:|từ khóa:)", re.I)
_RESEARCH_PATH = re.compile(r"nghien-cuu|trao-doi|ly-luan|research|dien-dan-khoa-hoc|goc-nhin")
_REPORT_PATH = re.compile(r"bao-cao|so-ket|tong-ket|thong-ke|report")


def classify(title: str, lead: str, body: str, url: str = "", author: str = "",
             category: str = "") -> str:
    title, lead = canonical(title), canonical(lead)
    paragraphs = canonical(body).split("\n\n")
    opening = " ".join(p for p in paragraphs[:3])
    where = search_key(f"{url} {category}")
    head = f"{title} {lead}"
    if _AGREEMENT.search(head) or len(_AGREEMENT.findall(opening)) >= 1 and _AGREEMENT.search(
            " ".join(paragraphs[:2])):
        return "agreement"
    academic = len(_ACADEMIC.findall(f"{author} {body[-3000:]}"))
    if _RESEARCH_PATH.search(where.replace(" ", "-")) or academic >= 2 or (
            _RESEARCH_TITLE.search(title) and academic >= 1):
        return "research"
    report_hits = len(_REPORT.findall(head)) * 2 + len(_REPORT.findall(opening))
    if _REPORT_PATH.search(where.replace(" ", "-")) or report_hits >= 3:
        return "report"
    return "news"


class KindClassifier(Enricher):
    name = "kind"

    def enrich(self, article: Article, ctx: EnrichContext) -> None:
        article.kind = classify(article.title, article.lead, article.body,
                                url=article.url, author=article.author, category=ctx.category)
