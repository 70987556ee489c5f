"""Every CĐS Radar setting, its default and its help text, in one place.

Modelled on Datasette's ``Setting(name, default, help)``: a test fails when a setting has
no help. Environment variables ``CDS_<NAME>`` override defaults, but are read only at the
edges (the app factory, the CLIs, Scrapy's settings module) through :meth:`Settings.from_env`;
components receive plain values.

The crawler sees each setting in Scrapy's settings under :attr:`Setting.key`: ``CDS_<NAME>``
for a product setting, the Scrapy name for a crawler setting (``scrapy=``: Scrapy's own, such as
DOWNLOAD_DELAY, or a component's, such as INDEX_PIPELINE_BATCH_SIZE). ``scrapy crawl -s KEY=value``
overrides any of them, and so does ``-s CDS_<NAME>=value`` (crawler/project_settings.py reads
it as the key).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CONFIG_DIR = Path(__file__).resolve().parent
PROJECT_DIR = CONFIG_DIR.parent
ENV_PREFIX = "CDS_"


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    scrapy: str = ""  # its name in Scrapy's settings, when the crawler reads it there

    @property
    def env(self) -> str:
        """The environment variable (and the ``-s`` alias) that overrides it."""
        return ENV_PREFIX + self.name

    @property
    def key(self) -> str:
        """Its name in Scrapy's settings (``-s KEY=value``)."""
        return self.scrapy or self.env

    def parse(self, raw: str) -> Any:
        """The typed value of a string from the environment or the command line; ValueError
        names what was expected, so a misspelt ``flase`` is refused rather than read as false."""
        default = self.default
        if isinstance(default, bool):
            word = raw.strip().lower()
            if word in {"1", "true", "yes", "on"}:
                return True
            if word in {"0", "false", "no", "off"}:
                return False
            raise ValueError(f"{raw!r} is not a boolean (true/false, 1/0, yes/no, on/off)")
        if isinstance(default, tuple):  # tuples, not lists: values stay hashable
            kind = type(default[0]) if default else str
            return tuple(kind(part.strip()) for part in raw.split(",") if part.strip())
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
        return raw

    def type_name(self) -> str:
        if isinstance(self.default, tuple):
            return "comma-separated list"
        return type(self.default).__name__


def component(name: str, default: Any, help: str) -> Setting:
    """A crawler component's setting, known by the same name in Scrapy and (with CDS_) outside."""
    return Setting(name, default, help, scrapy=name)


