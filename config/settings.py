"""Every CĐS Radar setting, its default and its help text, in one place.

Modelled on Datasette's ``Setting(name, default, help)``: a test fails when a setting has
no help. Environment variables ``CDS_<NAME>`` override defaults, but are read only at the
edges (the app factory, the CLIs, Scrapy's settings module) through :meth:`Settings.from_env`;
components receive plain values.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

CONFIG_DIR = Path(__file__).resolve().parent
PROJECT_DIR = CONFIG_DIR.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("DATA_DIR", str(PROJECT_DIR / "data"), "Runtime data: index, WARC archive, crawl state, run log."),
    Setting("BACKEND", "embedded", "Search backend: 'embedded' (tantivy, no server) or 'elasticsearch'."),
    Setting("ES_URL", "", "Elasticsearch URL, e.g. http://localhost:9200 (backend 'elasticsearch')."),
    Setting("ES_INDEX", "cds-articles", "Elasticsearch index (alias) name."),
    Setting("ES_API_KEY", "", "Elasticsearch API key, if the cluster needs one."),
    Setting("SOURCES_FILE", str(CONFIG_DIR / "sources.yaml"), "Sources to crawl (YAML)."),
    Setting("PARTNERS_FILE", str(CONFIG_DIR / "partners.yaml"), "Partner companies and their aliases (YAML)."),
    Setting("ABBREVIATIONS_FILE", str(CONFIG_DIR / "abbreviations.yaml"), "Query-time abbreviations (CĐS, UBND, ...)."),
    Setting("TERMS_FILE", str(CONFIG_DIR / "terms.yaml"), "Domain terms a query keeps whole (chữ ký số, "
            "dịch vụ công trực tuyến) and modifiers that bind to the word before them (… số, … điện tử)."),
    Setting("TOPIC_THRESHOLD", 1.0, "Minimum topic score for an article to count as chuyển đổi số."),
    Setting("ENRICHERS", "provinces,partners,years,kind,topic",
            "Enrichers run on every Article, in order: built-in names from "
            "indexer/enrichment/base.py BUILTINS, or dotted 'module:Class' paths."),
    Setting("DUPLICATE_THRESHOLD", 0.7,
            "Estimated Jaccard similarity (word 4-grams, MinHash) above which two articles are "
            "syndicated copies of one story."),
    Setting("UI_HOST", "127.0.0.1", "Address the search UI listens on."),
    Setting("UI_PORT", 5000, "Port the search UI listens on."),
    Setting("UI_WORKERS", 0, "Worker processes of the production server (gunicorn, `make serve`); 0: one "
            "per CPU core (each has its own GIL, so more processes than cores only queue)."),
    Setting("UI_THREADS", 4, "Threads per gunicorn worker (gthread): requests one worker serves at once, "
            "while others wait on the index or the client; idle keep-alive connections hold no thread."),
    Setting("EXPORT_MAX_ROWS", 10_000, "Rows of a CSV export at most; a longer result is cut there, and "
            "the file's comment line and the X-Export-Truncated header say so."),
    Setting("EXPORT_MAX_CONCURRENT", 2, "CSV exports one UI process streams at once (gunicorn: per worker); "
            "one more is refused with 503 and Retry-After, so exports cannot starve searches."),
    Setting("DEMO_PORT", 8800, "Port of the demo web; each demo site listens on its own loopback address (127.0.0.11, .12, ...)."),
    Setting("USER_AGENT", "CDSRadarBot/0.1 (+https://github.com/cds-radar/cds-radar; crawler contact)",
            "User-Agent sent by the crawler: identifies us and says where to complain."),
    # crawler (read into Scrapy settings by crawler/settings.py)
    Setting("CRAWL_DELAY", 1.0, "Minimum seconds between two requests to one site; AutoThrottle only "
            "raises it. 0 for the local demo web."),
    Setting("CRAWL_CONCURRENCY_PER_SITE", 2, "Parallel requests to one site at most."),
    Setting("CRAWL_MAX_PAGES", 20000, "Pages fetched per source per run at most (a run stopped by it "
            "resumes where it stopped)."),
    Setting("CRAWL_MAX_DEPTH", 300, "Link depth limit (listing page n is depth n-1): stops endless "
            "pagination and calendars."),
    Setting("CRAWL_MAX_PAGE_BYTES", 10 * 1024 * 1024, "Pages larger than this are abandoned and counted."),
    Setting("CRAWL_REFRESH_DAYS", 30.0, "A known article whose discovery gives no lastmod is fetched again "
            "(conditionally) only after this many days."),
    Setting("CRAWL_INDEX_BATCH", 50, "Articles committed to the index per batch; URLs are marked done "
            "only after their batch is committed."),
    Setting("CRAWL_EXTRACT_WORKERS", 1, "Worker processes that turn pages into articles while the "
            "crawler keeps fetching (0: extract in the crawler process)."),
    Setting("CRAWL_RESUME", True, "Keep Scrapy's job directory under DATA_DIR so a stopped crawl resumes."),
    Setting("CRAWL_WARC", True, "Archive every fetched article page as WARC under DATA_DIR/warc."),
    Setting("CRAWL_RETRY_BASE_SECONDS", 300.0, "A URL whose fetch failed (refused, timed out, 5xx after "
            "the in-run retries) is a debt: retried on a later run, first after this many seconds, "
            "then twice as long after each further failure."),
    Setting("CRAWL_RETRY_MAX_SECONDS", 86400.0, "Longest wait between two tries of a debt (the cap of "
            "the doubling)."),
    Setting("CRAWL_FAILED_ERROR_RATE", 0.8, "A run is FAILED (not merely DEGRADED) when more than this "
            "share of its fetches failed, or when it fetched nothing but failures; `scrapy crawl` "
            "and `crawlall` then exit non-zero."),
    Setting("CRAWL_NO_ARTICLE_RUNS", 3, "Health flags a source whose last this many runs brought no "
            "new or updated article (\"no article in N runs\")."),
    Setting("CRAWL_MIN_FREE_MB", 50.0, "The crawl stops (run FAILED, reason disk_full) when DATA_DIR has "
            "less free space than this, keeping room for its last commits."),
    Setting("PUBLIC_URL", "", "Public base URL of the search UI (https://radar.example.vn/); when set, "
            "feed and page links use it instead of the Host header a client sent."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def _coerce(value: str, default: Any) -> Any:
    if isinstance(default, bool):
        word = value.strip().lower()
        if word in {"1", "true", "yes", "on"}:
            return True
        if word in {"0", "false", "no", "off"}:
            return False
        raise ValueError(value)
    if isinstance(default, int):
        return int(value)
    if isinstance(default, float):
        return float(value)
    return value


class Settings:
    """Resolved settings: defaults, then explicit overrides (``Settings(BACKEND=...)``)."""

    def __init__(self, **overrides: Any) -> None:
        unknown = set(overrides) - set(_BY_NAME)
        if unknown:
            raise KeyError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        self._values = {s.name: s.default for s in SETTINGS}
        self._values.update(overrides)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> "Settings":
        environ = os.environ if environ is None else environ
        values = {}
        for s in SETTINGS:
            raw = environ.get(f"CDS_{s.name}")
            if raw is not None and raw != "":
                try:
                    values[s.name] = _coerce(raw, s.default)
                except ValueError:
                    raise ValueError(f"CDS_{s.name}={raw!r} is not a valid {type(s.default).__name__}") from None
        values.update(overrides)
        return cls(**values)

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def data_dir(self) -> Path:
        return Path(self.DATA_DIR)

    def as_dict(self) -> dict[str, Any]:
        return dict(self._values)
