"""How much an article is about chuyển đổi số, so a whole-portal crawl keeps only those.

Phrases are counted inside one clause only: "Về kinh tế, số doanh nghiệp…" is not "kinh tế
số" because of the comma, and "chuyển đổi số liệu" (converting figures) is not "chuyển đổi số"
because of the word after it. Score = 2 per title hit + 1 per lead hit + 0.5 per body hit
(body capped at 4), core phrases weighing 1 and related ones ½; ``on_topic`` is
score ≥ TOPIC_THRESHOLD (settings), decided by :func:`decide_topic` and nowhere else: the
enricher and the write path (indexer/writer.py, after enrichment, so a run without this enricher
scores 0 and keeps nothing) both call it.
"""

from __future__ import annotations

import re
from typing import Any

from indexer.article import Article
from indexer.enrichment.base import EnrichContext, Enricher
from indexer.normalize import canonical

CORE = [
    "chuyển đổi số",
    "chính quyền số",
    "kinh tế số",
    "xã hội số",
    "chính phủ số",
    "công dân số",
    "quốc gia số",
    "CĐS",
    "nền tảng số",
    "hạ tầng số",
    "dữ liệu số",
    "công nghệ số",
    "doanh nghiệp số",
    "văn hóa số",
    "kỹ năng số",
    "thương mại số",
    "trợ lý số",
    "giao dịch số",
    "hệ thống số",
    "bản đồ số",
    "chữ ký số",
    "ký số",
    "số hóa",
    "môi trường số",
    "không gian số",
    "thiết bị số",
    "digital transformation",
]
RELATED = [
    "chính quyền điện tử",
    "chính phủ điện tử",
    "đô thị thông minh",
    "du lịch thông minh",
    "nông nghiệp thông minh",
    "điều hành thông minh",
    "dịch vụ công trực tuyến",
    "cổng dịch vụ công",
    "một cửa điện tử",
    "văn bản điện tử",
    "quản lý văn bản",
    "hồ sơ điện tử",
    "bệnh án điện tử",
    "sổ sức khỏe điện tử",
    "hóa đơn điện tử",
    "thương mại điện tử",
    "ví điện tử",
    "định danh điện tử",
    "giao dịch điện tử",
    "thanh toán không dùng tiền mặt",
    "thanh toán trực tuyến",
    "mã QR",
    "trí tuệ nhân tạo",
    "điện toán đám mây",
    "dữ liệu lớn",
    "Big data",
    "dữ liệu mở",
    "cơ sở dữ liệu",
    "dữ liệu dùng chung",
    "an toàn thông tin",
    "an ninh mạng",
    "công nghệ thông tin",
    "CNTT",
    "hội nghị truyền hình",
    "truyền hình trực tuyến",
    "truyền số liệu",
    "Đề án 06",
    "VNeID",
    "5G",
    "4G",
    "băng rộng",
    "cáp quang",
    "IoT",
    "IOC",
    "phần mềm",
    "Internet",
    "ứng dụng di động",
    "học trực tuyến",
    "bán hàng trực tuyến",
    "kho dữ liệu",
]
# Words that turn "… số" into something else: "số liệu", "số lượng", "số tiền", "số 1".
_NOT_AFTER = (
    r"(?!\s+(?:liệu|lượng|tiền|hiệu|hộ|phận|thứ|tự|học|đo|điện thoại|nhà|ca|vòng|"
    r"máy|tài khoản|lần|người|doanh nghiệp|đông|ít|nhiều|đó|này|khác)\b)(?!\s*\d)"
)


def _compile(phrases: list[str]) -> re.Pattern:
    alts = []
    for p in sorted(phrases, key=len, reverse=True):
        words = [re.escape(w) for w in canonical(p).split()]
        body = r"[ \t\u00a0]+".join(words)  # never across punctuation or lines
        if p.endswith(" số"):
            body += _NOT_AFTER
        alts.append(body)
    flags = 0 if all(p.isupper() for p in phrases) else re.I
    return re.compile(r"(?<![^\W_])(?:" + "|".join(alts) + r")(?![^\W_])", flags)


_ACRONYMS = {"CĐS", "CNTT", "IOC", "IoT", "5G", "4G", "VNeID"}
_CORE_RE = _compile([p for p in CORE if p not in _ACRONYMS])
_RELATED_RE = _compile([p for p in RELATED if p not in _ACRONYMS])
_ACRONYM_CORE = re.compile(r"(?<![^\W_])CĐS(?![^\W_])")
_ACRONYM_RELATED = re.compile(r"(?<![^\W_])(?:CNTT|IOC|IoT|5G|4G|VNeID)(?![^\W_])")


def hits(text: str) -> float:
    """Weighted phrase count in ``text``: core phrases 1, related ones 0.5."""
    text = canonical(text)
    core = len(_CORE_RE.findall(text)) + len(_ACRONYM_CORE.findall(text))
    related = len(_RELATED_RE.findall(text)) + len(_ACRONYM_RELATED.findall(text))
    return core + 0.5 * related


def topic_score(title: str, lead: str, body: str) -> float:
    """``body`` without the lead (the Article's body)."""
    return round(2 * hits(title) + hits(lead) + min(4.0, 0.5 * hits(body)), 2)


def is_on_topic(article: Article, threshold: float) -> bool:
    """An article counts when it has some text and its score reaches the threshold."""
    return bool(article.text or article.title) and article.topic_score >= threshold


def decide_topic(article: Article, threshold: float) -> bool:
    article.on_topic = is_on_topic(article, threshold)
    return article.on_topic


class TopicScorer(Enricher):
    name = "topic"

    def __init__(self, threshold: float = 1.0) -> None:
        self.threshold = threshold

    @classmethod
    def from_settings(cls, settings: Any) -> TopicScorer:
        return cls(float(settings.TOPIC_THRESHOLD))

    def enrich(self, article: Article, ctx: EnrichContext) -> None:
        article.topic_score = topic_score(article.title, article.lead, article.body)
        decide_topic(article, self.threshold)