SETTINGS: tuple[Setting, ...] = (
    Setting("DATA_DIR", str(PROJECT_DIR / "data"), "Runtime data: index, WARC archive, crawl state, run log."),
    Setting("BACKEND", "embedded", "Search backend: 'embedded' (tantivy, no server) or 'elasticsearch'."),
    Setting("ES_URL", "", "Elasticsearch URL, e.g. http://localhost:9200 (backend 'elasticsearch')."),
    Setting("ES_INDEX", "cds-articles", "Elasticsearch index (alias) name."),
    Setting("ES_API_KEY", "", "Elasticsearch API key, if the cluster needs one."),
    Setting("SOURCES_FILE", str(CONFIG_DIR / "sources.yaml"), "Sources to crawl (YAML)."),
    Setting("PARTNERS_FILE", str(CONFIG_DIR / "partners.yaml"), "Partner companies and their aliases (YAML)."),
    Setting("ABBREVIATIONS_FILE", str(CONFIG_DIR / "abbreviations.yaml"), "Query-time abbreviations (CĐS, UBND, ...)."),
    Setting(
        "TERMS_FILE",
        str(CONFIG_DIR / "terms.yaml"),
        "Domain terms a query keeps whole (chữ ký số, "
        "dịch vụ công trực tuyến) and modifiers that bind to the word before them (… số, … điện tử).",
    ),
    Setting("TOPIC_THRESHOLD", 1.0, "Minimum topic score for an article to count as chuyển đổi số."),
    Setting(
        "ENRICHERS",
        "provinces,partners,years,kind,topic",
        "Enrichers run on every Article, in order: built-in names from "
        "indexer/enrichment/base.py BUILTINS, or dotted 'module:Class' paths.",
    ),
    Setting(
        "DUPLICATE_THRESHOLD",
        0.7,
        "Estimated Jaccard similarity (word 4-grams, MinHash) above which two articles are "
        "syndicated copies of one story.",
    ),
    Setting("UI_HOST", "127.0.0.1", "Address the search UI listens on."),
    Setting("UI_PORT", 5000, "Port the search UI listens on."),
    Setting(
        "UI_WORKERS",
        0,
        "Worker processes of the production server (gunicorn, `make serve`); 0: one "
        "per CPU core (each has its own GIL, so more processes than cores only queue).",
    ),
    Setting(
        "UI_THREADS",
        4,
        "Threads per gunicorn worker (gthread): requests one worker serves at once, "
        "while others wait on the index or the client; idle keep-alive connections hold no thread.",
    ),
    Setting(
        "EXPORT_MAX_ROWS",
        10_000,
        "Rows of a CSV export at most; a longer result is cut there, and "
        "the file's comment line and the X-Export-Truncated header say so.",
    ),
    Setting(
        "EXPORT_MAX_CONCURRENT",
        2,
        "CSV exports one UI process streams at once (gunicorn: per worker); "
        "one more is refused with 503 and Retry-After, so exports cannot starve searches.",
    ),
    Setting(
        "DEMO_PORT",
        8800,
        "Port of the demo web; each demo site listens on its own loopback address (127.0.0.11, .12, ...).",
    ),
    Setting(
        "PUBLIC_URL",
        "",
        "Public base URL of the search UI (https://radar.example.vn/); when set, "
        "feed and page links use it instead of the Host header a client sent.",
    ),
    # -- the crawler: product names that are Scrapy settings ---------------------------------
    Setting(
        "USER_AGENT",
        "CDSRadarBot/0.1 (+https://github.com/cds-radar/cds-radar; crawler contact)",
        "User-Agent sent by the crawler: identifies us and says where to complain.",
        scrapy="USER_AGENT",
    ),
    Setting(
        "CRAWL_DELAY",
        1.0,
        "Minimum seconds between two requests to one site; AutoThrottle only "
        "raises it (and starts from it). 0 for the local demo web.",
        scrapy="DOWNLOAD_DELAY",
    ),
    Setting(
        "CRAWL_CONCURRENCY_PER_SITE",
        2,
        "Parallel requests to one site at most.",
        scrapy="CONCURRENT_REQUESTS_PER_DOMAIN",
    ),
    Setting(
        "CRAWL_MAX_PAGES",
        20000,
        "Pages fetched per source per run at most (a run stopped by it resumes where it stopped).",
        scrapy="CLOSESPIDER_PAGECOUNT",
    ),
    Setting(
        "CRAWL_MAX_DEPTH",
        300,
        "Link depth limit (listing page n is depth n-1): stops endless pagination and calendars.",
        scrapy="DEPTH_LIMIT",
    ),
    Setting(
        "CRAWL_MAX_PAGE_BYTES",
        10 * 1024 * 1024,
        "Pages larger than this are abandoned and counted "
        "(Scrapy warns from 2 MiB, or from this size when it is smaller).",
        scrapy="DOWNLOAD_MAXSIZE",
    ),
    Setting(
        "CRAWL_REFRESH_DAYS",
        30.0,
        "A known article whose discovery gives no lastmod is fetched again (conditionally) only after this many days.",
        scrapy="KNOWN_URLS_REFRESH_DAYS",
    ),
    Setting(
        "CRAWL_INDEX_BATCH",
        50,
        "Articles committed to the index per batch; URLs are marked done only after their batch is committed.",
        scrapy="INDEX_PIPELINE_BATCH_SIZE",
    ),
    Setting(
        "CRAWL_EXTRACT_WORKERS",
        1,
        "Worker processes that turn pages into articles while the "
        "crawler keeps fetching (0: extract in the crawler process).",
        scrapy="EXTRACT_PIPELINE_WORKERS",
    ),
    component(
        "EXTRACT_PIPELINE_MAX_WAITING",
        64,
        "Article pages fetched and not yet extracted, across the sources crawled together, at most: "
        "past it article downloads wait, so the crawler's memory stays flat when fetching outruns "
        "extraction (0: no limit).",
    ),
    Setting(
        "CRAWL_RESUME",
        True,
        "Keep Scrapy's job directory under DATA_DIR so a stopped crawl resumes.",
        scrapy="JOB_STATE_RESUME",
    ),
    Setting(
        "CRAWL_WARC",
        True,
        "Archive every fetched article page as WARC under DATA_DIR/warc.",
        scrapy="WARC_ARCHIVE_ENABLED",
    ),
    Setting(
        "CRAWL_RETRY_BASE_SECONDS",
        300.0,
        "A URL whose fetch failed (refused, timed out, 5xx after "
        "the in-run retries) is a debt: retried on a later run, first after this many seconds, "
        "then twice as long after each further failure.",
        scrapy="DEBTS_RETRY_BASE_SECONDS",
    ),
    Setting(
        "CRAWL_RETRY_MAX_SECONDS",
        86400.0,
        "Longest wait between two tries of a debt (the cap of the doubling).",
        scrapy="DEBTS_RETRY_MAX_SECONDS",
    ),
    Setting(
        "CRAWL_FAILED_ERROR_RATE",
        0.8,
        "A run is FAILED (not merely DEGRADED) when more than this "
        "share of its fetches failed, or when it fetched nothing but failures; `scrapy crawl` "
        "and `crawlall` then exit non-zero.",
        scrapy="RUN_FAILED_ERROR_RATE",
    ),
    Setting(
        "CRAWL_NO_ARTICLE_RUNS",
        3,
        'Health flags a source whose last this many runs brought no new or updated article ("no article in N runs").',
    ),
    Setting(
        "CRAWL_MIN_FREE_MB",
        50.0,
        "The crawl stops (run FAILED, reason disk_full) when DATA_DIR has "
        "less free space than this, keeping room for its last commits.",
        scrapy="DISK_GUARD_MIN_FREE_MB",
    ),
    # -- the crawler's components, by their Scrapy names ---------------------------------------
    component(
        "BACKOFF_RETRY_BASE_DELAY",
        2.0,
        "In-run retry of a failed fetch (crawler.middlewares."
        "backoff_retry): the n-th retry waits this many seconds times 2**(n-1), or what the "
        "server's Retry-After asks.",
    ),
    component(
        "BACKOFF_RETRY_MAX_DELAY",
        120.0,
        "Longest wait before one in-run retry (cap of the doubling and of Retry-After).",
    ),
    component(
        "TRAP_FILTER_ENABLED",
        True,
        "Drop requests that look like crawler traps (endless calendars, "
        "generated paths, session ids) before they are scheduled (crawler.middlewares.traps).",
    ),
    component("TRAP_FILTER_MAX_URL_LENGTH", 500, "A URL longer than this many characters is a trap."),
    component(
        "TRAP_FILTER_MAX_SEGMENT_REPEATS",
        2,
        "A URL whose path repeats one segment more than this many times (/a/b/a/b/a/) is a trap.",
    ),
    component(
        "TRAP_FILTER_MAX_QUERY_PARAMS",
        6,
        "A URL with more query parameters than this is a trap (faceted search pages that combine without end).",
    ),
    component(
        "TRAP_FILTER_YEAR_RANGE",
        (1995, 1),
        "First year, and years past this one, outside which "
        "a year in a URL (/2031/05/, ?year=2031) marks a calendar trap: '1995,1' allows "
        "1995 to next year.",
    ),
    component(
        "TRAP_FILTER_SESSION_PARAMS",
        (
            "jsessionid",
            "phpsessid",
            "aspsessionid",
            "sid",
            "sessionid",
            "session_id",
            "sessid",
            "cfid",
            "cftoken",
            "zenid",
            "osCsid",
        ),
        "Query parameters that carry a session id: stripped from every URL, so one page under "
        "a new id each visit is still one page.",
    ),
    component(
        "CONTENT_TYPE_FILTER_ENABLED",
        True,
        "Skip article pages that are not HTML (PDF, images, "
        "Word files behind article-like URLs) before extraction and the archive.",
    ),
    component(
        "KNOWN_URLS_ENABLED",
        True,
        "Incremental crawl: skip known article pages, or fetch them "
        "conditionally (If-None-Match / If-Modified-Since), so a second run fetches only what "
        "is new or changed.",
    ),
    component(
        "INDEX_PIPELINE_FLUSH_SECONDS",
        5.0,
        "A partial index batch waits at most this long before it is committed (0: until it is full).",
    ),
    component(
        "INDEX_PIPELINE_MAX_PENDING",
        2000,
        "Backend down: the crawl pauses once this many articles wait to be indexed, and goes on when a write succeeds.",
    ),
    component(
        "INDEX_PIPELINE_MAX_OUTAGE_SECONDS",
        600.0,
        "Backend down: the crawl stops (its URLs left unmarked, to be fetched again) after being paused this long.",
    ),
    component(
        "INDEX_PIPELINE_RETRY_SECONDS",
        2.0,
        "Backend down: the first retry of a failed index "
        "write comes after this many seconds, then twice as long each time (on a timer, "
        "never once per item).",
    ),
    component("INDEX_PIPELINE_RETRY_MAX_SECONDS", 60.0, "Longest wait between two retries of a failed index write."),
    component(
        "INDEX_PIPELINE_CLOSE_RETRIES",
        3,
        "Backend still down when the crawl ends: tries of the "
        "last commit, 1 s, 2 s, ... apart, before its articles are given up (URLs unmarked).",
    ),
    component(
        "WARC_ARCHIVE_MAX_BYTES", 1024**3, "A WARC file of the archive is closed and a new one started past this size."
    ),
    component(
        "RUN_RECORDER_ENABLED",
        True,
        "Record each run (counts, outcome OK/DEGRADED/FAILED) in the "
        "crawl state, for `scrapy sources`, /healthz and the exit status.",
    ),
    component(
        "DISK_GUARD_ENABLED",
        True,
        "Stop the crawl with one error when the disk under DATA_DIR fills up (see CRAWL_MIN_FREE_MB).",
    ),
    component("DISK_GUARD_INTERVAL", 1.0, "Seconds between two reads of the free space of DATA_DIR."),
    component(
        "DISK_GUARD_RESERVE_BYTES",
        512 * 1024,
        "Ballast kept in DATA_DIR while crawls run and deleted when the disk fills, so the last commits find room.",
    ),
    component(
        "CRAWLALL_PARALLEL_SOURCES", 6, "`scrapy crawlall`: sources crawled at the same time (--parallel overrides it)."
    ),
    component(
        "CRAWLALL_PROGRESS_SECONDS",
        2.0,
        "`scrapy crawlall`: seconds between two progress tables (--progress overrides it; 0: only the final one).",
    ),
    component(
        "SCHEDULE_TICK_SECONDS", 1.0, "`scrapy schedule`: seconds between two looks at the sources' cron schedules."
    ),
    component(
        "SCHEDULE_MAX_PARALLEL",
        2,
        "`scrapy schedule`: crawls running at the same time at most; a source due while this many run waits its turn.",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


class Settings:
    """Resolved settings: defaults, then explicit overrides (``Settings(BACKEND=...)``)."""

    def __init__(self, **overrides: Any) -> None:
        unknown = set(overrides) - set(_BY_NAME)
        if unknown:
            raise KeyError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        self._values = {s.name: s.default for s in SETTINGS}
        self._values.update(overrides)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        environ = os.environ if environ is None else environ
        values = {}
        for s in SETTINGS:
            raw = environ.get(s.env)
            if raw is not None and raw != "":
                try:
                    values[s.name] = s.parse(raw)
                except ValueError:
                    raise ValueError(f"{s.env}={raw!r} is not a valid {s.type_name()}") from None
        values.update(overrides)
        return cls(**values)

    @classmethod
    def from_scrapy(cls, scrapy_settings) -> Settings:
        """The settings a crawl runs with, read back from Scrapy's settings object (each under its
        :attr:`Setting.key`), so ``-s`` overrides reach what is built from them (the backend, the
        extraction workers)."""
        values = {}
        for s in SETTINGS:
            value = scrapy_settings.get(s.key, s.default)
            if isinstance(value, str) and not isinstance(s.default, str):
                value = s.parse(value)
            elif isinstance(value, list):
                value = tuple(value)
            values[s.name] = value
        return cls(**values)

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def as_dict(self) -> dict[str, Any]:
        return dict(self._values)
