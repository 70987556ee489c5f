"""Page bytes -> Article, through indexer.pipeline.build_article and nothing else, so a crawl and
``scrapy reextract`` (from the WARC archive) produce the same Article from the same bytes.

Extraction is the crawl's CPU cost (~15-20 ms a page, against ~1 ms to fetch one locally), so
with EXTRACT_PIPELINE_WORKERS > 0 it runs in worker processes while the reactor keeps fetching;
one pool per process serves every crawler of a ``crawlall``. Same function, same inputs: the
result does not depend on where it ran. The inputs include the run's CĐS settings (ENRICHERS,
PARTNERS_FILE, TOPIC_THRESHOLD, from ``-s CDS_*`` or the environment), sent as a plain dict so
a worker builds the same enrichers the crawler process would.
"""
from __future__ import annotations

import asyncio
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from scrapy.exceptions import DropItem

from config.settings import Settings
from crawler.crawl_state import CrawlState
from indexer.pipeline import ExtractionError, build_article

logger = logging.getLogger(__name__)

_pool: list = [None, 0]          # shared ProcessPoolExecutor, number of pipelines using it


def _die_with_parent() -> None:
    """Worker initializer: a crawl killed with SIGKILL must not leave its workers behind."""
    try:
        import ctypes
        import signal
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _acquire_pool(workers: int) -> ProcessPoolExecutor | None:
    if workers <= 0:
        return None
    if _pool[0] is None:
        # spawn: a fork of a running reactor (threads, sockets, SQLite handles) is not safe
        _pool[0] = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                       initializer=_die_with_parent)
    _pool[1] += 1
    return _pool[0]


def _release_pool() -> None:
    _pool[1] -= 1
    if _pool[1] <= 0 and _pool[0] is not None:
        _pool[0].shutdown(wait=True, cancel_futures=True)
        _pool[0] = None


class ExtractPipeline:
    def __init__(self, crawler, state: CrawlState, workers: int, settings: dict | None = None) -> None:
        self.crawler = crawler
        self.state = state
        self.workers = workers
        self.settings = settings          # plain values: picklable for the worker processes
        self.pool: ProcessPoolExecutor | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, CrawlState.from_settings(crawler.settings),
                   crawler.settings.getint("EXTRACT_PIPELINE_WORKERS"),
                   Settings.from_scrapy(crawler.settings).as_dict())

    def open_spider(self) -> None:
        self.pool = _acquire_pool(self.workers)

    def close_spider(self) -> None:
        if self.pool is not None:
            _release_pool()
            self.pool = None

    async def _build(self, item, source):
        args = (item.body, item.fetched_url)
        kwargs = {"headers": item.headers, "source": source, "hints": item.hints,
                  "settings": self.settings}
        if self.pool is None:
            return build_article(*args, **kwargs)
        try:
            return await asyncio.wrap_future(self.pool.submit(build_article, *args, **kwargs))
        except BrokenProcessPool:                   # a worker died (OOM?): do it here instead
            logger.warning("extraction worker died; extracting %s in the crawler process", item.fetched_url)
            return build_article(*args, **kwargs)

    async def process_item(self, item):
        source = getattr(self.crawler.spider, "source", None)
        try:
            item.article = await self._build(item, source)
        except ExtractionError as exc:           # not an HTML page after all (a PDF behind .htm)
            logger.warning("skipped %s: %s", item.fetched_url, exc)
            self.crawler.stats.inc_value("cds/skipped/not_html_content")
            self.state.mark_done([item.known_url_record(on_topic=0)])
            raise DropItem(str(exc), log_level="DEBUG") from None
        except Exception:
            logger.exception("extraction failed for %s; page kept in the WARC archive, "
                             "URL left unmarked so the next run retries it", item.fetched_url)
            self.crawler.stats.inc_value("cds/errors/extract")
            raise DropItem(f"extraction failed: {item.fetched_url}", log_level="DEBUG") from None
        for flag in item.article.quality_flags:     # legacy encodings, no date, short text...
            self.crawler.stats.inc_value(f"cds/quality/{flag}")
        return item
