"""The one interface every search backend implements.

Declared here so the crawler pipeline, the CLI and the Flask views depend on this module only;
the shared contract suite (tests/indexer/backends/test_contract.py) runs against every backend.
"""

from __future__ import annotations

import abc
import dataclasses
from collections.abc import Iterable, Iterator

from indexer.article import Article
from indexer.backends.query_text import ParsedText, parse_text
from indexer.lexicon import Lexicon, load_lexicon
from indexer.query import Hit, SearchQuery, SearchResult
from indexer.suggest import SUGGEST_BELOW, correct


class BackendError(RuntimeError):
    """The backend cannot be reached or refused a request; callers keep their data and retry."""


class IndexingError(BackendError):
    """Some articles of an ``index()`` batch were not written; the others were.

    ``failed`` maps article id -> reason, so the caller (the crawler pipeline) can retry
    exactly those articles later instead of losing them or re-sending the whole batch.
    """

    def __init__(self, message: str, *, failed: dict[str, str], written: int = 0) -> None:
        super().__init__(f"{message}: " + "; ".join(f"{k}: {v}" for k, v in list(failed.items())[:5]))
        self.failed = dict(failed)
        self.written = written


class SearchBackend(abc.ABC):
    @classmethod
    @abc.abstractmethod
    def from_settings(cls, settings) -> SearchBackend: ...

    @abc.abstractmethod
    def index(self, articles: Iterable[Article]) -> int:
        """Add or replace articles by id; returns how many were written. Visible after ``commit``.

        Raises :class:`IndexingError` (after writing the rest) when some articles failed.
        """

    @abc.abstractmethod
    def commit(self) -> None: ...

    @abc.abstractmethod
    def get(self, article_id: str) -> Article | None: ...

    @abc.abstractmethod
    def delete(self, article_ids: Iterable[str]) -> None: ...

    lexicon: Lexicon | None = None  # the query dictionaries (set from settings by from_settings)

    def search(self, query: SearchQuery) -> SearchResult:
        """Parse the text once (:mod:`query_text`), run it, and say what the query names and,
        when it finds little, which correction would find more (:mod:`indexer.suggest`)."""
        lexicon = self.lexicon or load_lexicon()
        parsed = parse_text(query.text, lexicon)
        result = self.run(query, parsed)
        result.detected = [{"facet": w.facet, "value": w.value, "text": w.typed} for w in parsed.detected]
        if result.total < SUGGEST_BELOW and query.page == 1 and not parsed.is_empty:
            fixed = correct(query.text, lexicon)
            if fixed:
                probe = dataclasses.replace(query, text=fixed, per_page=1)
                if self.run(probe, parse_text(fixed, lexicon)).total > result.total:
                    result.did_you_mean = fixed
        return result

    @abc.abstractmethod
    def run(self, query: SearchQuery, parsed: ParsedText) -> SearchResult:
        """Hits and facet counts for ``query`` whose text is ``parsed``: the engine's own part."""

    @abc.abstractmethod
    def export_hits(self, query: SearchQuery, limit: int | None = None) -> Iterator[Hit]:
        """Every hit of ``query`` in its order, up to ``limit``, from one snapshot of the index and
        past the engine's result window (exports): no facet counts, no page size."""

    @abc.abstractmethod
    def count(self) -> int: ...

    @abc.abstractmethod
    def iter_articles(self) -> Iterable[Article]:
        """Every stored article: used for re-clustering and exports."""

    def clear(self) -> None:
        """Drop everything (tests, full re-index)."""
        self.delete([a.id for a in self.iter_articles()])
        self.commit()

    def close(self) -> None:  # noqa: B027 - optional: most backends hold nothing to release
        """Release the engine's resources (a backend with none keeps this no-op)."""
