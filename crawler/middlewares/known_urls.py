"""Incremental crawling at the downloader: known article pages are skipped or fetched
conditionally, so a second run downloads only what is new or changed.

Any request for a URL owed from an earlier run (a debt) whose next try has not come is skipped;
a due debt is fetched in full.

Decision for an article request, from the known-URL store:
- unknown, or failed last time              -> fetch
- discovery gives a lastmod not newer than the stored one -> skip (never touches the site)
- no lastmod from discovery, fetched less than REFRESH_DAYS ago -> skip
- otherwise -> conditional GET (If-None-Match / If-Modified-Since); a 304 is counted and dropped.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from scrapy.exceptions import IgnoreRequest, NotConfigured

from crawler.crawl_state import CrawlState
from crawler.discovery import when
from crawler.meta import CONDITIONAL, DEBT, KIND, LASTMOD

logger = logging.getLogger(__name__)


class KnownUrlMiddleware:
    def __init__(self, state: CrawlState, refresh_days: float, stats) -> None:
        self.state = state
        self.refresh = timedelta(days=refresh_days)
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("KNOWN_URLS_ENABLED"):
            raise NotConfigured
        return cls(
            CrawlState.from_settings(crawler.settings),
            crawler.settings.getfloat("KNOWN_URLS_REFRESH_DAYS"),
            crawler.stats,
        )

    @staticmethod
    def _key(request) -> str:
        return (request.meta.get("redirect_urls") or [request.url])[0]

    def process_request(self, request):
        if request.meta.get(DEBT) or KIND not in request.meta:
            return None
        debt = self.state.debt(self._key(request))
        if debt is not None:
            if when(debt["next_try"]) > datetime.now(UTC):
                self._skip(
                    request, "debt_not_due", f"failed before ({debt['error']}), next try after {debt['next_try']}"
                )
            return None
        if request.meta.get(KIND) != "article":
            return None
        record = self.state.get(self._key(request))
        if record is None or record["state"] == "failed":
            return None
        offered, known = when(request.meta.get(LASTMOD)), when(record["lastmod"])
        if offered and known and offered <= known:
            self._skip(request, "known_unchanged", f"unchanged since {record['lastmod']}")
        if not offered or record["state"] == "gone":
            checked = when(record["fetched_at"])
            if checked and datetime.now(UTC) - checked < self.refresh:
                self._skip(
                    request,
                    "known_recent" if record["state"] == "done" else "known_gone",
                    f"{record['state']} at {record['fetched_at']}",
                )
        if record["etag"]:
            request.headers.setdefault("If-None-Match", record["etag"])
        if record["last_modified"]:
            request.headers.setdefault("If-Modified-Since", record["last_modified"])
        request.meta[CONDITIONAL] = bool(record["etag"] or record["last_modified"])
        self.stats.inc_value("cds/known/refetched")
        return None

    def process_response(self, request, response):
        if response.status == 304 and request.meta.get(CONDITIONAL):
            self.state.mark_checked(self._key(request), request.meta.get(LASTMOD))
            self._skip(request, "not_modified", "304 Not Modified")
        return response

    def _skip(self, request, reason: str, detail: str):
        self.stats.inc_value(f"cds/skipped/{reason}")
        logger.debug("skipped known page %s: %s", request.url, detail)
        raise IgnoreRequest(f"known page, {detail}")
