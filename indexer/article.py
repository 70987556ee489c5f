"""The one Article type every part of CĐS Radar passes around.

Crawler pipelines build it, backends store it, the UI and the JSON API show it. Keeping one
plain dataclass (not an ORM row, not a Scrapy item) means the backends can be swapped and
the ``reextract`` command can rebuild the same object from the WARC archive.

The lead (sapo) is a field of its own and the body never repeats it: :func:`lead_and_body` is
the one rule that puts them together, wherever the whole text is wanted (search, enrichment,
near-duplicates, agreements); the article page shows the lead, styled, above the body.
Articles stored before that (the lead glued to the body's front) are read apart again by
:meth:`Article.from_dict`, so an old index needs no rebuild.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
from dataclasses import dataclass, field
from typing import Any


def lead_and_body(lead: str, body: str) -> str:
    """The whole text as a reader meets it: the lead, a blank line, the body (either may be empty)."""
    return "\n\n".join(x for x in ((lead or "").strip(), (body or "").strip()) if x)


def body_without_lead(lead: str, body: str) -> str:
    """``body`` stored before the lead became its own field held the lead as one of its first
    paragraphs (usually the first): that copy is dropped. A body that never held it is returned
    as it is, so this is safe on every stored article."""
    key = " ".join((lead or "").split())
    if not key or not body:
        return body
    paras = body.split("\n\n", 4)
    for i, para in enumerate(paras[:4]):
        if " ".join(para.split()) == key:
            return "\n\n".join(paras[:i] + paras[i + 1 :]).strip()
    return body


def article_id(url: str) -> str:
    """Stable id from the canonical URL, so re-crawls overwrite instead of duplicating."""
    return hashlib.sha1(url.encode("utf-8")).hexdigest()[:20]


@dataclass
class Article:
    url: str  # canonical URL (falls back to the fetched URL)
    title: str = ""
    # the sapo, else the first paragraph; never repeated in body ("doc": the API's description)
    lead: str = field(
        default="",
        metadata={
            "doc": "Sapo (đoạn mở đầu) của bài, hoặc đoạn đầu tiên khi trang không có sapo; body không lặp lại nó"
        },
    )
    # the paragraphs after the lead, joined by "\n\n", canonical tone marks
    body: str = field(
        default="",
        metadata={"doc": "Nội dung sau sapo, các đoạn cách nhau bằng một dòng trống; toàn văn là lead rồi body"},
    )
    published: str | None = None  # ISO 8601 with +07:00, e.g. 2021-11-11T15:00:00+07:00
    author: str = ""
    image: str = ""
    language: str = "vi"
    fetched_url: str = ""  # the URL the page was actually fetched from
    fetched_at: str | None = None
    source: str = ""  # source name (id) from config/sources.yaml
    source_title: str = ""  # its display name ("Cổng TTĐT tỉnh Thanh Hóa"), if configured
    source_kind: str = ""  # portal / press / partner
    source_province: str = ""  # legacy province of the source, if any
    # enrichment
    provinces: list[str] = field(default_factory=list)  # legacy (63) names mentioned
    provinces_current: list[str] = field(default_factory=list)  # current (34) names
    primary_province: str = ""
    primary_province_current: str = ""
    partners: list[str] = field(default_factory=list)  # canonical partner names
    partner_mentions: dict[str, list[str]] = field(default_factory=dict)  # name -> fields found in
    year: int | None = None  # year of publication (from the date, else the URL's /yyyy/mm/)
    periods: list[list[int]] = field(default_factory=list)  # agreement periods [[2021, 2025]]
    kind: str = "news"  # agreement / report / research / news
    topic_score: float = 0.0
    on_topic: bool = True
    cluster_id: str = ""  # near-duplicate cluster (syndicated copies)
    is_canonical: bool = True
    quality_flags: list[str] = field(default_factory=list)
    content_hash: str = ""

    @property
    def id(self) -> str:
        return article_id(self.url)

    @property
    def text(self) -> str:
        """Lead and body as one text (:func:`lead_and_body`)."""
        return lead_and_body(self.lead, self.body)

    @property
    def source_label(self) -> str:
        """The source as readers should see it: its title, else its id (older index entries)."""
        return self.source_title or self.source

    def to_dict(self) -> dict[str, Any]:
        """Every field as plain data (copies, like ``dataclasses.asdict``, without its deepcopy of
        every string: this runs once per article indexed)."""
        d = {f.name: _plain(getattr(self, f.name)) for f in _FIELDS}
        d["id"] = self.id
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        names = {f.name for f in dataclasses.fields(cls)}
        kept = {k: v for k, v in d.items() if k in names}
        if isinstance(kept.get("lead"), str) and isinstance(kept.get("body"), str):
            kept["body"] = body_without_lead(kept["lead"], kept["body"])
        return cls(**kept)

    def years_covered(self) -> list[int]:
        """Publication year plus every year inside an agreement period: the year facet."""
        ys = {self.year} if self.year else set()
        for start, end in self.periods:
            ys.update(range(start, end + 1))
        return sorted(ys)


_FIELDS = dataclasses.fields(Article)
_ATOMS = (str, int, float, bool, type(None))


def _plain(value: Any) -> Any:
    """``dataclasses.asdict``'s copy for the values an Article holds."""
    if isinstance(value, _ATOMS):
        return value
    if isinstance(value, list):
        return [_plain(x) for x in value]
    if isinstance(value, tuple):
        return tuple(_plain(x) for x in value)
    if isinstance(value, dict):
        return {_plain(k): _plain(x) for k, x in value.items()}
    return dataclasses.asdict(value) if dataclasses.is_dataclass(value) else copy.deepcopy(value)
