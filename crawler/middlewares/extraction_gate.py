"""Article downloads wait while the extraction backlog is full (:class:`ExtractionGate`).

Only article requests wait: listings, feeds and sitemaps give no work to the extraction workers,
and discovery must go on. A waiting request stays in Scrapy's downloader (it counts towards
CONCURRENT_REQUESTS), so the engine stops taking requests from the scheduler on its own and takes
them again once the gate opens: nothing to pause or resume.
"""

from __future__ import annotations

from scrapy.utils.defer import maybe_deferred_to_future

from crawler.meta import KIND
from crawler.pipelines.write_hub import WriteHub


class ExtractionGateMiddleware:
    def __init__(self, crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_request(self, request):
        if request.meta.get(KIND) != "article":
            return None
        hub = WriteHub.find(self.crawler)  # None: no index pipeline in this crawl
        wait = hub.gate.room() if hub is not None else None
        if wait is not None:
            self.crawler.stats.inc_value("cds/extract/gate_waits")
            await maybe_deferred_to_future(wait)
        return None
