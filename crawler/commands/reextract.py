"""``scrapy reextract``: rebuild articles from the WARC archive, without fetching anything.

When extraction improves (a better date parser, a new partner alias), the archive is re-read
through the same build_article, the same enrichers (ENRICHERS, PARTNERS_FILE, TOPIC_THRESHOLD
from the run's CĐS settings) and the same topic threshold the crawl uses, and written to the
backend by Article.id, so the result is what a fresh crawl of the same bytes would give. Only
the newest archived copy of each page counts.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from config.settings import Settings
from crawler.commands._common import ProjectCommand, configured_sources
from crawler.extensions.warc_archive import iter_archive
from crawler.pipelines.index import cluster_duplicates, start_clusterer
from crawler.pipelines.topic_filter import is_on_topic
from indexer.backends import BackendError, load_backend
from indexer.pipeline import ExtractionError, build_article, enrichers_for


def reextract(archive_dir, backend, sources: dict, threshold: float, *, settings,
              clusterer=None, source: str | None = None, batch_size: int = 200,
              out=sys.stderr) -> dict[str, int]:
    """The command's work, callable from tests and ``make``: returns the counts it printed.
    ``settings`` (config.settings.Settings) chooses the enrichers, as in the crawl."""
    enrichers = enrichers_for(settings)
    latest: dict[str, int] = {}
    for n, page in enumerate(iter_archive(archive_dir, source)):
        latest[page.discovered_url] = n
    counts = {"records": 0, "pages": len(latest), "indexed": 0, "off_topic": 0, "errors": 0}
    keep, drop, ids = [], [], set()

    def flush():
        ids.update(a.id for a in keep)
        counts["indexed"] = len(ids)
        keep.extend(cluster_duplicates(backend, clusterer, keep))
        if keep:
            backend.index(keep)
        if drop:
            backend.delete(drop)
        backend.commit()
        keep.clear()
        drop.clear()

    for n, page in enumerate(iter_archive(archive_dir, source)):
        counts["records"] += 1
        if latest.get(page.discovered_url) != n:
            continue                                  # an older copy of a page archived again later
        try:
            article = build_article(page.body, page.url, headers=page.headers,
                                    source=sources.get(page.source),
                                    hints={**page.hints, "fetched_at": page.date},
                                    enrichers=enrichers)
        except ExtractionError as exc:
            counts["off_topic"] += 1
            print(f"skipped {page.url}: {exc}", file=out)
            continue
        except Exception as exc:
            counts["errors"] += 1
            print(f"cannot extract {page.url}: {type(exc).__name__}: {exc}", file=out)
            continue
        article.on_topic = is_on_topic(article, threshold)
        if article.on_topic:
            keep.append(article)
        else:
            counts["off_topic"] += 1
            drop.append(article.id)
        if len(keep) + len(drop) >= batch_size:
            flush()
    flush()
    return counts


class Command(ProjectCommand, ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "[--source NAME] [--clear]"

    def short_desc(self) -> str:
        return "Rebuild articles from the WARC archive into the search backend (no fetching)"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--source", help="only this source's archive")
        parser.add_argument("--clear", action="store_true",
                            help="empty the index first (a full rebuild from the archive)")

    def run(self, args, opts) -> None:
        if args:
            raise UsageError("reextract takes no positional arguments")
        sources, _ = configured_sources(self.settings)
        archive = Path(self.settings["CDS_DATA_DIR"], "warc")
        if not archive.exists():
            print(f"no WARC archive at {archive}: nothing to re-extract", file=sys.stderr)
            self.exitcode = 1
            return
        started = time.monotonic()
        try:
            cds = Settings.from_scrapy(self.settings)
            backend = load_backend(cds)
            if opts.clear:
                backend.clear()
            counts = reextract(archive, backend, {s.name: s for s in sources},
                               float(cds.TOPIC_THRESHOLD), settings=cds,
                               clusterer=start_clusterer(backend, cds), source=opts.source)
            backend.close()
        except BackendError as exc:
            print(f"search backend unavailable: {exc}", file=sys.stderr)
            self.exitcode = 1
            return
        print(f"re-extracted {counts['pages']} pages from {counts['records']} archived records in "
              f"{time.monotonic() - started:.1f}s: {counts['indexed']} articles indexed, "
              f"{counts['off_topic']} off-topic, {counts['errors']} errors")
        if counts["errors"]:
            self.exitcode = 1
