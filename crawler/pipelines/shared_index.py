"""What every crawl in one process shares with the others: the search backend and the duplicate
clusterer, and the one batch write the index pipeline runs in the backend thread.

One of each per process because tantivy allows a single writer, and syndicated copies must be
matched across all sources crawled together (``scrapy crawlall``). ``scrapy reextract`` uses
the same clusterer start and the same clustering of a batch.
"""
from __future__ import annotations

from twisted.internet import defer

from indexer.backends import load_backend
from indexer.backends.base import IndexingError


class SharedIndex:
    """The backend and the duplicate clusterer of every crawl in this process writing to it."""

    _open: dict[tuple, "SharedIndex"] = {}

    def __init__(self, backend, clusterer) -> None:
        self.backend = backend
        self.clusterer = clusterer
        self.users = 0
        self.lock = defer.DeferredLock()     # one batch in the backend thread at a time
        self.resave: set[str] = set()        # stored articles whose cluster verdict changed

    @classmethod
    def acquire(cls, settings) -> "SharedIndex":
        key = (settings.BACKEND, str(settings.DATA_DIR), settings.ES_URL, settings.ES_INDEX)
        if key not in cls._open:
            backend = load_backend(settings)
            cls._open[key] = cls(backend, start_clusterer(backend, settings))
            cls._open[key].key = key
        shared = cls._open[key]
        shared.users += 1
        return shared

    def release(self) -> None:
        self.users -= 1
        if self.users <= 0:
            self._open.pop(self.key, None)
            self.backend.close()

    def cluster(self, article) -> None:
        if self.clusterer is not None:
            self.clusterer.add(article)
            self.resave.update(self.clusterer.pop_updates())

    def verdicts(self, articles: list) -> dict[str, tuple[str, bool]]:
        """Give ``articles`` their current cluster fields; take the stored articles to re-save
        (with theirs). Called on the reactor thread, so the clusterer is never shared with the
        backend thread."""
        if self.clusterer is None:
            return {}
        for a in articles:
            self.clusterer.apply(a)
        self.resave.difference_update(a.id for a in articles)
        taken = {aid: st for aid in self.resave if (st := self.clusterer.state(aid))}
        self.resave.clear()
        return taken


def start_clusterer(backend, settings):
    """A clusterer primed with the stored articles (re-saving any whose cluster moved), or None
    when indexer/duplicates is not available."""
    try:
        from indexer.duplicates import DuplicateClusterer
    except ImportError:
        return None
    clusterer, changed = DuplicateClusterer.rebuild(
        backend.iter_articles(), threshold=float(getattr(settings, "DUPLICATE_THRESHOLD", 0.7)))
    if changed:
        backend.index(changed)
        backend.commit()
    return clusterer


def cluster_duplicates(backend, clusterer, articles: list) -> list:
    """Give each new article its syndication cluster; returns stored articles whose canonical
    status changed because of them, to be written in the same batch (``scrapy reextract``)."""
    if clusterer is None:
        return []
    for article in articles:
        clusterer.add(article)
    batch = {a.id: a for a in articles}
    also = []
    for aid in clusterer.pop_updates():
        if aid in batch:
            clusterer.apply(batch[aid])
        else:
            stored = backend.get(aid)
            if stored is not None:
                also.append(clusterer.apply(stored))
    return also


def write_batch(backend, keep: list, retract: list[str], resave: dict[str, tuple[str, bool]]) -> dict:
    """One committed batch; returns the ids the backend rejected.

    Runs in a reactor thread, one batch at a time (SharedIndex.lock). That is safe for tantivy:
    its IndexWriter is not bound to the thread that made it, the embedded backend serializes
    writer calls under its own lock, and readers (``get``) may run beside a writer. The
    Elasticsearch client is thread-safe. Only backend calls happen here: the crawl state and
    the clusterer stay on the reactor thread."""
    also = []
    for aid, (cluster_id, canonical) in resave.items():
        stored = backend.get(aid)
        if stored is not None:
            stored.cluster_id, stored.is_canonical = cluster_id, canonical
            also.append(stored)
    rejected: dict[str, str] = {}
    if keep or also:
        try:
            backend.index(keep + also)
        except IndexingError as exc:          # the rest of the batch was written
            rejected = exc.failed
    if retract:
        backend.delete(retract)
    backend.commit()
    return rejected
