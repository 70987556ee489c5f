"""Backend-neutral search request and result.

Views and the JSON API build a :class:`SearchQuery`; each backend translates it (tantivy
query objects, Elasticsearch request bodies) inside ``indexer/backends``. Nothing outside
the backends ever builds engine-specific queries.

Validation lives here, not in each backend or view, so a bad parameter is rejected the same
way everywhere with a :class:`QueryError` whose message can be shown to the user as is.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from indexer.article import Article
from indexer.normalize import canonical_lines

FACETS = ("province", "province_current", "partner", "year", "kind", "source", "published_year", "agreement_year")
# Facets whose values are years: ``year`` = published_year ∪ agreement_year (kept for API clients),
# ``published_year`` the year of publication only, ``agreement_year`` every year of a stated
# agreement period only (so a 2022 story about a 2021-2026 agreement is 2022 in the first).
YEAR_FACETS = ("year", "published_year", "agreement_year")
SORTS = ("relevance", "newest", "oldest")
MAX_PER_PAGE = 100
# Deep paging is what scrapers do, not readers; Elasticsearch refuses past 10,000 by default.
MAX_RESULT_WINDOW = 10_000
MAX_FILTER_VALUES = 50
# Dates a news archive can hold. Wider ranges are typos or probes, and the far ends of
# Python's calendar (year 1, 9999) overflow the epoch-second bounds the engines filter on.
MIN_YEAR, MAX_YEAR = 1900, 2100
# ASCII digits only: str.isdigit() also accepts "²" or "٢", which int() then refuses.
YEAR_RE = re.compile(r"[0-9]{4}")


class QueryError(ValueError):
    """The request itself is wrong (bad date, unknown sort, page too deep): a 400, never a 500."""


def _parse_day(name: str, value: str | None) -> str | None:
    if value is None or value == "":
        return None
    try:
        day = dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise QueryError(f"{name} phải là ngày dạng YYYY-MM-DD (nhận được {str(value)[:40]!r})") from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise QueryError(f"{name} phải là ngày trong khoảng năm {MIN_YEAR}–{MAX_YEAR} (nhận được {day.isoformat()})")
    return day.isoformat()


@dataclass
class SearchQuery:
    text: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)  # facet name -> OR-ed values
    date_from: str | None = None  # YYYY-MM-DD, inclusive, Vietnam time
    date_to: str | None = None  # YYYY-MM-DD, inclusive
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    include_duplicates: bool = False  # False: one canonical copy per syndication cluster
    include_off_topic: bool = False

    def __post_init__(self) -> None:
        if self.sort not in SORTS:
            raise QueryError(f"sort phải là một trong: {', '.join(SORTS)}")
        unknown = set(self.filters) - set(FACETS)
        if unknown:
            raise QueryError(f"bộ lọc không hợp lệ: {', '.join(sorted(unknown))}")
        clean: dict[str, list[str]] = {}
        for name, values in self.filters.items():
            if isinstance(values, str):
                values = [values]
            # Same normalization as the indexed facet values, so "Thanh Hoá" selects "Thanh Hóa".
            vals = list(dict.fromkeys(canonical_lines(str(v)) for v in values if str(v).strip()))
            if len(vals) > MAX_FILTER_VALUES:
                raise QueryError(f"quá nhiều giá trị cho bộ lọc {name} (tối đa {MAX_FILTER_VALUES})")
            if name in YEAR_FACETS and not all(YEAR_RE.fullmatch(v) for v in vals):
                raise QueryError(f"{name} phải là năm gồm 4 chữ số, ví dụ 2024")
            if vals:
                clean[name] = vals
        self.filters = clean
        self.date_from = _parse_day("from", self.date_from)
        self.date_to = _parse_day("to", self.date_to)
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise QueryError("ngày bắt đầu (from) phải trước ngày kết thúc (to)")
        try:
            self.page = max(1, int(self.page))
            self.per_page = min(MAX_PER_PAGE, max(1, int(self.per_page)))
        except (TypeError, ValueError):
            raise QueryError("page và per_page phải là số nguyên") from None
        if self.page * self.per_page > MAX_RESULT_WINDOW:
            raise QueryError(f"chỉ xem được {MAX_RESULT_WINDOW} kết quả đầu; hãy thu hẹp tìm kiếm")

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def effective_sort(self) -> str:
        """With no words to rank by, "relevance" would be arbitrary: show the newest first."""
        if self.sort == "relevance" and not self.has_words:
            return "newest"
        return self.sort

    @property
    def has_words(self) -> bool:
        """Text with something to rank by: not "", "OR", "( )", an emoji, only exclusions. Read
        by the query language's own parser, so the two never disagree."""
        if not self.text.strip():
            return False
        from indexer.backends.query_text import parse_text  # the backends import this module

        root = parse_text(self.text).root
        return root is not None and bool(root.children)


@dataclass
class Hit:
    article: Article
    score: float
    snippet: str = ""  # HTML with <b> around matched words, escaped otherwise
    title_html: str = ""  # the title, escaped, with matched words in <b>


@dataclass
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]  # facet -> [(value, count)], count desc
    took_ms: float = 0.0
    # Provinces and partners the query names: [{"facet", "value", "text"}] (offered as filters).
    detected: list[dict[str, str]] = field(default_factory=list)
    did_you_mean: str | None = None  # a correction that finds more, when this finds little
