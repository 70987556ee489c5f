"""Backend-neutral search request and result.

Views and the JSON API build a :class:`SearchQuery`; each backend translates it (tantivy
query objects, Elasticsearch request bodies) inside ``indexer/backends``. Nothing outside
the backends ever builds engine-specific queries.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from indexer.article import Article

FACETS = ("province", "province_current", "partner", "year", "kind", "source")
SORTS = ("relevance", "newest", "oldest")


@dataclass
class SearchQuery:
    text: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)  # facet name -> OR-ed values
    date_from: str | None = None      # YYYY-MM-DD
    date_to: str | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    include_duplicates: bool = False  # False: one canonical copy per syndication cluster
    include_off_topic: bool = False

    def __post_init__(self) -> None:
        if self.sort not in SORTS:
            raise ValueError(f"sort must be one of {', '.join(SORTS)}")
        unknown = set(self.filters) - set(FACETS)
        if unknown:
            raise ValueError(f"unknown filter(s): {', '.join(sorted(unknown))}")
        self.page = max(1, int(self.page))
        self.per_page = min(100, max(1, int(self.per_page)))


@dataclass
class Hit:
    article: Article
    score: float
    snippet: str = ""      # HTML with <b> around matched words, escaped otherwise


@dataclass
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]   # facet -> [(value, count)], count desc
    took_ms: float = 0.0
