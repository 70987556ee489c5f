"""The enricher extension point: every fact we add to an Article after extraction goes through it.

Declared once here (like Datasette's hookspecs) so the built-ins (provinces, partners, years
and periods, kind, topic) and any later ones are written against the same contract, run in one
order, and can be switched on or off by the ENRICHERS setting without touching the pipeline.
Near-duplicate clustering is NOT an enricher: it needs the other articles, so it lives in
:mod:`indexer.duplicates` and runs over a batch or stream.
"""

from __future__ import annotations

import abc
import importlib
import logging
from dataclasses import dataclass, field
from typing import Any, ClassVar

from indexer.article import Article

logger = logging.getLogger(__name__)

# name -> "module:Class"; the ENRICHERS setting lists names from here or dotted "module:Class".
BUILTINS: dict[str, str] = {
    "provinces": "indexer.enrichment.provinces:ProvinceTagger",
    "partners": "indexer.enrichment.partners:PartnerTagger",
    "years": "indexer.enrichment.periods:YearTagger",
    "kind": "indexer.enrichment.kind:KindClassifier",
    "topic": "indexer.enrichment.topic:TopicScorer",
}


@dataclass
class EnrichContext:
    """What an enricher may know besides the Article: where it came from and crawl hints."""

    source: Any = None  # config.sources.Source or None
    hints: dict[str, str] = field(default_factory=dict)
    category: str = ""  # listing/breadcrumb category, when known


class Enricher(abc.ABC):
    """One enrichment step. Subclasses set ``name`` and implement :meth:`enrich`.

    ``from_settings`` reads only the enricher's own settings and passes plain values to
    ``__init__`` (Scrapy's from_crawler habit), so tests build enrichers the way production does.
    """

    name: ClassVar[str] = ""

    @classmethod
    def from_settings(cls, settings: Any) -> Enricher:
        return cls()

    @abc.abstractmethod
    def enrich(self, article: Article, ctx: EnrichContext) -> None:
        """Set fields on ``article`` in place. Must not raise on odd text."""


def _load_class(spec: str) -> type[Enricher]:
    module, _, attr = BUILTINS.get(spec, spec).partition(":")
    cls = getattr(importlib.import_module(module), attr)
    if not (isinstance(cls, type) and issubclass(cls, Enricher)):
        raise TypeError(f"{spec} is not an Enricher")
    return cls


def load_enrichers(settings: Any, names: str | list[str] | None = None) -> list[Enricher]:
    """Build the enrichers named in ``names`` or the ENRICHERS setting, in that order.

    ``settings`` is required: each enricher reads its own settings from it (PARTNERS_FILE,
    TOPIC_THRESHOLD), and a silent fallback to the defaults once made the crawl ignore them.
    """
    if settings is None:
        raise TypeError("load_enrichers() needs the run's settings (config.settings.Settings)")
    if names is None:
        names = settings.ENRICHERS
    if isinstance(names, str):
        names = [n.strip() for n in names.split(",") if n.strip()]
    return [_load_class(n).from_settings(settings) for n in names]


def run_enrichers(article: Article, enrichers: list[Enricher], ctx: EnrichContext) -> Article:
    """Apply each enricher; one that fails flags the article (and logs why) instead of losing it."""
    for enricher in enrichers:
        try:
            enricher.enrich(article, ctx)
        except Exception as exc:  # noqa: BLE001 - keep the article, say why
            logger.warning("enricher %s failed on %s", enricher.name, article.url or article.fetched_url, exc_info=True)
            article.quality_flags.append(f"enricher_failed:{enricher.name}:{type(exc).__name__}")
    return article
