"""SearchResult -> what the templates and the JSON API show (labels, facet groups, dicts).

Province facet choice: readers in 2026 think in the 34 current provinces, but articles from
2019–2025 name the 63 legacy ones. The sidebar therefore facets on the *current* province and
lists under each one the legacy names found in the results ("Thái Nguyên — gồm Bắc Kạn (2)"),
each clickable as its own (legacy) filter.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from indexer.article import Article
from indexer.enrichment.admin_units import to_current
from indexer.query import FACETS, MAX_RESULT_WINDOW, Hit, SearchQuery, SearchResult
from search_ui.params import toggled

# The query language and the diacritics rule, said once for the page's help and the API index.
QUERY_SYNTAX = [
    (
        "tuyển dụng",
        "Mỗi từ được tìm nguyên vẹn: “tuyển dụng” khớp “tuyển dụng”, không khớp “Tuyên Quang … "
        "ứng dụng”. Các từ đều phải có trong bài (AND).",
    ),
    (
        "Thanh Hóa / thanh hoa",
        "Âm tiết gõ có dấu chỉ khớp đúng âm tiết đó (hoá = hóa, kỹ = kĩ); âm tiết gõ "
        "không dấu khớp mọi dấu: “thanh hoa” tìm được “Thanh Hóa”.",
    ),
    ('"kinh tế số"', "Ngoặc kép: cả cụm, đúng thứ tự, không vượt qua dấu câu."),
    ("VNPT OR Viettel", "OR (hoặc |): một trong các từ, cụm từ hay nhóm. AND không bắt buộc."),
    ('-Viettel, NOT Viettel, -"Hà Giang"', "Dấu trừ (hoặc NOT): loại bài có từ hoặc cụm từ đó."),
    (
        "Thanh Hóa ký với VNPT 2021",
        "Hư từ (với, của, nào…) không bắt buộc. Một năm khớp con số đó hoặc các bài của năm đó "
        "(đăng trong năm, hoặc thỏa thuận có hiệu lực năm đó).",
    ),
    ("(VNPT OR Viettel) Thanh Hóa", "Ngoặc đơn: nhóm các điều kiện."),
    (
        "CĐS, VNPT",
        "Viết tắt và tên đối tác tìm cả tên đầy đủ: CĐS = chuyển đổi số, VNPT = Tập đoàn Bưu chính "
        "Viễn thông Việt Nam.",
    ),
]
QUERY_SYNTAX_EN = (
    "Words, not syllables: the query is segmented into Vietnamese words (pyvi plus the product's "
    "dictionaries of provinces, partners, abbreviations and terms); each word must appear as "
    "adjacent syllables, words are ANDed. A syllable typed with diacritics matches only that "
    "syllable (old and new tone placement are equal: hoá = hóa, thuỷ = thủy; kỹ = kĩ); a syllable "
    'typed without diacritics matches any diacritics. Syntax: "quoted phrase", -word, '
    '-"phrase", A OR B (or A | B), AND, NOT word, parentheses for groups. Function words (với, '
    "của, nào…) are optional. A year (2021) matches the number or the articles of that year. "
    "Malformed input is read leniently, never an error. `detected` lists the provinces, partners "
    "and years the query names (filter with them: province=..., partner=..., year=...); "
    "`did_you_mean` is a correction that finds more results, "
    "given when the query finds fewer than 3."
)
FACET_NAMES_VI = {"province": "tỉnh", "partner": "đối tác", "year": "năm"}

KIND_LABELS = {"agreement": "Thỏa thuận hợp tác", "report": "Báo cáo", "research": "Nghiên cứu", "news": "Tin tức"}
SORT_LABELS = {"relevance": "Liên quan nhất", "newest": "Mới nhất", "oldest": "Cũ nhất"}
FACET_TITLES = {
    "province_current": "Tỉnh, thành phố",
    "partner": "Đối tác",
    "year": "Năm",
    "published_year": "Năm đăng",
    "agreement_year": "Năm hiệu lực thỏa thuận",
    "kind": "Loại bài",
    "source": "Nguồn",
}
# Publication year and agreement years apart: one 2022 story about a 2021-2026 agreement is 2022
# under "Năm đăng" and 2021-2026 under "Năm hiệu lực" (the API's ``year`` is still their union).
SIDEBAR = ("province_current", "partner", "published_year", "agreement_year", "kind")
YEAR_BOXES = ("year", "published_year", "agreement_year")
FACET_HELP = {
    "year": "năm đăng hoặc năm hiệu lực thỏa thuận",
    "agreement_year": "mọi năm trong giai đoạn thỏa thuận mà bài nêu",
}
# What each facet counts, for API clients (``facet_descriptions`` in /api/search).
FACET_DESCRIPTIONS = {
    "province": "Tỉnh, thành phố được nhắc trong bài, theo tên trước khi sáp nhập (7/2025).",
    "province_current": "Tỉnh, thành phố hiện nay (sau sáp nhập 7/2025) của các tỉnh được nhắc trong bài.",
    "partner": "Doanh nghiệp đối tác được nhắc trong bài (VNPT, Viettel, MobiFone, FPT...).",
    "year": (
        "Năm đăng bài, cộng mọi năm trong giai đoạn hiệu lực của thỏa thuận hợp tác mà bài nêu "
        "(thỏa thuận 2021-2025 được đếm ở cả 5 năm), nên một bài có thể thuộc nhiều năm và có thể "
        "có năm trong tương lai. Trường years của mỗi bài liệt kê các năm này."
    ),
    "published_year": "Năm đăng bài (chỉ năm đăng).",
    "agreement_year": (
        "Mọi năm trong giai đoạn hiệu lực của thỏa thuận hợp tác mà bài nêu (thỏa thuận 2021-2025 "
        "được đếm ở cả 5 năm); bài không nêu giai đoạn nào thì không có giá trị."
    ),
    "kind": "Loại bài: agreement (thỏa thuận hợp tác), report (báo cáo), research (nghiên cứu), news (tin tức).",
    "source": "Nguồn thu thập: value là mã nguồn (dùng để lọc, ?source=), label là tên nguồn.",
}
FIELD_LABELS = {
    "title": "Tiêu đề",
    "url": "Địa chỉ gốc",
    "id": "Mã",
    "lead": "Sapo",
    "body": "Nội dung",
    "published": "Ngày đăng",
    "author": "Tác giả",
    "image": "Ảnh",
    "language": "Ngôn ngữ",
    "fetched_url": "Địa chỉ đã tải",
    "fetched_at": "Thời điểm tải",
    "source": "Mã nguồn",
    "source_title": "Nguồn",
    "source_kind": "Loại nguồn",
    "source_province": "Tỉnh của nguồn",
    "provinces": "Tỉnh (trước 7/2025)",
    "provinces_current": "Tỉnh (hiện nay)",
    "primary_province": "Tỉnh chính (cũ)",
    "primary_province_current": "Tỉnh chính (hiện nay)",
    "partners": "Đối tác",
    "partner_mentions": "Đối tác được nhắc ở",
    "year": "Năm đăng",
    "periods": "Giai đoạn thỏa thuận",
    "years": "Năm (đăng hoặc hiệu lực thỏa thuận)",
    "kind": "Loại bài",
    "topic_score": "Điểm chủ đề",
    "on_topic": "Đúng chủ đề CĐS",
    "cluster_id": "Cụm bài trùng",
    "is_canonical": "Bản gốc của cụm",
    "quality_flags": "Cảnh báo chất lượng",
    "content_hash": "Mã băm nội dung",
}


@lru_cache(maxsize=256)
def current_of(legacy: str) -> str:
    """Legacy province -> its July-2025 successor; "" if unknown (then shown on its own)."""
    return to_current(legacy)


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    url: str
    legacy: list[FacetValue] = field(default_factory=list)


@dataclass
class FacetBox:
    name: str
    title: str
    values: list[FacetValue]
    help: str = ""


def value_label(facet: str, value: str, source_titles: Mapping[str, str] | None = None) -> str:
    """What a facet value reads as: kinds in Vietnamese, sources by title; the value is unchanged."""
    if facet == "kind":
        return KIND_LABELS.get(value, value)
    if facet == "source":
        return (source_titles or {}).get(value) or value
    return value


def facet_boxes(result: SearchResult, q: SearchQuery, source_titles: Mapping[str, str] | None = None) -> list[FacetBox]:
    boxes = []
    for name in SIDEBAR:
        chosen = q.filters.get(name, [])
        vals = [
            FacetValue(v, value_label(name, v, source_titles), c, v in chosen, toggled(q, name, v))
            for v, c in result.facets.get(name, [])
        ]
        if name in YEAR_BOXES:
            vals.sort(key=lambda fv: fv.value, reverse=True)
        if name == "province_current":
            by_current = {fv.value: fv for fv in vals}
            for legacy, count in result.facets.get("province", []):
                parent = by_current.get(current_of(legacy))
                # A legacy filter is shown (to be unticked) even when it bears the current name.
                if parent is not None and (legacy != parent.value or legacy in q.filters.get("province", [])):
                    parent.legacy.append(
                        FacetValue(
                            legacy,
                            legacy,
                            count,
                            legacy in q.filters.get("province", []),
                            toggled(q, "province", legacy),
                        )
                    )
        boxes.append(FacetBox(name, FACET_TITLES[name], vals, FACET_HELP.get(name, "")))
    return boxes


def shown_day(iso: str) -> str:
    """A validated YYYY-MM-DD as Vietnamese readers write it: DD/MM/YYYY."""
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}"


def describe_query(q: SearchQuery, source_titles: Mapping[str, str] | None = None, max_text: int = 120) -> str:
    """A search in words, for a feed's title: “VNPT” · Thanh Hóa · 2024 (values of one facet are OR-ed)."""
    parts = []
    text = " ".join(q.text.split())
    if text:
        parts.append(f"“{text if len(text) <= max_text else text[:max_text].rstrip() + '…'}”")
    for facet in FACETS:
        values = q.filters.get(facet, [])
        if values:
            parts.append(" hoặc ".join(value_label(facet, v, source_titles) for v in values))
    if q.date_from and q.date_to:
        parts.append(f"{shown_day(q.date_from)}–{shown_day(q.date_to)}")
    elif q.date_from or q.date_to:
        parts.append(f"từ {shown_day(q.date_from)}" if q.date_from else f"đến {shown_day(q.date_to)}")
    if q.include_duplicates:
        parts.append("kể cả bản đăng lại")
    if q.include_off_topic:
        parts.append("kể cả bài ngoài chủ đề")
    return " · ".join(parts) or "tất cả bài viết"


