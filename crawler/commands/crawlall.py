"""``scrapy crawlall [--full] [source ...]``: crawl every configured source (or the named ones) in
one process, a few at a time, printing pages/articles/errors per source as it goes, then each
run's outcome (OK / DEGRADED / FAILED). Exits 1 when any source FAILED or the sources file has
errors; ``--full`` walks every listing to its end (as ``-a full=1`` does for one source).

One process for all sources also means one writer for the embedded index, which allows only one.
"""

from __future__ import annotations

import sys
import time

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from twisted.internet import defer, task
from twisted.python.failure import Failure

from crawler.commands._common import ProjectCommand, configured_sources, table, writable_data_dir
from crawler.extensions.run_recorder import run_counts
from crawler.pipelines.write_hub import shared_writes
from crawler.spiders.source import SourceSpider


class Progress:
    """The per-source figures, printed every few seconds and once more at the end."""

    HEADER = ["source", "state", "pages", "new", "updated", "off-topic", "skipped", "errors", "failed", "owed"]

    def __init__(self, names: list[str], out=sys.stderr) -> None:
        self.names = names
        self.crawlers: dict = {}
        self.state = {n: "waiting" for n in names}
        self.outcome: dict[str, str] = {}
        self.out = out
        self.started = time.monotonic()

    def rows(self) -> list[list]:
        rows = []
        for name in self.names:
            stats = _stats(self.crawlers.get(name))
            c = run_counts(stats) if stats else {}
            rows.append(
                [
                    name,
                    self.state[name],
                    c.get("pages", 0),
                    c.get("articles_new", 0),
                    c.get("articles_updated", 0),
                    c.get("off_topic", 0),
                    c.get("skipped", 0),
                    c.get("errors", 0),
                    stats.get("cds/fetch/failed", 0),
                    stats.get("cds/debts/left", "-"),
                ]
            )
        return rows

    def show(self, force: bool = False) -> None:
        rows = self.rows()
        if rows == getattr(self, "_shown", None) and not force:
            return  # nothing moved since the last table
        self._shown = rows
        print(f"-- crawlall, {time.monotonic() - self.started:.0f}s --", file=self.out)
        print(table(rows, self.HEADER), file=self.out, flush=True)


class Command(ProjectCommand, ScrapyCommand):
    requires_project = True
    default_settings = {"FORCE_CRAWLER_PROCESS": True}

    def syntax(self) -> str:
        return "[options] [source ...]"

    def short_desc(self) -> str:
        return "Crawl all configured sources (or the named ones) with a progress display"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument(
            "--parallel", type=int, default=None, help="sources crawled at the same time (CRAWLALL_PARALLEL_SOURCES)"
        )
        parser.add_argument(
            "--progress", type=float, default=None, help="seconds between progress tables (0: only the final one)"
        )
        parser.add_argument(
            "--full",
            action="store_true",
            help="walk every listing to its end, even where an incremental run would stop",
        )

    def process_options(self, args, opts) -> None:
        super().process_options(args, opts)
        if not opts.loglevel and not opts.nolog:  # the progress table is the output; -L INFO for more
            self.settings.set("LOG_LEVEL", "WARNING", priority="cmdline")

    def run(self, args: list[str], opts) -> None:
        sources, errors = configured_sources(self.settings)
        writable_data_dir(self.settings)
        known = {s.name for s in sources}
        bad = {e.source for e in errors}
        unknown = [n for n in args if n not in known and n not in bad]
        if unknown:
            raise UsageError(f"unknown source(s): {', '.join(unknown)}")
        names = [n for n in (args or [s.name for s in sources]) if n in known]
        parallel = opts.parallel or self.settings.getint("CRAWLALL_PARALLEL_SOURCES")
        every = self.settings.getfloat("CRAWLALL_PROGRESS_SECONDS") if opts.progress is None else opts.progress
        progress = Progress(names)
        semaphore = defer.DeferredSemaphore(max(1, parallel))
        process = self.crawler_process

        stopping = []

        def launch(name):
            if stopping:  # Ctrl-C: don't start the sources still waiting
                progress.state[name] = "not run"
                return None
            crawler = process.create_crawler(SourceSpider)
            progress.crawlers[name] = crawler
            progress.state[name] = "running"
            d = process.crawl(crawler, source=name, **({"full": "1"} if opts.full else {}))
            d.addBoth(lambda result: _ended(progress, name, crawler, result))
            return d

        with shared_writes(process.settings):  # one index writer and one worker pool for all
            reactor = _installed_reactor(self.settings)
            reactor.addSystemEventTrigger("before", "shutdown", stopping.append, True)
            everything = defer.DeferredList([semaphore.run(launch, name) for name in names], consumeErrors=True)
            everything.addBoth(lambda _: reactor.callLater(0, _stop, reactor))
            loop = task.LoopingCall(progress.show) if every > 0 else None
            if loop:
                loop.start(every, now=False)
            process.start(stop_after_crawl=False)
        if loop and loop.running:
            loop.stop()
        progress.show()
        failed = [n for n in names if progress.outcome.get(n) in (None, "FAILED")]
        if failed:
            print(f"FAILED: {', '.join(failed)} (see `scrapy sources`)", file=sys.stderr)
        if errors or failed:
            self.exitcode = 1


def _stop(reactor) -> None:
    if reactor.running:
        reactor.stop()


def _ended(progress: Progress, name: str, crawler, result):
    if isinstance(result, Failure):
        print(f"crawl of {name} failed to start: {result.getErrorMessage()}", file=sys.stderr)
    stats = _stats(crawler)
    reason, outcome = stats.get("finish_reason"), stats.get("cds/run/outcome")
    if outcome:
        progress.outcome[name] = outcome
    progress.state[name] = f"{reason or 'failed'} {outcome or 'FAILED'}"


def _stats(crawler) -> dict:
    """A crawler's stats; {} before its crawl started (or when it never could)."""
    try:
        return crawler.stats.get_stats() if crawler is not None and crawler.stats else {}
    except RuntimeError:
        return {}


def _installed_reactor(settings):
    """The reactor Scrapy wants, installed before anything imports the default one."""
    from scrapy.utils.reactor import install_reactor, is_reactor_installed

    if not is_reactor_installed():
        install_reactor(settings["TWISTED_REACTOR"], settings["ASYNCIO_EVENT_LOOP"])
    from twisted.internet import reactor

    return reactor
