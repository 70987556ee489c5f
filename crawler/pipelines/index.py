"""Write articles to the search backend in committed batches; only then mark their URLs done.

That order is the crawl's durability contract: a URL is "done" in the known-URL store only once
its article is committed, so a crawl killed at any moment is redone from the first uncommitted
page, and upserts by Article.id make redoing harmless.

When the backend is down (BackendError) the batch is kept and retried on the next flush; past
INDEX_PIPELINE_MAX_PENDING kept articles the engine is paused until the backend is back. If it
is still down when the crawl ends, the URLs stay unmarked and the next run fetches them again.
"""
from __future__ import annotations

import logging
import time

from scrapy.exceptions import CloseSpider
from scrapy.utils.defer import deferred_from_coro
from twisted.internet import task

from crawler.config_bridge import cds_settings
from crawler.crawl_state import CrawlState
from indexer.backends import BackendError, load_backend
from indexer.backends.base import IndexingError

logger = logging.getLogger(__name__)

class SharedIndex:
    """The backend and the duplicate clusterer, one of each per process: tantivy allows a single
    writer, and syndicated copies must be matched across all sources crawled together."""

    _open: dict[tuple, "SharedIndex"] = {}

    def __init__(self, backend, clusterer) -> None:
        self.backend = backend
        self.clusterer = clusterer
        self.users = 0

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
    status changed because of them, to be written in the same batch."""
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


class IndexPipeline:
    def __init__(self, crawler, cds, state: CrawlState, batch_size: int, flush_seconds: float,
                 max_pending: int, max_outage: float, close_retries: int = 3) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.cds = cds
        self.state = state
        self.batch_size = max(1, batch_size)
        self.flush_seconds = flush_seconds
        self.max_pending = max_pending
        self.max_outage = max_outage
        self.close_retries = close_retries
        self.pending: list = []
        self._this_run: set[str] = set()
        self.backend = None
        self.shared: SharedIndex | None = None
        self._loop = None
        self._down_since = 0.0
        self._paused = False

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        return cls(crawler, cds_settings(s), CrawlState.from_settings(s),
                   s.getint("INDEX_PIPELINE_BATCH_SIZE"), s.getfloat("INDEX_PIPELINE_FLUSH_SECONDS"),
                   s.getint("INDEX_PIPELINE_MAX_PENDING"), s.getfloat("INDEX_PIPELINE_MAX_OUTAGE_SECONDS"),
                   s.getint("INDEX_PIPELINE_CLOSE_RETRIES"))

    def open_spider(self) -> None:
        try:
            self.shared = SharedIndex.acquire(self.cds)
        except BackendError as exc:
            logger.error("search backend unavailable at the start of the crawl: %s", exc)
            raise CloseSpider("backend_unavailable") from None
        self.backend = self.shared.backend
        if self.flush_seconds > 0:
            self._loop = task.LoopingCall(self.flush)
            self._loop.start(self.flush_seconds, now=False)

    def process_item(self, item):
        article = item.article
        previous = self.state.article(article.id)
        if article.id in self._this_run:
            item.change = "again"         # a second URL of an article already handled this run
        elif previous is None:
            item.change = "new"
        elif previous["content_hash"] != article.content_hash or not previous["on_topic"]:
            item.change = "updated"
        else:
            item.change = "unchanged"     # refetched, same text: nothing to write
        self._this_run.add(article.id)
        if item.change in ("unchanged", "again") and article.on_topic:
            self.stats.inc_value(f"cds/articles/{item.change}")
            if item.change == "unchanged":
                self.state.mark_done([item.known_url_record()])
                return item
        self.pending.append(item)
        if len(self.pending) >= self.batch_size:
            self.flush()
        return item

    def flush(self) -> bool:
        """Commit what is pending; True when nothing is left pending."""
        if not self.pending:
            return True
        batch = list(self.pending)
        keep = [i.article for i in batch if i.article.on_topic]
        retract = [i.article.id for i in batch if not i.article.on_topic]
        rejected: dict[str, str] = {}
        try:
            keep += cluster_duplicates(self.backend, self.shared.clusterer, keep)
            if keep:
                try:
                    self.backend.index(keep)
                except IndexingError as exc:       # the rest of the batch was written
                    rejected = exc.failed
            if retract:
                self.backend.delete(retract)
            self.backend.commit()
        except BackendError as exc:
            self._backend_down(exc)
            return False
        except Exception:
            logger.exception("indexing a batch of %d articles failed; their URLs stay unmarked and "
                             "are fetched again next run", len(batch))
            self.stats.inc_value("cds/errors/index", len(batch))
            del self.pending[:len(batch)]
            return not self.pending
        del self.pending[:len(batch)]
        for i in [i for i in batch if i.article.id in rejected]:
            logger.error("the backend rejected the article from %s: %s (URL left unmarked)",
                         i.url, rejected[i.article.id])
            self.stats.inc_value("cds/errors/index")
        batch = [i for i in batch if i.article.id not in rejected]
        self.state.mark_done([i.known_url_record() for i in batch])
        for i in batch:
            if not i.article.on_topic:
                self.stats.inc_value("cds/articles/retracted")
            elif i.change in ("new", "updated"):
                self.stats.inc_value(f"cds/articles/{i.change}")
        self.stats.inc_value("cds/articles/indexed", sum(1 for i in batch if i.article.on_topic))
        self.stats.inc_value("cds/index/commits")
        if self._down_since:
            logger.warning("backend is back after %.0fs: %d articles committed",
                           time.monotonic() - self._down_since, len(batch))
            self._down_since = 0.0
        if self._paused:
            self._paused = False
            self.crawler.engine.unpause()
        return not self.pending

    def _backend_down(self, exc) -> None:
        self.stats.inc_value("cds/index/backend_errors")
        if not self._down_since:
            self._down_since = time.monotonic()
            logger.warning("search backend unavailable (%s): keeping %d articles and retrying",
                           exc, len(self.pending))
        if len(self.pending) >= self.max_pending and not self._paused and self.crawler.engine:
            logger.warning("%d articles waiting for the backend: pausing the crawl", len(self.pending))
            self._paused = True
            self.crawler.engine.pause()
        elif self._paused and time.monotonic() - self._down_since > self.max_outage:
            logger.error("backend down for over %.0fs: stopping the crawl", self.max_outage)
            self._paused = False
            self.crawler.engine.unpause()
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="backend_unavailable"))

    def close_spider(self) -> None:
        if self._loop and self._loop.running:
            self._loop.stop()
        for attempt in range(1 + self.close_retries):
            if self.flush():
                break
            if attempt < self.close_retries:
                time.sleep(1 + attempt)
        if self.pending:
            self.stats.set_value("cds/index/uncommitted", len(self.pending))
            logger.error("backend still unavailable at the end of the crawl: %d articles not "
                         "committed; their URLs stay unmarked, so the next run fetches them again",
                         len(self.pending))
        if self.shared:
            self.shared.release()
