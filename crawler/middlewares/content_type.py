"""Skip article pages that are not HTML (PDF attachments, images, Word files behind article-like
URLs) with one clear log line and a counted stat, before they reach extraction or the archive.

The skip is raised as :class:`NotHtml` carrying the response, so the spider can settle an article
URL in the crawl state like any other page with no article: the next run then treats it as known
(skipped until its sitemap date changes or REFRESH_DAYS pass) instead of downloading the whole
attachment again on every run.
"""

from __future__ import annotations

import logging

from scrapy.exceptions import IgnoreRequest, NotConfigured

from crawler.meta import KIND

logger = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")


class NotHtml(IgnoreRequest):
    def __init__(self, message: str, response) -> None:
        super().__init__(message)
        self.response = response


class ContentTypeFilterMiddleware:
    def __init__(self, stats) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("CONTENT_TYPE_FILTER_ENABLED"):
            raise NotConfigured
        return cls(crawler.stats)

    def process_response(self, request, response):
        if request.meta.get(KIND) not in ("article", "listing") or response.status != 200:
            return response
        ctype = response.headers.get(b"Content-Type", b"").decode("latin-1").split(";")[0].strip().lower()
        if ctype in HTML_TYPES or (not ctype and self._looks_like_html(response.body)):
            return response
        self.stats.inc_value("cds/skipped/non_html")
        logger.warning(
            "skipped non-HTML %s %s (Content-Type %r, %d bytes)",
            request.meta[KIND],
            response.url,
            ctype or "missing",
            len(response.body),
        )
        raise NotHtml(f"not HTML: {ctype or 'no Content-Type'}", response)

    @staticmethod
    def _looks_like_html(body: bytes) -> bool:
        head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body"))
