"""``scrapy sources``: which sources are healthy. For each configured source: status, the last
run and the last successful one, consecutive failures, what the last run did, and how many
on-topic articles the crawl holds from it. Invalid entries are listed with the field at fault.

Status: OK (last run succeeded), FAILING (last run failed), RUNNING (its lock is held now),
KILLED (last run never ended and nobody holds the lock), NEVER (no run yet), INVALID (config).
Verification: what public evidence showed of the source's URL shapes (verified, contradicted and
fixed, unverified; see config/sources.yaml), so a source that finds nothing can be told apart from
one whose patterns were never checked.
"""
from __future__ import annotations

import json

from scrapy.commands import ScrapyCommand

from crawler import job_state
from crawler.commands._common import configured_sources, table
from crawler.config_bridge import data_path
from crawler.crawl_state import CrawlState


def source_health(state: CrawlState, names: list[str], data_dir) -> list[dict]:
    articles = state.articles_per_source()
    out = []
    for name in names:
        runs = state.runs(name, limit=100)
        running = job_state.SourceLock(job_state.lock_path(data_dir, name)).is_held()
        last = runs[0] if runs else None
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
            status = "OK" if last["ok"] else "FAILING"
        success = next((r for r in runs if r["ok"]), None)
        out.append({
            "source": name, "status": status, "last_run": last["started"] if last else None,
            "last_reason": (last["reason"] or "-") if last else None,
            "last_success": success["ended"] if success else None, "consecutive_failures": failures,
            "pages": last["pages"] if last else 0, "new": last["articles_new"] if last else 0,
            "updated": last["articles_updated"] if last else 0, "errors": last["errors"] if last else 0,
            "articles": articles.get(name, 0)})
    return out


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "[--json]"

    def short_desc(self) -> str:
        return "Show every configured source's health: last success, failures, articles found"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--json", action="store_true", help="machine-readable output")

    def run(self, args, opts) -> None:
        sources, errors = configured_sources(self.settings, report=False)
        state = CrawlState.from_settings(self.settings)
        rows = source_health(state, [s.name for s in sources], data_path(self.settings))
        for row, src in zip(rows, sources):     # what public evidence showed of its URL shapes
            row["verification"] = src.verification or "-"
        invalid = [{"source": e.source, "status": "INVALID", "field": e.field, "error": str(e)}
                   for e in errors]
        if opts.json:
            print(json.dumps(rows + invalid, ensure_ascii=False, indent=2))
        else:
            header = ["source", "status", "last run (UTC)", "last success (UTC)", "fails", "pages",
                      "new", "updated", "errors", "articles", "verification"]
            print(table([[r["source"], r["status"], _t(r["last_run"]), _t(r["last_success"]),
                          r["consecutive_failures"], r["pages"], r["new"], r["updated"], r["errors"],
                          r["articles"], r["verification"]] for r in rows], header))
            for bad in invalid:
                print(f"INVALID  {bad['error']}")
        if invalid or any(r["status"] in ("FAILING", "KILLED") for r in rows):
            self.exitcode = 1


def _t(iso: str | None) -> str:
    return iso.replace("T", " ")[:19] if iso else "-"
