"""Source id -> the title journalists know it by, for labelling the ``source`` facet.

Each hit carries its own ``source_title`` (set at crawl time), but a facet lists sources that
may have no hit on the page, so the labels come from the sources file the crawler reads
(setting SOURCES_FILE), with the titles seen on the page's hits as a fallback. A missing or
broken sources file only costs the labels: the facet then shows ids, never an error page.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping
from functools import lru_cache

from config.sources import SourceError, load_sources
from indexer.article import Article
from indexer.query import Hit

log = logging.getLogger(__name__)


@lru_cache(maxsize=8)
def _titles(path: str, mtime: float) -> Mapping[str, str]:
    errors: list[SourceError] = []
    try:
        sources = load_sources(path, errors=errors)
    except Exception as e:  # unreadable file or YAML: labels fall back to ids
        log.warning("source titles unavailable from %s: %s", path, e)
        return {}
    return {s.name: s.title for s in sources if s.title}


def configured_titles(path: str | None) -> Mapping[str, str]:
    """Titles from the sources file; re-read when the file changes."""
    if not path:
        return {}
    try:
        mtime = os.stat(path).st_mtime
    except OSError:
        return {}
    return _titles(str(path), mtime)


def source_titles(path: str | None, hits: Iterable[Hit | Article] = ()) -> dict[str, str]:
    """Configured titles, then titles carried by the hits' articles for sources the file lacks."""
    articles = [getattr(h, "article", h) for h in hits]
    titles = {a.source: a.source_title for a in articles if a.source and a.source_title}
    titles.update(configured_titles(path))
    return titles
