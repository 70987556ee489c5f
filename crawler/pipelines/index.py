"""The crawl's one item pipeline: hand each fetched page to the write service
(:mod:`indexer.writer`) and report what became of it in the crawl state and the stats.

Everything about the write path is the writer's (extraction in worker processes, the topic decided
once, clustering, batches, backend outages, mark-done-after-commit); what stays here is Scrapy's
side of it:

- ``process_item`` waits for the page's extraction only, so Scrapy's item concurrency limits how
  many pages are being extracted while the downloader goes on fetching; the item then carries its
  Article, and an off-topic or non-HTML page is dropped;
- the crawl state: ``previous`` (is this article new, updated, unchanged?) and ``done``, written
  only for what needs no write or once the batch holding the article is committed;
- the writer's requests to pause (too many articles waiting for a backend that is down), resume,
  and give up (down past INDEX_PIPELINE_MAX_OUTAGE_SECONDS: the crawl stops, URLs unmarked), by
  the engine's public ``pause``/``unpause``/``close_spider_async``;
- at the end, the last tries (INDEX_PIPELINE_CLOSE_RETRIES, none once the disk is full), on the
  reactor's timers so the other crawls of a ``crawlall`` go on meanwhile.
"""

from __future__ import annotations

import logging

from scrapy.exceptions import CloseSpider, DropItem
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from twisted.internet import defer

from crawler.crawl_state import CrawlState
from crawler.pipelines.write_hub import ReactorLoop, WriteHub
from indexer.backends import BackendError
from indexer.pipeline import ExtractionError
from indexer.writer import Listener, Page, Writer

logger = logging.getLogger(__name__)