def reading_paragraphs(a: Article) -> list[str]:
    """Body paragraphs for the article page, under the lead (the body never holds the lead)."""
    return [p.strip() for p in a.body.split("\n\n") if p.strip()]


def article_dict(a: Article) -> dict:
    d = a.to_dict()
    d["years"] = a.years_covered()
    return d


def hit_dict(h: Hit) -> dict:
    d = article_dict(h.article)
    d.pop("body", None)  # the API lists results; /api/articles/<id> has the full text
    d.update(score=round(h.score, 4), snippet=h.snippet, title_html=h.title_html)
    return d


def page_count(total: int, per_page: int) -> int:
    """Pages a reader can open: deep pages past MAX_RESULT_WINDOW are refused, so not offered."""
    return max(1, min(-(-total // per_page), MAX_RESULT_WINDOW // per_page))


def result_dict(result: SearchResult, q: SearchQuery, source_titles: Mapping[str, str] | None = None) -> dict:
    return {
        "total": result.total,
        "page": q.page,
        "per_page": q.per_page,
        "pages": page_count(result.total, q.per_page),
        "took_ms": result.took_ms,
        "query": {
            "q": q.text,
            "filters": q.filters,
            "from": q.date_from,
            "to": q.date_to,
            "sort": q.sort,
            "effective_sort": q.effective_sort,
            "duplicates": q.include_duplicates,
            "off_topic": q.include_off_topic,
        },
        "hits": [hit_dict(h) for h in result.hits],
        "facets": {
            f: [{"value": v, "count": c, "label": value_label(f, v, source_titles)} for v, c in vals]
            for f, vals in result.facets.items()
        },
        "facet_descriptions": dict(FACET_DESCRIPTIONS),
        "detected": list(result.detected),
        "did_you_mean": result.did_you_mean,
    }


def page_numbers(page: int, pages: int, width: int = 2) -> list[int | None]:
    """1 … 4 5 [6] 7 8 … 20 — None marks a gap."""
    keep = {1, pages} | set(range(max(1, page - width), min(pages, page + width) + 1))
    out: list[int | None] = []
    for n in sorted(keep):
        if out and n - (out[-1] or 0) > 1:
            out.append(None)
        out.append(n)
    return out
