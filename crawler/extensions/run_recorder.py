"""Every run of every source, recorded in the crawl state: start, end, why it ended, pages,
new/updated/off-topic articles, skips and errors. ``scrapy sources`` turns it into source health.

The row is written when the crawl opens, so a killed run still shows (with no end). A second run
refused by the source lock is only logged: it did no work and must not hide the real run's result.
"""
from __future__ import annotations

import logging

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.crawl_state import CrawlState

logger = logging.getLogger(__name__)

OK_REASONS = ("finished", "closespider_pagecount", "closespider_timeout", "closespider_itemcount")


def run_counts(stats: dict) -> dict[str, int]:
    """The figures a run is judged by, from Scrapy's stats (also used by the crawlall progress)."""
    def total(prefix):
        return sum(v for k, v in stats.items() if k.startswith(prefix) and isinstance(v, (int, float)))
    return {
        "pages": stats.get("response_received_count", 0),
        "articles_new": stats.get("cds/articles/new", 0),
        "articles_updated": stats.get("cds/articles/updated", 0),
        "off_topic": stats.get("cds/articles/off_topic", 0),
        "skipped": (total("cds/skipped/") - stats.get("cds/skipped/total", 0)
                    + stats.get("robotstxt/forbidden", 0)),
        "errors": total("cds/errors/") + stats.get("cds/index/uncommitted", 0),
    }


class RunRecorder:
    def __init__(self, state: CrawlState, crawler) -> None:
        self.state = state
        self.crawler = crawler
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("RUN_RECORDER_ENABLED"):
            raise NotConfigured
        ext = cls(CrawlState.from_settings(crawler.settings), crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider) -> None:
        if not getattr(spider, "source_name", "") or (
                getattr(spider, "close_reason", "") == "source_locked" and spider.config_error):
            return
        self.run_id = self.state.start_run(getattr(spider, "source_name", "") or spider.name)

    def spider_closed(self, spider, reason: str) -> None:
        if self.run_id is None:
            return
        stats = self.crawler.stats.get_stats()
        counts = run_counts(stats)
        # a page the archive could not store fails the run too: the archive is what reextract
        # rebuilds from, and a failed run makes the next one walk every listing again
        ok = (reason in OK_REASONS and not stats.get("cds/index/uncommitted")
              and not stats.get("cds/errors/warc")
              and not (counts["pages"] == 0 and counts["errors"] > 0))
        self.state.finish_run(self.run_id, reason, ok, counts, stats)
        logger.info("run of %s %s (%s): %d pages, %d new and %d updated articles, %d off-topic, "
                    "%d skipped, %d errors", getattr(spider, "source_name", spider.name),
                    "ok" if ok else "FAILED", reason, counts["pages"], counts["articles_new"],
                    counts["articles_updated"], counts["off_topic"], counts["skipped"], counts["errors"])
