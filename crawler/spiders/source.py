"""The one spider: driven by a Source from the sources file, it discovers articles through the
source's sitemaps, feeds and listing pages, and hands each fetched article page to the pipelines.

    scrapy crawl source -a source=tuyenquang-portal

Policy lives in components, not here: which known pages to skip (KnownUrlMiddleware), traps
(TrapFilterMiddleware), extraction/topic/indexing (pipelines). The spider only decides where to
look next, including the one decision that needs discovery context: an incremental run stops
paging a listing once a page holds no article unknown to the crawl state.

Failed fetches are debts (crawler.crawl_state): due ones are requested first, before discovery;
while a source owes any, or after a run that was not OK, no listing stops early. ``-a full=1``
walks every listing whatever the state says.
"""

from __future__ import annotations

import logging
from pathlib import Path

import scrapy
from scrapy import signals
from scrapy.exceptions import CloseSpider, DontCloseSpider, DownloadCancelledError, IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError

from config.settings import Settings
from config.sources import SourceError, SourcesFileError, load_sources
from crawler import discovery, job_state
from crawler.crawl_state import CrawlState
from crawler.items import PageItem
from crawler.meta import DEBT, FETCHED_AT, HINTS, KIND, LASTMOD, WARC_ERROR
from crawler.middlewares.content_type import NotHtml
from crawler.url_rules import UrlRules
from indexer.timeutil import utc_stamp


