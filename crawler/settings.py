"""Scrapy settings for the CĐS Radar crawler: THE edge where CDS_* environment variables enter.

Every :mod:`config.settings` value is copied as ``CDS_<NAME>`` (so ``-s CDS_X=...`` overrides it
too), then mapped onto Scrapy's own politeness and limit settings. Components read only their own
settings from ``crawler.settings`` in ``from_crawler``.
"""
from config.redaction import Redactor, install_log_redaction
from config.settings import Settings

_cds = Settings.from_env()
# the first project code every scrapy command runs: from here on no log line carries a secret
install_log_redaction(Redactor.from_settings(_cds))
globals().update({f"CDS_{name}": value for name, value in _cds.as_dict().items()})

BOT_NAME = "cdsradar"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
COMMANDS_MODULE = "crawler.commands"
LOG_LEVEL = "INFO"
TELNETCONSOLE_ENABLED = False     # unattended scheduled crawls: no open debugging ports
REMOTE_CONTROL_ENABLED = False

# -- politeness ------------------------------------------------------------------------------
USER_AGENT = _cds.USER_AGENT
ROBOTSTXT_OBEY = True
DOWNLOAD_DELAY = _cds.CRAWL_DELAY
DOWNLOAD_DELAY_JITTER = 0.5          # ±50% around the delay, like a person rather than a metronome
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = _cds.CRAWL_CONCURRENCY_PER_SITE
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = max(_cds.CRAWL_DELAY, 0.0)
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
COOKIES_ENABLED = False          # portals hand out session cookies that only fragment URLs

# -- retries with exponential backoff (crawler.middlewares.backoff_retry) ----------------------
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
BACKOFF_RETRY_BASE_DELAY = 2.0
BACKOFF_RETRY_MAX_DELAY = 120.0
RETRY_GIVE_UP_LOG_LEVEL = "INFO"     # each give-up becomes a debt (logged by the spider); the run's
                                     # outcome line warns with the count: no ERROR line per URL

# -- limits: depth, page size, pages per run, traps --------------------------------------------
DEPTH_LIMIT = _cds.CRAWL_MAX_DEPTH
DOWNLOAD_MAXSIZE = _cds.CRAWL_MAX_PAGE_BYTES
DOWNLOAD_WARNSIZE = min(_cds.CRAWL_MAX_PAGE_BYTES, 2 * 1024 * 1024)
CLOSESPIDER_PAGECOUNT = _cds.CRAWL_MAX_PAGES
REDIRECT_MAX_TIMES = 5
TRAP_FILTER_ENABLED = True
TRAP_FILTER_MAX_URL_LENGTH = 500
TRAP_FILTER_MAX_SEGMENT_REPEATS = 2
TRAP_FILTER_MAX_QUERY_PARAMS = 6
TRAP_FILTER_YEAR_RANGE = (1995, 1)   # years in URLs outside [1995, this year + 1] are calendar traps
TRAP_FILTER_SESSION_PARAMS = ["jsessionid", "phpsessid", "aspsessionid", "sid", "sessionid",
                              "session_id", "sessid", "cfid", "cftoken", "zenid", "osCsid"]
CONTENT_TYPE_FILTER_ENABLED = True

# -- incremental crawl state (crawler.crawl_state) ---------------------------------------------
KNOWN_URLS_ENABLED = True
KNOWN_URLS_REFRESH_DAYS = _cds.CRAWL_REFRESH_DAYS
JOB_STATE_RESUME = _cds.CRAWL_RESUME
DUPEFILTER_CLASS = "crawler.dupefilter.CrawlDupeFilter"
DEBTS_RETRY_BASE_SECONDS = _cds.CRAWL_RETRY_BASE_SECONDS   # failed URLs: next try, doubling...
DEBTS_RETRY_MAX_SECONDS = _cds.CRAWL_RETRY_MAX_SECONDS     # ...up to this
RUN_FAILED_ERROR_RATE = _cds.CRAWL_FAILED_ERROR_RATE       # run outcome FAILED above this

# -- item pipelines: extract -> topic filter -> index ------------------------------------------
EXTRACT_PIPELINE_WORKERS = _cds.CRAWL_EXTRACT_WORKERS
# the topic threshold is the project setting CDS_TOPIC_THRESHOLD (read via config_bridge)
INDEX_PIPELINE_BATCH_SIZE = _cds.CRAWL_INDEX_BATCH
INDEX_PIPELINE_FLUSH_SECONDS = 5.0   # a partial batch waits at most this long (0: until full)
INDEX_PIPELINE_MAX_PENDING = 2000    # backend down: pause the crawl beyond this many kept articles
INDEX_PIPELINE_MAX_OUTAGE_SECONDS = 600.0  # ...and stop it (URLs left unmarked) after this long
INDEX_PIPELINE_RETRY_SECONDS = 2.0   # backend down: first retry after this, then twice as long...
INDEX_PIPELINE_RETRY_MAX_SECONDS = 60.0    # ...up to this (retries run on a timer, never per item)
INDEX_PIPELINE_CLOSE_RETRIES = 3         # backend still down at the end: tries, 1 s, 2 s, ... apart
ITEM_PIPELINES = {
    "crawler.pipelines.extract.ExtractPipeline": 300,
    "crawler.pipelines.topic_filter.TopicFilterPipeline": 400,
    "crawler.pipelines.index.IndexPipeline": 500,
}

DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.known_urls.KnownUrlMiddleware": 80,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.backoff_retry.BackoffRetryMiddleware": 550,
    "crawler.middlewares.content_type.ContentTypeFilterMiddleware": 560,
}
SPIDER_MIDDLEWARES = {
    "crawler.middlewares.traps.TrapFilterMiddleware": 600,
}

# -- extensions: WARC archive, run recorder ----------------------------------------------------
WARC_ARCHIVE_ENABLED = _cds.CRAWL_WARC
WARC_ARCHIVE_MAX_BYTES = 1024 ** 3
RUN_RECORDER_ENABLED = True
DISK_GUARD_ENABLED = True
DISK_GUARD_MIN_FREE_BYTES = _cds.CRAWL_MIN_FREE_MB * 1e6   # stop the crawl below this free space
DISK_GUARD_INTERVAL = 1.0                                  # seconds between two free-space checks
DISK_GUARD_RESERVE_BYTES = 512 * 1024                      # ballast freed for the last commits
EXTENSIONS = {
    "crawler.extensions.warc_archive.WarcArchive": 500,
    "crawler.extensions.run_recorder.RunRecorder": 510,
    "crawler.extensions.disk_guard.DiskGuard": 520,
}

# -- commands ----------------------------------------------------------------------------------
CRAWLALL_PARALLEL_SOURCES = 6
CRAWLALL_PROGRESS_SECONDS = 2.0
SCHEDULE_TICK_SECONDS = 1.0
SCHEDULE_MAX_PARALLEL = 2

FEED_EXPORT_ENCODING = "utf-8"
