"""Every run of every source, recorded in the crawl state: start, end, why it ended, its outcome,
pages, new/updated/off-topic articles, skips and errors. ``scrapy sources`` turns it into source
health.

The outcome is honest about what the run leaves behind:
- FAILED: it did not end normally (killed by a limit, backend or disk gone...), left articles
  uncommitted, fetched nothing but failures, or more than RUN_FAILED_ERROR_RATE of its fetches
  failed;
- DEGRADED: some fetches failed (they are debts, retried later), the source still owes URLs, or
  pages could not be archived or indexed;
- OK: everything it found was fetched and settled.

The row is written when the crawl opens, so a killed run still shows (with no end). A second run
refused by the source lock is only logged: it did no work and must not hide the real run's result.
"""

from __future__ import annotations

import logging
import sqlite3

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
        "skipped": (total("cds/skipped/") - stats.get("cds/skipped/total", 0) + stats.get("robotstxt/forbidden", 0)),
        "errors": total("cds/errors/") + stats.get("cds/index/uncommitted", 0),
    }


def run_outcome(reason: str, stats: dict, debts_left: int, max_error_rate: float) -> tuple[str, str]:
    """(OK | DEGRADED | FAILED, why) for a run that ended with ``reason`` and ``stats``."""
    ok, failed = stats.get("cds/fetch/ok", 0), stats.get("cds/fetch/failed", 0)
    rate = failed / (ok + failed) if ok + failed else 0.0
    if reason not in OK_REASONS:
        return "FAILED", f"ended by {reason}"
    if stats.get("cds/index/uncommitted"):
        return "FAILED", f"{stats['cds/index/uncommitted']} articles left uncommitted"
    if failed and not ok:
        return "FAILED", f"all {failed} fetches failed"
    if rate > max_error_rate:
        return "FAILED", f"{failed} of {ok + failed} fetches failed ({rate:.0%} > {max_error_rate:.0%})"
    problems = []
    if failed:
        problems.append(f"{failed} of {ok + failed} fetches failed")
    if debts_left:
        problems.append(f"{debts_left} URLs owed")
    if stats.get("cds/errors/warc"):
        problems.append(f"{stats['cds/errors/warc']} pages not archived")
    if stats.get("cds/errors/index"):
        problems.append(f"{stats['cds/errors/index']} articles not indexed")
    return ("DEGRADED", "; ".join(problems)) if problems else ("OK", "")


class RunRecorder:
    def __init__(self, state: CrawlState, crawler, max_error_rate: float = 0.8) -> None:
        self.state = state
        self.crawler = crawler
        self.max_error_rate = max_error_rate
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("RUN_RECORDER_ENABLED"):
            raise NotConfigured
        ext = cls(
            CrawlState.from_settings(crawler.settings), crawler, crawler.settings.getfloat("RUN_FAILED_ERROR_RATE")
        )
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider) -> None:
        if not getattr(spider, "source_name", "") or (
            getattr(spider, "close_reason", "") == "source_locked" and spider.config_error
        ):
            return
        self.run_id = self.state.start_run(getattr(spider, "source_name", "") or spider.name)

    def spider_closed(self, spider, reason: str) -> None:
        name = getattr(spider, "source_name", "") or spider.name
        if self.run_id is None:
            if getattr(spider, "close_reason", "") != "source_locked":
                self.crawler.stats.set_value("cds/run/outcome", "FAILED")
            return
        stats = self.crawler.stats.get_stats()
        if stats.get("cds/errors/disk_full"):  # tripped while this run was already closing:
            reason = "disk_full"  # its last commits met the full disk too
        counts = run_counts(stats)
        # a page the archive could not store degrades the run: the archive is what reextract
        # rebuilds from, and a run that is not OK makes the next one walk every listing again
        debts_left = len(self.state.debts(name))
        outcome, why = run_outcome(reason, stats, debts_left, self.max_error_rate)
        self.crawler.stats.set_value("cds/run/outcome", outcome)
        self.crawler.stats.set_value("cds/run/outcome_why", why)
        self.crawler.stats.set_value("cds/debts/left", debts_left)
        try:
            self.state.finish_run(self.run_id, reason, outcome, counts, self.crawler.stats.get_stats())
        except sqlite3.OperationalError as exc:  # disk full: the run stays unended, like a kill
            logger.error("run of %s could not be recorded: %s", name, exc)
        level = logging.INFO if outcome == "OK" else logging.WARNING
        logger.log(
            level,
            "run of %s %s (%s%s): %d pages, %d new and %d updated articles, %d off-topic, %d skipped, %d errors",
            name,
            outcome,
            reason,
            f": {why}" if why else "",
            counts["pages"],
            counts["articles_new"],
            counts["articles_updated"],
            counts["off_topic"],
            counts["skipped"],
            counts["errors"],
        )
