"""Facts added to an Article after extraction: provinces, partners, years/periods, kind, topic.

The extension point is :class:`indexer.enrichment.base.Enricher`; built-ins are listed in
``BUILTINS`` and chosen by the ENRICHERS setting.
"""

from indexer.enrichment.base import BUILTINS, EnrichContext, Enricher, load_enrichers, run_enrichers

__all__ = ["BUILTINS", "EnrichContext", "Enricher", "load_enrichers", "run_enrichers"]
