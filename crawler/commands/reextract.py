"""``scrapy reextract``: rebuild articles from the WARC archive, without fetching anything.

When extraction improves (a better date parser, a new partner alias), the archive is re-read
through the crawl's own write service (:class:`indexer.writer.Writer`: the same extraction, the
same enrichers and topic rule from the run's CĐS settings, the same clustering, committed
batches), and written to the backend by Article.id, so the result is what a fresh crawl of the
same bytes would give. Only the newest archived copy of each page counts. Extraction uses the
crawl's worker processes (EXTRACT_PIPELINE_WORKERS); articles are taken in archive order all the
same, so the result does not depend on them.
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
from indexer.backends import BackendError, load_backend
from indexer.pipeline import ExtractionError
from indexer.writer import Extractor, InlineLoop, Listener, Page, SharedIndex, Writer, start_clusterer


class _Rebuild(Listener):
    """Counts what became of each page; every article is written (or, off-topic, removed) as if
    the index had an older copy of it."""

    def __init__(self, out) -> None:
        self.out = out
        self.counts = {"records": 0, "pages": 0, "indexed": 0, "off_topic": 0, "errors": 0}
        self.indexed: set[str] = set()

    def previous(self, article_id):
        return {"on_topic": 1, "content_hash": None}

    def extracted(self, entry, error) -> None:
        url = entry.page.url
        if isinstance(error, ExtractionError):
            self.counts["off_topic"] += 1
            print(f"skipped {url}: {error}", file=self.out)
        elif error is not None:
            self.counts["errors"] += 1
            print(f"cannot extract {url}: {type(error).__name__}: {error}", file=self.out)
        elif not entry.article.on_topic:
            self.counts["off_topic"] += 1

    def committed(self, entries, rejected) -> None:
        self.indexed.update(e.article.id for e in entries if e.article.on_topic and e.article.id not in rejected)
        self.counts["errors"] += sum(1 for e in entries if e.article.id in rejected)
        self.counts["indexed"] = len(self.indexed)

    def failed(self, entries, error) -> None:
        raise error

    def backend_error(self, error) -> None:
        raise error  # no retries here: the command says so and exits 1


def reextract(
    archive_dir,
    backend,
    sources: dict,
    *,
    settings: Settings,
    clusterer=None,
    source: str | None = None,
    batch_size: int = 200,
    workers: int = 0,
    out=sys.stderr,
) -> dict[str, int]:
    """The command's work, callable from tests and ``make``: returns the counts it printed.
    ``settings`` (config.settings.Settings) chooses the enrichers and the topic threshold, as in
    the crawl. Raises BackendError when the backend fails."""
    latest: dict[str, int] = {}
    for n, page in enumerate(iter_archive(archive_dir, source)):
        latest[page.discovered_url] = n
    loop = InlineLoop(time.monotonic)
    listener = _Rebuild(out)
    listener.counts["pages"] = len(latest)
    extractor = Extractor(settings.as_dict(), workers)
    writer = Writer(
        SharedIndex(backend, clusterer),
        loop=loop,
        extractor=extractor,
        listener=listener,
        batch_size=batch_size,
        flush_seconds=0,
        max_pending=1 << 30,
    )
    try:
        for n, page in enumerate(iter_archive(archive_dir, source)):
            listener.counts["records"] += 1
            if latest.get(page.discovered_url) != n:
                continue  # an older copy of a page archived again later
            writer.submit(
                Page(
                    page.url, page.body, page.headers, sources.get(page.source), {**page.hints, "fetched_at": page.date}
                )
            )
            loop.wait(most=4 * workers)  # a few pages ahead per worker, not the archive
        loop.wait()
        writer.close(0, lambda left: None)
    finally:
        extractor.close()
    return listener.counts


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
        parser.add_argument(
            "--clear", action="store_true", help="empty the index first (a full rebuild from the archive)"
        )

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
            counts = reextract(
                archive,
                backend,
                {s.name: s for s in sources},
                settings=cds,
                clusterer=start_clusterer(backend, cds),
                source=opts.source,
                workers=self.settings.getint("EXTRACT_PIPELINE_WORKERS"),
            )
            backend.close()
        except BackendError as exc:
            print(f"search backend unavailable: {exc}", file=sys.stderr)
            self.exitcode = 1
            return
        print(
            f"re-extracted {counts['pages']} pages from {counts['records']} archived records in "
            f"{time.monotonic() - started:.1f}s: {counts['indexed']} articles indexed, "
            f"{counts['off_topic']} off-topic, {counts['errors']} errors"
        )
        if counts["errors"]:
            self.exitcode = 1
