"""Write articles to the search backend in committed batches; only then mark their URLs done.

That order is the crawl's durability contract: a URL is "done" in the known-URL store only once
its article is committed, so a crawl killed at any moment is redone from the first uncommitted
page, and upserts by Article.id make redoing harmless.

Backend calls run in a thread (one batch at a time per backend), so a slow or unreachable
Elasticsearch (10 s timeouts, retried) never stalls the reactor that fetches pages. When the
backend is down (BackendError) the articles are kept and only a retry timer tries again, with
growing delays: new items never trigger a write while it is down. Past
INDEX_PIPELINE_MAX_PENDING kept articles the engine is paused until a write succeeds; after
INDEX_PIPELINE_MAX_OUTAGE_SECONDS paused the crawl stops. Articles still uncommitted at the end
leave their URLs unmarked, so the next run fetches them again: nothing is lost. The retry timer
is the pipeline's own, so a paused crawl resumes even with INDEX_PIPELINE_FLUSH_SECONDS = 0
(which only means a partial batch waits until it is full or the crawl ends).

Each accepted article is clustered once (syndicated copies), when it arrives; a batch only
reads the clusterer's current verdict, so retries cost no re-clustering.
"""
from __future__ import annotations

import logging

from scrapy.exceptions import CloseSpider
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from twisted.internet import task, threads
from twisted.python.failure import Failure

from config.settings import Settings
from crawler.crawl_state import CrawlState
from crawler.pipelines.shared_index import (SharedIndex, cluster_duplicates, start_clusterer,
                                            write_batch)
from indexer.backends import BackendError

logger = logging.getLogger(__name__)

__all__ = ["IndexPipeline", "SharedIndex", "cluster_duplicates", "start_clusterer"]


