"""The crawl's health as the UI's ``/healthz`` shows it: per source, the same figures as
``scrapy sources`` (crawler/source_health.py), read from the crawl state without ever writing it,
plus the articles the index holds from each source.

The sources listed are the configured ones (SOURCES_FILE) and any the crawl state has runs for; a
missing state file means no crawl yet (an empty list), a damaged one is reported, not raised.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from config.sources import load_sources
from crawler.crawl_state import CrawlState
from crawler.source_health import source_health

log = logging.getLogger(__name__)

FIELDS = (
    "source",
    "status",
    "last_outcome",
    "outcome_why",
    "last_run",
    "last_success",
    "consecutive_failures",
    "debts",
    "next_debt_try",
    "articles",
    "server_errors",
    "runs_without_article",
    "note",
)
RANK = {"FAILING": 4, "KILLED": 3, "DEGRADED": 2, "RUNNING": 1, "OK": 0, "NEVER": 0}


def configured_names(path: str) -> list[str]:
    try:
        return [s.name for s in load_sources(path, errors=[])]
    except Exception as e:  # the sources file's own errors are the crawl commands' to report
        log.warning("sources file unusable for the health view: %s", e)
        return []


def crawl_health(settings) -> tuple[list[dict], str]:
    """(per-source rows, error); the error is '' when the state could be read (or is absent)."""
    path = Path(settings.DATA_DIR, "crawl", "state.sqlite")
    if not path.exists():
        return [], ""
    try:
        state = CrawlState(path, readonly=True)
        try:
            seen = [r[0] for r in state.db.execute("SELECT DISTINCT source FROM runs ORDER BY source")]
            names = list(dict.fromkeys([*configured_names(settings.SOURCES_FILE), *seen]))
            rows = source_health(state, names, settings.DATA_DIR, int(settings.CRAWL_NO_ARTICLE_RUNS))
        finally:
            state.db.close()
    except sqlite3.Error as e:
        return [], f"crawl state {path} unreadable: {e}"
    return [{k: r[k] for k in FIELDS} for r in rows], ""


def worst(rows: list[dict]) -> str:
    """The crawl's overall status: its worst source's."""
    return max((r["status"] for r in rows), key=lambda s: RANK.get(s, 0), default="NEVER")