class IndexPipeline(Listener):
    def __init__(self, crawler, hub: WriteHub, owns_hub: bool, state: CrawlState, **writer_args) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.hub = hub
        self.owns_hub = owns_hub
        self.state = state
        self.close_retries = writer_args.pop("close_retries", 3)
        self.writer_args = writer_args
        self.writer: Writer | None = None

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        hub, owned = WriteHub.of(crawler)
        return cls(
            crawler,
            hub,
            owned,
            CrawlState.from_settings(s),
            batch_size=s.getint("INDEX_PIPELINE_BATCH_SIZE"),
            flush_seconds=s.getfloat("INDEX_PIPELINE_FLUSH_SECONDS"),
            max_pending=s.getint("INDEX_PIPELINE_MAX_PENDING"),
            max_outage=s.getfloat("INDEX_PIPELINE_MAX_OUTAGE_SECONDS"),
            close_retries=s.getint("INDEX_PIPELINE_CLOSE_RETRIES"),
            retry_seconds=s.getfloat("INDEX_PIPELINE_RETRY_SECONDS"),
            retry_max_seconds=s.getfloat("INDEX_PIPELINE_RETRY_MAX_SECONDS"),
        )

    def open_spider(self) -> None:
        from twisted.internet import reactor

        try:
            index = self.hub.index()
        except BackendError as exc:
            logger.error("search backend unavailable at the start of the crawl: %s", exc)
            raise CloseSpider("backend_unavailable") from None
        self.writer = Writer(
            index, loop=ReactorLoop(reactor), extractor=self.hub.extractor(), listener=self, **self.writer_args
        )

    async def process_item(self, item):
        extracted = defer.Deferred()
        source = getattr(self.crawler.spider, "source", None)
        self.hub.gate.enter()  # left in extracted(), which the writer calls once per page
        try:
            self.writer.submit(
                Page(item.fetched_url, item.body, item.headers, source, item.hints, token=(item, extracted))
            )
        except BaseException:
            self.hub.gate.leave()
            raise
        return await maybe_deferred_to_future(extracted)

    # -- what the writer reports ------------------------------------------------------------------
    def previous(self, article_id):
        return self.state.article(article_id)

    def extracted(self, entry, error) -> None:
        self.hub.gate.leave()  # the next article downloads may go (crawler.middlewares.extraction_gate)
        item, extracted = entry.page.token
        item.body = b""  # archived already; the article is what goes on
        if isinstance(error, ExtractionError):  # not an HTML page after all (a PDF behind .htm)
            logger.warning("skipped %s: %s", item.fetched_url, error)
            self.stats.inc_value("cds/skipped/not_html_content")
            self.state.mark_done([item.known_url_record(on_topic=0)])
            extracted.errback(DropItem(str(error), log_level="DEBUG"))
            return
        if error is not None:
            logger.error(
                "extraction failed for %s; page kept in the WARC archive, URL left unmarked so the next run retries it",
                item.fetched_url,
                exc_info=(type(error), error, error.__traceback__),
            )
            self.stats.inc_value("cds/errors/extract")
            extracted.errback(DropItem(f"extraction failed: {item.fetched_url}", log_level="DEBUG"))
            return
        article = item.article = entry.article
        item.change = entry.change
        for flag in article.quality_flags:  # legacy encodings, no date, short text...
            self.stats.inc_value(f"cds/quality/{flag}")
        self.stats.inc_value("cds/articles/on_topic" if article.on_topic else "cds/articles/off_topic")
        if entry.change in ("unchanged", "again"):
            self.stats.inc_value(f"cds/articles/{entry.change}")
        if entry.change == "off_topic":
            logger.debug("off-topic (score %.2f): %s", article.topic_score, item.url)
            extracted.errback(DropItem(f"off-topic, score {article.topic_score:.2f}", log_level="DEBUG"))
            return
        extracted.callback(item)

    def settled(self, entry) -> None:
        item, _ = entry.page.token
        self.state.mark_done([item.known_url_record()])

    def committed(self, entries, rejected) -> None:
        done = []
        for entry in entries:
            item, _ = entry.page.token
            if entry.article.id in rejected:
                logger.error(
                    "the backend rejected the article from %s: %s (URL left unmarked)",
                    item.url,
                    rejected[entry.article.id],
                )
                self.stats.inc_value("cds/errors/index")
                continue
            done.append(item)
            if entry.change == "retract":
                self.stats.inc_value("cds/articles/retracted")
            elif entry.change in ("new", "updated"):
                self.stats.inc_value(f"cds/articles/{entry.change}")
        self.state.mark_done([item.known_url_record() for item in done])
        self.stats.inc_value("cds/articles/indexed", sum(1 for i in done if i.article.on_topic))
        self.stats.inc_value("cds/index/commits")

    def failed(self, entries, error) -> None:
        self.stats.inc_value("cds/errors/index", len(entries))

    def backend_error(self, error) -> None:
        self.stats.inc_value("cds/index/backend_errors")

    def pause(self, paused: bool) -> None:
        engine = self.crawler.engine
        if engine is None:
            return
        if paused:
            self.stats.inc_value("cds/index/pauses")
            engine.pause()
        else:
            engine.unpause()  # the engine goes on at its next heartbeat or response

    def give_up(self) -> None:
        if self.crawler.engine is not None:
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="backend_unavailable"))

    # -- the end ----------------------------------------------------------------------------------
    async def close_spider(self) -> None:
        if self.writer is None:
            if self.owns_hub:
                self.hub.close()
            return
        disk_full = bool(self.stats.get_value("cds/errors/disk_full"))  # crawler.extensions.disk_guard
        ended = defer.Deferred()
        self.writer.close(0 if disk_full else self.close_retries, ended.callback)  # no room comes by waiting
        left = await maybe_deferred_to_future(ended)
        if left:
            self.stats.set_value("cds/index/uncommitted", left)
            logger.log(
                logging.INFO if disk_full else logging.ERROR,
                "%s at the end of the crawl: %d articles not committed; their URLs stay "
                "unmarked, so the next run fetches them again",
                "disk full" if disk_full else "backend still unavailable",
                left,
            )
        if self.owns_hub:
            self.hub.close()
