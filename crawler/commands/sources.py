"""``scrapy sources``: which sources are healthy. For each configured source: status, the last
run and the last successful one, consecutive failures, what the last run did, and how many
on-topic articles the crawl holds from it. Invalid entries are listed with the field at fault.

Status (crawler/source_health.py): OK (last run fetched all it found), DEGRADED (pages failed and
are owed: the "owed" column), FAILING (last run FAILED), RUNNING (its lock is held now), KILLED
(last run never ended and nobody holds the lock), NEVER (no run yet), INVALID (config). "5xx" is
the pages that answered a server error in the last run; "note" flags "no article in N runs".
Verification: what public evidence showed of the source's URL shapes (verified, contradicted and
fixed, unverified; see config/sources.yaml), so a source that finds nothing can be told apart from
one whose patterns were never checked.
"""

from __future__ import annotations

import json
from pathlib import Path

from scrapy.commands import ScrapyCommand

from crawler.commands._common import ProjectCommand, configured_sources, table
from crawler.crawl_state import CrawlState
from crawler.source_health import source_health


class Command(ProjectCommand, ScrapyCommand):
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
        rows = source_health(
            state,
            [s.name for s in sources],
            Path(self.settings["CDS_DATA_DIR"]),
            self.settings.getint("CDS_CRAWL_NO_ARTICLE_RUNS"),
        )
        for row, src in zip(rows, sources):  # what public evidence showed of its URL shapes
            row["verification"] = src.verification or "-"
        invalid = [{"source": e.source, "status": "INVALID", "field": e.field, "error": str(e)} for e in errors]
        if opts.json:
            print(json.dumps(rows + invalid, ensure_ascii=False, indent=2))
        else:
            header = [
                "source",
                "status",
                "last run (UTC)",
                "last success (UTC)",
                "fails",
                "pages",
                "new",
                "updated",
                "errors",
                "5xx",
                "owed",
                "articles",
                "verification",
                "note",
            ]
            print(
                table(
                    [
                        [
                            r["source"],
                            r["status"],
                            _t(r["last_run"]),
                            _t(r["last_success"]),
                            r["consecutive_failures"],
                            r["pages"],
                            r["new"],
                            r["updated"],
                            r["errors"],
                            r["server_errors"],
                            r["debts"],
                            r["articles"],
                            r["verification"],
                            r["note"] or "-",
                        ]
                        for r in rows
                    ],
                    header,
                )
            )
            for bad in invalid:
                print(f"INVALID  {bad['error']}")
        if invalid or any(r["status"] in ("FAILING", "KILLED") for r in rows):
            self.exitcode = 1


def _t(iso: str | None) -> str:
    return iso.replace("T", " ")[:19] if iso else "-"