class SourceSpider(scrapy.Spider):
    name = "source"

    def __init__(self, source: str = "", sources_file: str = "", full: str = "", *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.source_name = source
        self.full = str(full).strip().lower() in ("1", "true", "yes", "on")
        self._debt_urls: set[str] = set()
        self.sources_file = sources_file
        self.source = None
        self.config_error = "" if source else "no source given: use -a source=<name>"
        self.close_reason = "bad_source"
        self.incremental = False
        self._lock: job_state.SourceLock | None = None
        self._jobdir = ""
        self._phase = "documents"  # sitemaps/feeds, then listings
        self._found: dict[str, dict] = {}
        self._documents: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        if not spider.config_error:
            spider._configure(crawler.settings)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        return spider

    # -- setup (settings are still writable here: JOBDIR, page limit) ----------------------------
    def _configure(self, settings) -> None:
        path = self.sources_file or settings.get("CDS_SOURCES_FILE")
        errors: list[SourceError] = []
        try:
            sources = load_sources(path, Settings.from_scrapy(settings).as_dict(), errors=errors)
        except SourcesFileError as exc:
            self.config_error = str(exc)
            return
        except (OSError, ValueError) as exc:
            self.config_error = f"cannot read sources file {path}: {exc}"
            return
        self.source = next((s for s in sources if s.name == self.source_name), None)
        if self.source is None:
            bad = [str(e) for e in errors if e.source == self.source_name]
            self.config_error = bad[0] if bad else f"no source named {self.source_name!r} in {path}"
            return
        src = self.source
        self.allowed_domains = list(src.allowed_domains)
        if src.download_delay is not None:
            self.download_delay = src.download_delay
        if src.max_pages:
            settings.set("CLOSESPIDER_PAGECOUNT", src.max_pages, priority="spider")
        self.rules = UrlRules(src)  # the same rules `scrapy classify` reports
        self._article_res, self._listing_res = self.rules.article_res, self.rules.listing_res

        self._lock = job_state.SourceLock(job_state.lock_path(Path(settings["CDS_DATA_DIR"]), src.name))
        if not self._lock.acquire():
            self.config_error = (
                f"source {src.name!r} is already being crawled "
                f"(pid {self._lock.holder() or '?'}); not starting a second run"
            )
            self.close_reason = "source_locked"
            self._lock = None
            return
        resuming = False
        if settings.getbool("JOB_STATE_RESUME"):
            self._jobdir = str(Path(settings["CDS_DATA_DIR"], "jobs", src.name))
            resuming, note = job_state.prepare_jobdir(self._jobdir)
            settings.set("JOBDIR", self._jobdir, priority="spider")
            if note:
                level = logging.WARNING if "killed" in note or "damaged" in note else logging.INFO
                self.logger.log(level, "%s: %s", src.name, note)
        self.crawl_state = CrawlState.from_settings(settings)
        self.retry_base = settings.getfloat("DEBTS_RETRY_BASE_SECONDS")
        self.retry_max = settings.getfloat("DEBTS_RETRY_MAX_SECONDS")
        self.incremental = not self.full and not resuming and self.crawl_state.last_run_completed(src.name)

    def closed(self, reason: str) -> None:
        if self._jobdir:
            uncommitted = self.crawler.stats.get_value("cds/index/uncommitted", 0)
            # a queue written while the disk was full may have lost requests its "seen" set
            # still holds: never resume it (the next run re-discovers; committed pages are skipped)
            job_state.close_jobdir(self._jobdir, reason, sound=not uncommitted and reason != "disk_full")
        if self._lock:
            self._lock.release()

    # -- discovery -----------------------------------------------------------------------------
    async def start(self):
        """Sitemaps and feeds first: their entries are collected (and merged, for pages listed by
        several documents) and scheduled when they are all read; listing pages after that. The
        order makes the hints each article gets independent of response timing."""
        if self.config_error:
            self.logger.error("cannot crawl: %s", self.config_error)
            raise CloseSpider(self.close_reason)
        src = self.source
        self.logger.info(
            "crawling %s (%s run): %d sitemaps, %d feeds, %d listings, %d start URLs",
            src.name,
            "incremental" if self.incremental else "full",
            len(src.sitemaps),
            len(src.feeds),
            len(src.listings),
            len(src.start_urls),
        )
        for request in self._debt_requests():
            yield request
        if not (src.sitemaps or src.feeds):
            self._phase = "listings"
            for request in self._listing_starts():
                yield request
            return
        for url in src.sitemaps:
            yield self._document(url, self.parse_sitemap, "sitemap")
        for url in src.feeds:
            yield self._document(url, self.parse_feed, "feed")

    def _listing_starts(self):
        for url in [*self.source.listings, *self.source.start_urls]:
            if url not in self._debt_urls:
                yield self._request(url, self.parse_listing, "listing", dont_filter=True)

    def _debt_requests(self):
        """The source's due debts, oldest first. They bypass the duplicate filter (a resumed
        queue's "seen" set holds them) and discovery skips them, so each is fetched once."""
        debts = self.crawl_state.debts(self.source.name, due=True)
        owed = len(self.crawl_state.debts(self.source.name))
        if owed:
            self.logger.info(
                "%s owes %d failed URLs from earlier runs: retrying the %d due now first",
                self.source.name,
                owed,
                len(debts),
            )
        for debt in debts:
            url, kind, meta = debt["url"], debt["kind"], debt["meta"]
            if kind == "article":
                request = self._request(
                    url,
                    self.parse_article,
                    "article",
                    hints=meta.get("hints"),
                    lastmod=meta.get("lastmod"),
                    dont_filter=True,
                )
            elif kind in ("sitemap", "feed"):
                request = self._document(url, self.parse_sitemap if kind == "sitemap" else self.parse_feed, kind)
            else:
                request = self._request(url, self.parse_listing, "listing", dont_filter=True)
            if request is None:
                continue
            request.meta[DEBT] = True
            self._debt_urls.add(url)
            self.crawler.stats.inc_value("cds/debts/retried")
            yield request

    def _document(self, url, callback, kind):
        """Sitemaps and feeds are read again on every start (a resumed run needs their entries),
        so Scrapy's persistent filter is bypassed and this run's own set stops index loops."""
        if url in self._documents:
            return None
        self._documents.add(url)
        return self._request(url, callback, kind, dont_filter=True)

    def on_idle(self, spider) -> None:
        if spider is not self or self._phase != "documents":
            return
        self._phase = "listings"
        entries = sorted(self._found.values(), key=lambda e: e["loc"])
        self.logger.info(
            "%s: %d articles listed by sitemaps/feeds; now the listing pages", self.source.name, len(entries)
        )
        entries = [e for e in entries if e["loc"] not in self._debt_urls]
        for request in [*(self._article_request(e) for e in entries), *self._listing_starts()]:
            self.crawler.engine.crawl(request)
        raise DontCloseSpider

    def _request(self, url, callback, kind, *, hints=None, lastmod=None, dont_filter=False):
        meta = {KIND: kind}
        if kind == "article":
            meta.update({HINTS: {k: v for k, v in (hints or {}).items() if v}, LASTMOD: lastmod})
        return scrapy.Request(url, callback=callback, errback=self.on_error, meta=meta, dont_filter=dont_filter)

    def is_article(self, url: str) -> bool:
        return self.rules.is_article(url)

    def is_listing(self, url: str) -> bool:
        return self.rules.is_listing(url)

    def _article_request(self, entry: dict, from_listing: bool = False):
        """A date printed beside a listing link is a hint for build_article, not a change signal
        (lastmod) for the next run: one article may be linked from several listing pages, with and
        without its date, and which of them is read first varies from run to run."""
        hints = {"date": entry.get("date") or entry.get("lastmod"), "title": entry.get("title")}
        lastmod = None if from_listing else entry.get("lastmod") or entry.get("date")
        return self._request(entry["loc"], self.parse_article, "article", hints=hints, lastmod=lastmod)

    def parse_sitemap(self, response):
        try:
            kind, entries = discovery.parse_sitemap(response.body)
        except (ValueError, OSError) as exc:
            self._bad_document(response, "sitemap", exc)
            return
        self._fetched(response)
        self.crawler.stats.inc_value(f"cds/discovery/sitemap_{kind}")
        for entry in entries:
            if kind == "index":
                request = self._document(response.urljoin(entry["loc"]), self.parse_sitemap, "sitemap")
                if request:
                    yield request
            elif self.is_article(entry["loc"]):
                self.crawler.stats.inc_value("cds/discovery/from_sitemap")
                self._collect(entry)

    def parse_feed(self, response):
        try:
            entries = discovery.parse_feed(response.body)
        except (ValueError, OSError) as exc:
            self._bad_document(response, "feed", exc)
            return
        self._fetched(response)
        for entry in entries:
            entry["loc"] = response.urljoin(entry["loc"])
            if self.is_article(entry["loc"]):
                self.crawler.stats.inc_value("cds/discovery/from_feed")
                self._collect(entry)

    def _collect(self, entry: dict) -> None:
        self._found[entry["loc"]] = discovery.merge_entries(self._found.get(entry["loc"]), entry)

    def _bad_document(self, response, kind, exc):
        self.logger.error("unreadable %s %s: %s", kind, response.url, exc)
        self.crawler.stats.inc_value(f"cds/errors/bad_{kind}")

    def parse_listing(self, response):
        if not hasattr(response, "xpath"):  # a listing URL that answered with non-HTML
            self._bad_document(response, "listing", "not an HTML page")
            return
        self._fetched(response)
        articles, listings = {}, {}
        for url, text, context in discovery.iter_links(response):
            url = url.split("#", 1)[0]
            if url in self._debt_urls:  # already requested as a debt
                continue
            if self._article_res and self.is_article(url):
                if url in articles or url in self._found:  # scheduled with its sitemap/feed hints
                    continue
                articles[url] = {
                    "loc": url,
                    "title": text if len(text) > 12 else "",
                    "date": discovery.listing_date(context),
                }
            elif self.is_listing(url):
                listings.setdefault(url, text)
        for entry in articles.values():
            self.crawler.stats.inc_value("cds/discovery/from_listing")
            yield self._article_request(entry, from_listing=True)
        yield from self._follow_listings(response, list(articles), listings)

    def _follow_listings(self, response, article_urls, listing_urls):
        """Full runs follow every listing link. Incremental runs stop at the first page whose
        articles are all known, else go on to the next page of the same listing (or, when the
        next page cannot be told apart, to every pagination link)."""
        if not self.incremental:
            for url in listing_urls:
                yield self._request(url, self.parse_listing, "listing")
            return
        here, number = self._series(response.url), self._page(response.url) or 0
        fresh = set(article_urls) - self.crawl_state.known_among(article_urls)
        if not fresh:
            if listing_urls:
                self.crawler.stats.inc_value("cds/discovery/listing_stopped")
                self.logger.info("listing %s holds only known articles: not paging further", response.url)
            return
        later = [(n, u) for u in listing_urls if (n := self._page(u) or 0) > number]
        same = [(n, u) for n, u in later if self._series(u) == here]
        for _, url in [min(same)] if same else later:
            yield self._request(url, self.parse_listing, "listing")

    def _page(self, url: str) -> int | None:
        return discovery.page_number(url, self._listing_res)

    def _series(self, url: str) -> str:
        """The listing a page belongs to: its URL without the page-number token
        (``/tin-tuc?page=3`` and ``/tin-tuc`` are one series)."""
        return discovery.listing_series(url, self._listing_res)

    # -- articles ------------------------------------------------------------------------------
    def _fetched(self, response) -> None:
        """A discovery document read: counted as a good fetch, and no longer owed (an article is
        settled later, when its batch is committed)."""
        self.crawler.stats.inc_value("cds/fetch/ok")
        if response.meta.get(DEBT) and self.crawl_state.settle_debts([self._key(response.request)]):
            self.crawler.stats.inc_value("cds/debts/settled")

    def parse_article(self, response):
        self.crawler.stats.inc_value("cds/pages/article")
        self.crawler.stats.inc_value("cds/fetch/ok")
        meta = response.meta
        headers = {k.decode("latin-1"): v[0].decode("latin-1") for k, v in response.headers.items() if v}
        fetched_at = meta.get(FETCHED_AT) or utc_stamp()
        yield PageItem(
            url=self._key(response.request),
            fetched_url=response.url,
            source=self.source.name,
            status=response.status,
            headers=headers,
            body=response.body,
            hints={**(meta.get(HINTS) or {}), "fetched_at": fetched_at},
            lastmod=meta.get(LASTMOD),
            etag=response.headers.get("ETag", b"").decode("latin-1"),
            last_modified=response.headers.get("Last-Modified", b"").decode("latin-1"),
            fetched_at=fetched_at,
            archive_failed=bool(meta.get(WARC_ERROR)),
        )

    def on_error(self, failure):
        """One place that turns a failed request into a log line and a counted stat."""
        request = failure.request
        kind = request.meta.get(KIND, "page")
        stats = self.crawler.stats
        if failure.check(NotHtml) and kind == "article":
            stats.inc_value("cds/fetch/ok")
            self._settle_without_article(request, failure.value.response)
        if failure.check(IgnoreRequest) and not failure.check(HttpError):
            stats.inc_value("cds/skipped/total")  # the component that skipped it logged why
            return
        if failure.check(HttpError):
            status = failure.value.response.status
            stats.inc_value(f"cds/errors/http_{status}")
            if status >= 500 or status in (408, 429):
                stats.inc_value("cds/fetch/http_5xx" if status >= 500 else "cds/fetch/http_busy")
                self._owe(request, kind, f"HTTP {status}", status)
                return
            self.logger.warning("HTTP %d for %s %s: skipped", status, kind, request.url)
            if kind == "article":
                self.crawl_state.mark_failed(self._key(request), self.source.name, status, gone=status in (404, 410))
            elif request.meta.get(DEBT) and status in (404, 410):
                self.crawl_state.settle_debts([self._key(request)])  # gone: nothing more owed
            return
        if failure.check(DownloadCancelledError) and "max size" in str(failure.value):
            stats.inc_value("cds/errors/oversized")
            self.logger.warning("skipped %s %s: larger than the page size limit (%s)", kind, request.url, failure.value)
            if kind == "article":  # not worth fetching again before REFRESH_DAYS
                self.crawl_state.mark_failed(self._key(request), self.source.name, None, gone=True)
            return
        name = type(failure.value).__name__
        stats.inc_value(f"cds/errors/{name}")
        self._owe(request, kind, f"{name}: {failure.value}", None)

    def _owe(self, request, kind: str, error: str, status: int | None) -> None:
        """A fetch that failed after the in-run retries: a debt, with its error and next try."""
        self.crawler.stats.inc_value("cds/fetch/failed")
        meta = {}
        if kind == "article":
            meta = {"hints": request.meta.get(HINTS) or {}, "lastmod": request.meta.get(LASTMOD)}
        debt = self.crawl_state.add_debt(
            self._key(request), self.source.name, kind, error, status, self.retry_base, self.retry_max, meta=meta
        )
        self.crawler.stats.inc_value("cds/debts/added")
        self.logger.info(
            "%s for %s %s: owed, try %d due after %s", error, kind, request.url, debt["attempts"], debt["next_try"]
        )

    def _settle_without_article(self, request, response) -> None:
        """A page that holds no article (a PDF behind an article link) is recorded like an
        off-topic one, with its validators and discovery date: the next run skips it until the
        sitemap date changes (or REFRESH_DAYS pass) instead of downloading it again."""
        page = PageItem(
            url=self._key(request),
            fetched_url=response.url,
            source=self.source.name,
            status=response.status,
            lastmod=request.meta.get(LASTMOD),
            etag=response.headers.get("ETag", b"").decode("latin-1"),
            last_modified=response.headers.get("Last-Modified", b"").decode("latin-1"),
        )
        self.crawl_state.mark_done([page.known_url_record(on_topic=0)])

    @staticmethod
    def _key(request) -> str:
        """The URL as discovered (before redirects): what the known-URL store is keyed by."""
        return (request.meta.get("redirect_urls") or [request.url])[0]
