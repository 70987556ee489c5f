"""The one Article type every part of CĐS Radar passes around.

Crawler pipelines build it, backends store it, the UI and the JSON API show it. Keeping one
plain dataclass (not an ORM row, not a Scrapy item) means the backends can be swapped and
the ``reextract`` command can rebuild the same object from the WARC archive.
"""
from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from typing import Any


def article_id(url: str) -> str:
    """Stable id from the canonical URL, so re-crawls overwrite instead of duplicating."""
    return hashlib.sha1(url.encode("utf-8")).hexdigest()[:20]


@dataclass
class Article:
    url: str                                   # canonical URL (falls back to the fetched URL)
    title: str = ""
    lead: str = ""                             # sapo / first paragraph
    body: str = ""                             # paragraphs joined by "\n\n", canonical tone marks
    published: str | None = None               # ISO 8601 with +07:00, e.g. 2021-11-11T15:00:00+07:00
    author: str = ""
    image: str = ""
    language: str = "vi"
    fetched_url: str = ""                      # the URL the page was actually fetched from
    fetched_at: str | None = None
    source: str = ""                           # source name (id) from config/sources.yaml
    source_title: str = ""                     # its display name ("Cổng TTĐT tỉnh Thanh Hóa"), if configured
    source_kind: str = ""                      # portal / press / partner
    source_province: str = ""                  # legacy province of the source, if any
    # enrichment
    provinces: list[str] = field(default_factory=list)          # legacy (63) names mentioned
    provinces_current: list[str] = field(default_factory=list)  # current (34) names
    primary_province: str = ""
    primary_province_current: str = ""
    partners: list[str] = field(default_factory=list)           # canonical partner names
    partner_mentions: dict[str, list[str]] = field(default_factory=dict)  # name -> fields found in
    year: int | None = None                    # year of publication (from the date, else the URL's /yyyy/mm/)
    periods: list[list[int]] = field(default_factory=list)      # agreement periods [[2021, 2025]]
    kind: str = "news"                         # agreement / report / research / news
    topic_score: float = 0.0
    on_topic: bool = True
    cluster_id: str = ""                       # near-duplicate cluster (syndicated copies)
    is_canonical: bool = True
    quality_flags: list[str] = field(default_factory=list)
    content_hash: str = ""

    @property
    def id(self) -> str:
        return article_id(self.url)

    @property
    def source_label(self) -> str:
        """The source as readers should see it: its title, else its id (older index entries)."""
        return self.source_title or self.source

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["id"] = self.id
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Article":
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})

    def years_covered(self) -> list[int]:
        """Publication year plus every year inside an agreement period: the year facet."""
        ys = {self.year} if self.year else set()
        for start, end in self.periods:
            ys.update(range(start, end + 1))
        return sorted(ys)
