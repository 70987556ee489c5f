"""The keys the crawler's components pass each other in ``request.meta`` (and so ``response.meta``).

Scrapy's meta is an untyped dict shared by every component a request passes through; a key
misspelt on one side is silently ``None`` on the other. So each key is named once here, with who
writes it and who reads it. The values are plain JSON-able data: the job queue on disk
(JOBDIR) pickles requests with their meta.
"""

from __future__ import annotations

KIND = "cds_kind"
"""What the request fetches: ``article``, ``listing``, ``sitemap`` or ``feed`` (absent: a request
the spider did not make, e.g. robots.txt).
Written by SourceSpider._request. Read by KnownUrlMiddleware (only articles are skipped or asked
conditionally), ContentTypeFilterMiddleware (articles and listings must be HTML), WarcArchive
(only articles are archived), CrawlDupeFilter (a redirected article) and the spider's errback."""

HINTS = "cds_hints"
"""What discovery knew of an article before fetching it (title, date, ... from a sitemap, feed or
listing entry): a dict. Written by SourceSpider._request. Read by SourceSpider.parse_article (into
the PageItem) and WarcArchive (the CDS-Hints header, so ``scrapy reextract`` has them too)."""

LASTMOD = "cds_lastmod"
"""The lastmod discovery gave for an article (ISO text or None). Written by SourceSpider._request.
Read by KnownUrlMiddleware (skip when not newer than the stored one; recorded on a 304),
WarcArchive (the CDS-Lastmod header) and SourceSpider (stored with the page or the debt)."""

DEBT = "cds_debt"
"""True on a request that retries a URL owed by an earlier run. Written by SourceSpider when it
schedules due debts. Read by KnownUrlMiddleware (never skipped) and SourceSpider (settle the debt
on success; a 404/410 ends it)."""

CONDITIONAL = "cds_conditional"
"""True when the request carries If-None-Match / If-Modified-Since from the crawl state. Written
by KnownUrlMiddleware.process_request, read by its process_response (a 304 then means
"unchanged", not an error)."""

BACKOFF = "cds_backoff"
"""Seconds to wait before downloading this retry. Written by BackoffRetryMiddleware when it
schedules a retry, read and removed by its process_request."""

FETCHED_AT = "cds_fetched_at"
"""When the article page arrived (UTC, ``YYYY-MM-DDTHH:MM:SSZ``). Written by WarcArchive (the
record's WARC-Date) on the response, read by SourceSpider.parse_article, so the article and its
archived copy carry the same time."""

WARC_ERROR = "cds_warc_error"
"""Why an article page could not be archived (disk full, an I/O error); absent when it was.
Written by WarcArchive on the response, read by SourceSpider.parse_article (the PageItem's
``archive_failed``, counted in the run's outcome)."""
