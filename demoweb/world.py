"""Everything the demo web serves, built once: per-site article stores with ids and indexes.

Generated articles are merged here, so listings, sitemaps and feeds cover them like the
hand-written ones; their bodies are only composed when a page or the truth asks for them.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

from .model import Article, load_site_content
from .registry import ID_RANGES, build_specs
from .sites import SiteSpec


@dataclass
class SiteStore:
    spec: SiteSpec
    articles: list[Article] = field(default_factory=list)  # newest first
    by_id: dict[int, Article] = field(default_factory=dict)
    by_slug: dict[str, Article] = field(default_factory=dict)
    by_cat: dict[str, list[Article]] = field(default_factory=dict)

    def add(self, arts: list[Article]) -> None:
        self.articles.extend(arts)

    def finish(self) -> None:
        first, span = ID_RANGES[self.spec.name]
        used: set[int] = set()
        for a in sorted(self.articles, key=lambda a: a.slug):
            if a.generated:
                continue
            if not a.id:
                a.id = first + zlib.crc32(a.slug.encode()) % span
                while a.id in used:
                    a.id += 1
            if a.id in used:
                raise ValueError(f"{self.spec.name}: duplicate id {a.id} ({a.slug})")
            used.add(a.id)
        nxt = first + span
        for a in self.articles:
            if a.generated:
                a.id, nxt = nxt, nxt + 1
        for a in self.articles:
            if not a.views:
                a.views = 40 + zlib.crc32(a.slug.encode()) % 2400
            if a.category not in self.spec.categories:
                raise ValueError(f"{a.source_file or a.slug}: unknown category {a.category!r}")
        self.articles.sort(key=lambda a: (a.date, a.id), reverse=True)
        self.by_id = {a.id: a for a in self.articles}
        self.by_slug = {a.slug: a for a in self.articles}
        if len(self.by_slug) != len(self.articles):
            raise ValueError(f"{self.spec.name}: duplicate slugs")
        self.by_cat = {c: [a for a in self.articles if a.category == c] for c in self.spec.categories}

    def date_display(self, a: Article) -> str:
        return a.date_display or self.spec.date_display


def build_world(articles: int | None = None, seed: int = 1) -> dict[str, SiteStore]:
    stores = {spec.name: SiteStore(spec) for spec in build_specs()}
    for name, store in stores.items():
        store.add(load_site_content(name))
    if articles:
        from .generator import generate

        for art in generate(articles, seed, {n: s.spec for n, s in stores.items()}):
            stores[art.site].add([art])
    for store in stores.values():
        store.finish()
    return stores
