"""The held-out tagging cases, tagged as build_article would tag them.

Shared by tests/indexer/test_heldout_tagging.py (a floor that can fail) and bench/tagging.py
(the figures), so both score exactly the same thing.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from config.sources import Source
from indexer.article import Article
from indexer.enrichment import EnrichContext, run_enrichers
from indexer.pipeline import enrichers_for

HELDOUT = Path(__file__).resolve().parent / "fixtures" / "heldout_tagging.yaml"


def load_cases(path: Path = HELDOUT) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]


def tag_case(case: dict, enrichers=None) -> Article:
    lead, rest = (case.get("lead") or "").strip(), (case.get("body") or "").strip()
    body = "\n\n".join(p.strip() for p in rest.split("\n") if p.strip())  # after the lead
    province = case.get("source_province") or ""
    source = Source(
        name="heldout", kind="portal" if province else "press", allowed_domains=["heldout.invalid"], province=province
    )
    article = Article(
        url=f"https://heldout.invalid/{case['id']}",
        title=case["title"],
        lead=lead,
        body=body,
        source="heldout",
        source_province=province,
    )
    return run_enrichers(article, enrichers or enrichers_for(None), EnrichContext(source=source))


def heldout_articles(path: Path = HELDOUT):
    """(case, Article) for each held-out case."""
    enrichers = enrichers_for(None)
    for case in load_cases(path):
        yield case, tag_case(case, enrichers)
