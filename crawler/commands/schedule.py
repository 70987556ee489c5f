"""``scrapy schedule``: run each source's crawl on its cron expression (``schedule:`` in the
sources file), forever or ``--for`` N seconds.

Crawls run inside this one process (one writer for the embedded index, which allows only one).
A source whose previous run is still going when it falls due again is skipped for that slot and
the skip is logged: never two runs of the same source at once. The per-source file lock that
every crawl takes also keeps out a manual ``scrapy crawl`` of the same source in another process.
"""

from __future__ import annotations

import logging
from datetime import datetime

from croniter import croniter
from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from twisted.internet import task

from crawler.commands._common import ProjectCommand, configured_sources
from crawler.commands.crawlall import _installed_reactor
from crawler.pipelines.write_hub import shared_writes
from crawler.spiders.source import SourceSpider

logger = logging.getLogger("crawler.schedule")


class Scheduler:
    def __init__(self, process, schedules: dict[str, str], max_parallel: int, run_now: bool) -> None:
        self.process = process
        self.schedules = schedules
        self.max_parallel = max(1, max_parallel)
        start = datetime.now()
        self.due = {n: start if run_now else croniter(c, start).get_next(datetime) for n, c in schedules.items()}
        self.running: dict[str, object] = {}
        self.started = 0
        self.skipped = 0

    def tick(self) -> None:
        now = datetime.now()
        for name in sorted(self.due, key=self.due.get):
            if self.due[name] > now:
                continue
            if name in self.running:
                self.skipped += 1
                logger.warning(
                    "%s is still running: skipping its run due at %s",
                    name,
                    self.due[name].isoformat(timespec="seconds"),
                )
                self._advance(name, now)
                continue
            if len(self.running) >= self.max_parallel:
                continue  # stays due; starts when a slot frees up
            self._advance(name, now)
            self.start(name)

    def _advance(self, name: str, now: datetime) -> None:
        self.due[name] = croniter(self.schedules[name], now).get_next(datetime)

    def start(self, name: str) -> None:
        logger.info("starting scheduled crawl of %s (next at %s)", name, self.due[name].isoformat(timespec="seconds"))
        self.started += 1
        d = self.process.crawl(SourceSpider, source=name)
        self.running[name] = d
        d.addBoth(self._ended, name)

    def _ended(self, result, name: str):
        self.running.pop(name, None)
        if hasattr(result, "getErrorMessage"):
            logger.error("scheduled crawl of %s failed: %s", name, result.getErrorMessage())
        return None


class Command(ProjectCommand, ScrapyCommand):
    requires_project = True
    default_settings = {"FORCE_CRAWLER_PROCESS": True}

    def syntax(self) -> str:
        return "[--for SECONDS] [--run-now] [source ...]"

    def short_desc(self) -> str:
        return "Run the configured sources' crawls on their cron schedules"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument(
            "--for",
            dest="duration",
            type=float,
            default=0,
            help="stop scheduling after this many seconds (and wait for running crawls)",
        )
        parser.add_argument(
            "--run-now", action="store_true", help="start every scheduled source at once, then follow the schedule"
        )

    def run(self, args, opts) -> None:
        sources, _errors = configured_sources(self.settings)
        chosen = [s for s in sources if not args or s.name in args]
        unknown = set(args) - {s.name for s in sources}
        if unknown:
            raise UsageError(f"unknown source(s): {', '.join(sorted(unknown))}")
        schedules = {s.name: s.schedule for s in chosen if s.schedule}
        for s in chosen:
            if not s.schedule:
                logger.warning("%s has no schedule: not run by the scheduler", s.name)
        if not schedules:
            raise UsageError("no source has a schedule")
        reactor = _installed_reactor(self.settings)
        scheduler = Scheduler(
            self.crawler_process, schedules, self.settings.getint("SCHEDULE_MAX_PARALLEL"), opts.run_now
        )
        for name, when in sorted(scheduler.due.items(), key=lambda kv: kv[1]):
            logger.info("%s: %s, next run %s", name, schedules[name], when.isoformat(timespec="seconds"))
        with shared_writes(self.crawler_process.settings):  # one index writer for every crawl
            loop = task.LoopingCall(scheduler.tick)
            loop.start(self.settings.getfloat("SCHEDULE_TICK_SECONDS"), now=True)
            if opts.duration:
                reactor.callLater(opts.duration, self._wind_down, loop, reactor)
            self.crawler_process.start(stop_after_crawl=False)
        logger.info(
            "scheduler stopped: %d crawls started, %d slots skipped (source still running)",
            scheduler.started,
            scheduler.skipped,
        )

    def _wind_down(self, loop, reactor) -> None:
        if loop.running:
            loop.stop()
        logger.info("schedule time is up: waiting for running crawls to finish")
        self.crawler_process.join().addBoth(lambda _: reactor.stop() if reactor.running else None)