class IndexPipeline:
    def __init__(self, crawler, cds, state: CrawlState, batch_size: int, flush_seconds: float,
                 max_pending: int, max_outage: float, close_retries: int = 3,
                 retry_seconds: float = 2.0, retry_max_seconds: float = 60.0) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.cds = cds
        self.state = state
        self.batch_size = max(1, batch_size)
        self.flush_seconds = flush_seconds
        self.max_pending = max(1, max_pending)
        self.max_outage = max_outage
        self.close_retries = close_retries
        self.retry_seconds = max(0.05, retry_seconds)
        self.retry_max_seconds = max(self.retry_seconds, retry_max_seconds)
        self.pending: list = []
        self._this_run: set[str] = set()
        self._clustered: dict[str, str] = {}     # article id -> content hash clustered this run
        self.backend = None
        self.shared: SharedIndex | None = None
        self.clock = None
        self._loop = None
        self._flushing = None          # the running flush (a Deferred), one at a time
        self._retry = None             # the retry timer while the backend is down
        self._delay = 0.0
        self._down_since = 0.0
        self._paused = False
        self._closing = False

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        return cls(crawler, Settings.from_scrapy(s), CrawlState.from_settings(s),
                   s.getint("INDEX_PIPELINE_BATCH_SIZE"), s.getfloat("INDEX_PIPELINE_FLUSH_SECONDS"),
                   s.getint("INDEX_PIPELINE_MAX_PENDING"), s.getfloat("INDEX_PIPELINE_MAX_OUTAGE_SECONDS"),
                   s.getint("INDEX_PIPELINE_CLOSE_RETRIES"), s.getfloat("INDEX_PIPELINE_RETRY_SECONDS"),
                   s.getfloat("INDEX_PIPELINE_RETRY_MAX_SECONDS"))

    def open_spider(self) -> None:
        from twisted.internet import reactor
        self.clock = reactor
        try:
            self.shared = SharedIndex.acquire(self.cds)
        except BackendError as exc:
            logger.error("search backend unavailable at the start of the crawl: %s", exc)
            raise CloseSpider("backend_unavailable") from None
        self.backend = self.shared.backend
        if self.flush_seconds > 0:     # a partial batch waits at most this long
            self._loop = task.LoopingCall(self._flush_soon, True)
            self._loop.clock = self.clock
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
        if article.on_topic and self._clustered.get(article.id) != article.content_hash:
            self.shared.cluster(article)
            self._clustered[article.id] = article.content_hash
        self.pending.append(item)
        if len(self.pending) >= self.max_pending:
            self._pause()
        self._flush_soon()
        return item

    # -- flushing -------------------------------------------------------------------------------
    def _flush_soon(self, partial: bool = False) -> None:
        """Start a flush when a batch is full (or ``partial``, from the timer), unless one is
        running or the backend is down: then the running flush or the retry timer takes it."""
        if self._flushing is not None or self._down_since or self._closing or not self.pending:
            return
        if partial or self._paused or len(self.pending) >= self.batch_size:
            self._start(self._drain())

    def _start(self, coro) -> None:
        self._flushing = d = deferred_from_coro(coro)
        d.addBoth(self._flush_ended)           # at once if it already ended

    def _flush_ended(self, result) -> None:
        self._flushing = None
        if isinstance(result, Failure):
            logger.error("index flush failed: %s", result.getTraceback())

    async def _drain(self) -> None:
        """Flush; again while a full batch (or, paused, anything) is waiting: items keep arriving
        while a batch is written."""
        await self.flush()
        while self.pending and not self._down_since and not self._closing and (
                self._paused or len(self.pending) >= self.batch_size):
            await self.flush()

    async def flush(self) -> bool:
        """Write and commit everything pending as one batch; True when nothing is left pending."""
        if not self.pending:
            return True
        lock = self.shared.lock
        await maybe_deferred_to_future(lock.acquire())
        try:
            return await self._write_pending()
        finally:
            lock.release()

    async def _write_pending(self) -> bool:
        batch = list(self.pending)
        keep = [i.article for i in batch if i.article.on_topic]
        retract = [i.article.id for i in batch if not i.article.on_topic]
        resave = self.shared.verdicts(keep)
        try:
            rejected = await maybe_deferred_to_future(
                threads.deferToThread(write_batch, self.backend, keep, retract, resave))
        except BackendError as exc:
            self.shared.resave.update(resave)
            self._backend_down(exc)
            return False
        except Exception:
            self.shared.resave.update(resave)
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
        self._backend_up(len(batch))
        return not self.pending

    # -- backend outages ------------------------------------------------------------------------
    def _backend_down(self, exc) -> None:
        self.stats.inc_value("cds/index/backend_errors")
        now = self.clock.seconds()
        if self._down_since:
            self._delay = min(2 * self._delay, self.retry_max_seconds)
        else:
            self._down_since, self._delay = now, self.retry_seconds
        then = "" if self._closing else f", next try in {self._delay:.1f}s"
        if now == self._down_since:
            logger.warning("search backend unavailable (%s): keeping %d articles%s", exc,
                           len(self.pending), then)
        else:
            logger.info("search backend still unavailable after %.0fs: %d articles kept%s",
                        now - self._down_since, len(self.pending), then)
        if self._closing:
            return                     # close_spider makes its own last tries
        if len(self.pending) >= self.max_pending:
            self._pause()
        if self._paused and now - self._down_since > self.max_outage:
            logger.error("search backend down for over %.0fs with the crawl paused: stopping it; "
                         "%d articles stay uncommitted and their URLs unmarked", self.max_outage,
                         len(self.pending))
            self._closing = True
            self._set_paused(False)
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="backend_unavailable"))
            return
        self._retry = self.clock.callLater(self._delay, self._retry_now)

    def _retry_now(self) -> None:
        self._retry = None
        if self._flushing is None and not self._closing:
            self._start(self._drain())

    def _backend_up(self, written: int) -> None:
        if self._down_since:
            logger.warning("search backend is back after %.0fs: %d articles committed",
                           self.clock.seconds() - self._down_since, written)
            self._down_since = 0.0
        if self._paused and len(self.pending) < self.max_pending:
            logger.warning("resuming the crawl")
            self._set_paused(False)

    def _pause(self) -> None:
        if not self._paused and not self._closing and self.crawler.engine:
            logger.warning("%d articles waiting for the search backend: pausing the crawl",
                           len(self.pending))
            self.stats.inc_value("cds/index/pauses")
            self._set_paused(True)

    def _set_paused(self, paused: bool) -> None:
        self._paused = paused
        engine = self.crawler.engine
        if engine is None:
            return
        if paused:
            engine.pause()
            return
        engine.unpause()
        slot = getattr(engine, "_slot", None)     # go on now, not at the engine's next 5 s heartbeat
        if slot is not None and hasattr(slot, "nextcall"):
            slot.nextcall.schedule()

    # -- closing --------------------------------------------------------------------------------
    async def close_spider(self) -> None:
        """Last tries, ``1 + attempt`` seconds apart, without blocking the reactor: in crawlall
        the other sources go on crawling meanwhile."""
        self._closing = True
        if self._loop and self._loop.running:
            self._loop.stop()
        if self._retry is not None and self._retry.active():
            self._retry.cancel()
        if self._flushing is not None:
            await maybe_deferred_to_future(self._flushing)
        if self.shared is None:
            return
        disk_full = bool(self.stats.get_value("cds/errors/disk_full"))   # crawler.extensions.disk_guard
        retries = 0 if disk_full else self.close_retries                 # no room will appear by waiting
        for attempt in range(1 + retries):
            if await self.flush():
                break
            if attempt < retries:
                logger.warning("closing with %d articles waiting for the search backend: trying "
                               "again in %ds (%d of %d)", len(self.pending), 1 + attempt, attempt + 1,
                               self.close_retries)
                await maybe_deferred_to_future(task.deferLater(self.clock, 1 + attempt, lambda: None))
        if self.pending:
            self.stats.set_value("cds/index/uncommitted", len(self.pending))
            logger.log(logging.INFO if disk_full else logging.ERROR,
                       "%s at the end of the crawl: %d articles not committed; their URLs stay "
                       "unmarked, so the next run fetches them again",
                       "disk full" if disk_full else "backend still unavailable", len(self.pending))
        self.shared.release()
