"""Duplicate filter that lets the known-URL store, not the job directory, decide about articles.

Scrapy's RFPDupeFilter persists every fingerprint in JOBDIR/requests.seen. For an article that
is wrong: "seen" does not mean "committed" (its batch may have been pending when the crawl
stopped), and a seen article would never be fetched again on resume. So articles are de-duplicated
within the run only; across runs the KnownUrlMiddleware skips what the store marks done.
Listing pages and sitemaps keep Scrapy's persistent behaviour.

It also names redirect loops, which would otherwise vanish as silent duplicates.
"""
from __future__ import annotations

import logging

from scrapy.dupefilters import RFPDupeFilter

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
        self._articles: set[bytes] = set()

    def request_seen(self, request) -> bool:
        chain = request.meta.get("redirect_urls") or []
        if request.meta.get("cds_kind") == "article" and chain and request.url not in chain:
            # an article URL that redirects to a page also reached directly: fetch it anyway, so
            # the known-URL store learns the old URL too (else every run would follow it again)
            return False
        if request.meta.get("cds_kind") == "article":
            fp = self._fingerprint(request)
            seen = fp in self._articles
            self._articles.add(fp)
        else:
            seen = super().request_seen(request)
        if seen and request.url in chain:
            logger.warning("redirect loop skipped: %s", " -> ".join([*chain, request.url]))
            if self.stats:
                self.stats.inc_value("cds/skipped/redirect_loop")
        return seen
