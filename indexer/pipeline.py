"""Fetched page -> Article: the single place the steps are chained.

The crawler's pipelines, the ``reextract`` command and ``python -m indexer extract`` all call
:func:`build_article`, so a page archived in WARC rebuilds to exactly the Article the crawl made.
(Walking-skeleton version: trafilatura only; issue #4 deepens each step.)
"""
from __future__ import annotations

import hashlib
from typing import Mapping

import trafilatura

from config.sources import Source
from indexer.article import Article


def build_article(body: bytes, url: str, *, headers: Mapping[str, str] | None = None,
                  source: Source | None = None, hints: Mapping[str, str] | None = None) -> Article:
    html = body.decode("utf-8", errors="replace")
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, output_format="python")
    if doc is None:
        return Article(url=url, fetched_url=url, source=source.name if source else "",
                       quality_flags=["no_text"])
    d = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = d.get("text") or ""
    published = d.get("date") or (hints or {}).get("date")
    return Article(
        url=d.get("url") or url, fetched_url=url, title=d.get("title") or "", body=text,
        lead=text.split("\n", 1)[0], published=published, author=d.get("author") or "",
        year=int(published[:4]) if published else None,
        source=source.name if source else "", source_kind=source.kind if source else "",
        source_province=source.province if source else "",
        content_hash=hashlib.sha1(text.encode()).hexdigest(),
    )
