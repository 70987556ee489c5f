"""Scrapy's duplicate filter, plus two things a news crawl needs.

An article URL that redirects to a page also reached directly is let through once, so the
known-URL store learns the old URL too (otherwise every run would follow the redirect again).
Redirect loops, which would otherwise vanish as silent duplicates, are logged and counted.

Fingerprints persist in JOBDIR as usual: the job directory is only kept when it is sound (a
graceful stop with every fetched article committed, see crawler.job_state), so a persisted
fingerprint always means "committed, or still in the persisted queue".
"""

from __future__ import annotations

import logging

from scrapy.dupefilters import RFPDupeFilter

from crawler.meta import KIND

logger = logging.getLogger(__name__)


class CrawlDupeFilter(RFPDupeFilter):
    @classmethod
    def from_crawler(cls, crawler):
        obj = super().from_crawler(crawler)
        obj.stats = crawler.stats
        return obj

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.stats = None

    def request_seen(self, request) -> bool:
        chain = request.meta.get("redirect_urls") or []
        if request.meta.get(KIND) == "article" and chain and request.url not in chain:
            # an article URL that redirects to a page also reached directly: fetch it anyway, so
            # the known-URL store learns the old URL too (else every run would follow it again)
            return False
        seen = super().request_seen(request)
        if seen and request.url in chain:
            logger.warning("redirect loop skipped: %s", " -> ".join([*chain, request.url]))
            if self.stats:
                self.stats.inc_value("cds/skipped/redirect_loop")
        return seen
