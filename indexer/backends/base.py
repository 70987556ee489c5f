"""The one interface every search backend implements.

Declared here so the crawler pipeline, the CLI and the Flask views depend on this module only;
the shared contract suite (tests/indexer/backends/test_contract.py) runs against every backend.
"""
from __future__ import annotations

import abc
from typing import Iterable

from indexer.article import Article
from indexer.query import SearchQuery, SearchResult


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
    def from_settings(cls, settings) -> "SearchBackend": ...

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

    @abc.abstractmethod
    def search(self, query: SearchQuery) -> SearchResult: ...

    @abc.abstractmethod
    def count(self) -> int: ...

    @abc.abstractmethod
    def iter_articles(self) -> Iterable[Article]:
        """Every stored article: used for re-clustering and exports."""

    def clear(self) -> None:
        """Drop everything (tests, full re-index)."""
        self.delete([a.id for a in self.iter_articles()])
        self.commit()

    def close(self) -> None:
        pass
