"""Scrapy settings for the CĐS Radar crawler: THE edge where CDS_* environment variables enter.

Every setting of :mod:`config.settings` is set here once, under its Scrapy name
(:attr:`config.settings.Setting.key`: ``CDS_<NAME>`` for product settings, the Scrapy name for
the crawler's), from its default or its ``CDS_<NAME>`` environment variable. ``-s KEY=value``
overrides any of them, ``-s CDS_<NAME>=value`` too (crawler/project_settings.py). What follows
the generated block are Scrapy's own settings, fixed for this product.
"""

from config.redaction import Redactor, install_log_redaction
from config.settings import SETTINGS, Settings

_cds = Settings.from_env()
# the first project code every scrapy command runs: from here on no log line carries a secret
install_log_redaction(Redactor.from_settings(_cds))
globals().update({s.key: getattr(_cds, s.name) for s in SETTINGS})

BOT_NAME = "cdsradar"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
COMMANDS_MODULE = "crawler.commands"
LOG_LEVEL = "INFO"
TELNETCONSOLE_ENABLED = False  # unattended scheduled crawls: no open debugging ports
REMOTE_CONTROL_ENABLED = False
# reads -s CDS_<NAME>, checks each declared setting's type, derives AutoThrottle's start delay
# and the download warning size from the values in force
ADDONS = {"crawler.project_settings.ProjectSettings": 0}

# -- politeness (USER_AGENT, DOWNLOAD_DELAY, CONCURRENT_REQUESTS_PER_DOMAIN: config/settings.py) --
ROBOTSTXT_OBEY = True
DOWNLOAD_DELAY_JITTER = 0.5  # ±50% around the delay, like a person rather than a metronome
CONCURRENT_REQUESTS = 16
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
COOKIES_ENABLED = False  # portals hand out session cookies that only fragment URLs

# -- retries with exponential backoff (crawler.middlewares.backoff_retry) ----------------------
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
RETRY_GIVE_UP_LOG_LEVEL = "INFO"  # each give-up becomes a debt (logged by the spider); the run's
# outcome line warns with the count: no ERROR line per URL

# -- limits (DEPTH_LIMIT, DOWNLOAD_MAXSIZE, CLOSESPIDER_PAGECOUNT, TRAP_FILTER_*: config) -------
REDIRECT_MAX_TIMES = 5

# -- incremental crawl state (crawler.crawl_state) ---------------------------------------------
DUPEFILTER_CLASS = "crawler.dupefilter.CrawlDupeFilter"

# -- item pipeline: the page to indexer/writer.py (extract, topic, cluster, commit, then done) --
# Scrapy starts CONCURRENT_ITEMS asyncio tasks for the output of every response and keeps them all
# until its slowest item is through the pipeline. An article page yields one item, which waits for
# its extraction: with Scrapy's 100, the ~500 pages waiting for extraction in a 2,000-article crawl
# held ~50,000 tasks. Listings yield only requests, each queued at once.
CONCURRENT_ITEMS = 4
ITEM_PIPELINES = {
    "crawler.pipelines.index.IndexPipeline": 300,
}

DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.known_urls.KnownUrlMiddleware": 80,
    "crawler.middlewares.extraction_gate.ExtractionGateMiddleware": 90,  # after the known-URL skips
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.backoff_retry.BackoffRetryMiddleware": 550,
    "crawler.middlewares.content_type.ContentTypeFilterMiddleware": 560,
}
SPIDER_MIDDLEWARES = {
    "crawler.middlewares.traps.TrapFilterMiddleware": 600,
}

# -- extensions: WARC archive, run recorder, disk guard ----------------------------------------
EXTENSIONS = {
    "crawler.extensions.warc_archive.WarcArchive": 500,
    "crawler.extensions.run_recorder.RunRecorder": 510,
    "crawler.extensions.disk_guard.DiskGuard": 520,
}

FEED_EXPORT_ENCODING = "utf-8"
