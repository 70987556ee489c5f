"""Year of publication and agreement periods ("giai đoạn 2021-2025", "2020 – 25") as [start, end].

A period is an *agreement* period only when its own clause ties it to cooperation: "thỏa thuận
hợp tác … giai đoạn 2021-2025", "hợp tác chiến lược về VT-CNTT giai đoạn 2017 - 2022". Plans,
resolutions and terms in the same article ("Kế hoạch chuyển đổi IPv6 …, giai đoạn 2022 - 2025",
"nhiệm kỳ 2020-2025", "trong giai đoạn 2016-2019, với vai trò là đối tác…") are not: the
journalist's year facet would otherwise fill with every plan the province ever adopted.
The agreement word must come earlier in the same sentence (sentences end at ; . : ! ? and line
breaks — not at commas, which separate "chính quyền số, xã hội số, kinh tế số giai đoạn …")
and closer to the period than any plan/term word ("Kế hoạch", "nhiệm kỳ", "Nghị quyết").
"""

from __future__ import annotations

import re

from indexer.article import Article
from indexer.enrichment.base import EnrichContext, Enricher
from indexer.normalize import canonical

_YEAR = r"(?:19|20)\d\d"
_RANGE = re.compile(
    r"(?<![\d/.\-])(?P<a>" + _YEAR + r")\s*[-–—‐‑−]\s*(?P<b>(?:19|20)?\d\d)(?![\d/]|\.\d)"
    r"|(?:từ\s+(?:năm\s+)?)(?P<c>" + _YEAR + r")\s+(?:đến|tới)\s+(?:năm\s+)?(?P<d>" + _YEAR + r")(?!\d)",
    re.I,
)
_SENTENCE_END = re.compile(r"[;:!?\n]|\.(?=\s|$)")
_AGREEMENT = re.compile(
    r"thỏa thuận|hợp tác(?!\s+xã)|ký kết|biên bản ghi nhớ|\bMoU\b|"
    r"chương trình phối hợp|ký hợp đồng|đối tác",
    re.I,
)
# Heads of other things a period can belong to; the nearest head before the period wins.
_PLAN = re.compile(
    r"kế hoạch|chương trình(?!\s+phối hợp)|đề án|nghị quyết|(?<!tác )chiến lược|"
    r"quy hoạch|nhiệm kỳ|định hướng|mục tiêu|khóa",
    re.I,
)
MAX_SPAN = 15


def find_periods(text: str, agreement_only: bool = True) -> list[list[int]]:
    """Year ranges in ``text`` in order of first appearance, de-duplicated."""
    text = canonical(text)
    out: list[list[int]] = []
    for m in _RANGE.finditer(text):
        a, b = (m.group("a"), m.group("b")) if m.group("a") else (m.group("c"), m.group("d"))
        start = int(a)
        end = int(b) if len(b) == 4 else (start // 100) * 100 + int(b)
        if not (start < end <= start + MAX_SPAN):
            continue
        if agreement_only and not _tied_to_agreement(text, m.start()):
            continue
        if [start, end] not in out:
            out.append([start, end])
    return out


def _tied_to_agreement(text: str, pos: int) -> bool:
    """An agreement word earlier in the same sentence, closer than any plan/term word."""
    head = text[max(0, pos - 300) : pos]
    cut = max((x.end() for x in _SENTENCE_END.finditer(head)), default=0)
    head = head[cut:]
    agreement = [m.end() for m in _AGREEMENT.finditer(head)]
    plans = [m.end() for m in _PLAN.finditer(head)]
    return bool(agreement) and (not plans or agreement[-1] > plans[-1])


class YearTagger(Enricher):
    """``year`` from the publication date; ``periods``: agreement periods, sorted.

    An undated article keeps the year the pipeline took from its URL's /yyyy/mm/ folder
    (flag ``year_from_url``): a year is never erased for lack of a full date.

    Agreement-context periods count when the article names a partner company (the facet
    answers "what did the province sign with VNPT/Viettel/…, for which years"; a tourism pact
    between three provinces is not that). A period in the headline always counts: it is what
    the article is about ("… thực hiện Đề án chuyển đổi số giai đoạn 2021-2025"). Runs after
    the partner tagger.
    """

    name = "years"

    def enrich(self, article: Article, ctx: EnrichContext) -> None:
        if article.published and article.published[:4].isdigit():
            article.year = int(article.published[:4])
        periods = find_periods(article.title, agreement_only=False)
        if article.partners:
            text = f"{article.title}\n{article.text}"
            periods += [p for p in find_periods(text) if p not in periods]
        article.periods = sorted(periods)
