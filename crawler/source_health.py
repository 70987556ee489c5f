"""Source health from the crawl state: what ``scrapy sources`` prints and ``/healthz`` serves.

For each source: status, the last run's outcome and why, the last successful run, consecutive
failures, the URLs it still owes (debts) and when the next is due, on-topic articles the crawl
committed to the index from it, pages that answered 5xx in the last run, and how many runs in a
row brought no new or updated article ("no article in N runs", flagged from
CRAWL_NO_ARTICLE_RUNS on).

Status: OK (last run fetched everything it found), DEGRADED (it ended, but pages failed and are
owed), FAILING (last run FAILED), RUNNING (its lock is held now), KILLED (last run never ended and
nobody holds the lock), NEVER (no run yet). ``scrapy sources`` adds INVALID (config errors).
"""

from __future__ import annotations

import json

from crawler import job_state
from crawler.crawl_state import CrawlState

STATUS_OF_OUTCOME = {"OK": "OK", "DEGRADED": "DEGRADED", "FAILED": "FAILING"}


def _running(data_dir, name: str) -> bool:
    try:
        return job_state.SourceLock(job_state.lock_path(data_dir, name)).is_held()
    except OSError:  # a read-only data folder (the UI's view): nobody can hold it
        return False


def _outcome(run: dict) -> str:
    if run.get("outcome"):
        return run["outcome"]
    return "OK" if run["ok"] else "FAILED"  # runs recorded before outcomes existed


def _server_errors(run: dict | None) -> int:
    if not run or not run.get("stats"):
        return 0
    stats = json.loads(run["stats"])
    return sum(v for k, v in stats.items() if k.startswith("cds/errors/http_5") and isinstance(v, (int, float)))


def source_health(state: CrawlState, names: list[str], data_dir, no_article_runs: int = 3) -> list[dict]:
    articles = state.articles_per_source()
    out = []
    for name in names:
        runs = state.runs(name, limit=100)
        debts = state.debts(name)
        running = _running(data_dir, name)
        last = runs[0] if runs else None
        ended = [r for r in runs if r["ended"] is not None]
        failures = 0
        for run in runs:
            if run["ended"] is None and not running:
                failures += 1
            elif run["ended"] is not None and not run["ok"]:
                failures += 1
            elif run["ended"] is not None:
                break
        if running:
            status = "RUNNING"
        elif last is None:
            status = "NEVER"
        elif last["ended"] is None:
            status = "KILLED"
        else:
            status = STATUS_OF_OUTCOME[_outcome(last)]
        success = next((r for r in runs if r["ok"]), None)
        quiet = 0
        for run in ended:
            if run["articles_new"] or run["articles_updated"]:
                break
            quiet += 1
        why = json.loads(last["stats"]).get("cds/run/outcome_why", "") if last and last["stats"] else ""
        out.append(
            {
                "source": name,
                "status": status,
                "last_run": last["started"] if last else None,
                "last_outcome": _outcome(last) if last and last["ended"] else None,
                "last_reason": (last["reason"] or "-") if last else None,
                "outcome_why": why,
                "last_success": success["ended"] if success else None,
                "consecutive_failures": failures,
                "pages": last["pages"] if last else 0,
                "new": last["articles_new"] if last else 0,
                "updated": last["articles_updated"] if last else 0,
                "errors": last["errors"] if last else 0,
                "server_errors": _server_errors(last),
                "debts": len(debts),
                "next_debt_try": min((d["next_try"] for d in debts), default=None),
                "articles": articles.get(name, 0),
                "runs_without_article": quiet,
                "note": f"no article in {quiet} runs" if ended and quiet >= no_article_runs else "",
            }
        )
    return out
