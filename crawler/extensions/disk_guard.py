"""Disk full stops the crawl within seconds, with one clear error and a FAILED run.

Two ways in, one reaction. Every DISK_GUARD_INTERVAL seconds the free space of DATA_DIR is read;
below DISK_GUARD_MIN_FREE_MB (CRAWL_MIN_FREE_MB) the crawl stops while there is still room for its last commits.
And a write that fails anyway (ENOSPC from the WARC archive, SQLite's "database or disk is full",
tantivy's StorageFull) is caught where it surfaces: in the log. A logging filter on the handlers
recognises the failure in a record (its exception or its text), trips the guard and drops the
record, so the console gets one error instead of a traceback per pending write.

While crawls run, DISK_GUARD_RESERVE_BYTES of ballast sit in DATA_DIR/.disk-reserve; tripping
deletes it, so the last commits (index batch, known pages, the run record) find room even when a
write already failed.

Tripping closes every crawl in the process (``crawlall`` runs several) with reason ``disk_full``:
the run is FAILED, the exit status 1. What is on disk stays consistent because every writer is
transactional: a URL is ``done`` only once its article is committed (an index commit that fails
leaves the previous commit), SQLite rolls back, a job queue left by a failed close is discarded
or moved aside by the next run. Freeing space and running again continues the crawl.
"""

from __future__ import annotations

import errno
import logging
import shutil
import sqlite3
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import deferred_from_coro
from twisted.internet import task

logger = logging.getLogger(__name__)

MARKERS = (
    "No space left on device",
    "database or disk is full",
    "StorageFull",
    "Disk quota exceeded",
    "[Errno 28]",
    "os error 28",
)


def is_disk_full(exc: BaseException | None) -> bool:
    """Is this error (or one it was raised from) a full disk?"""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if isinstance(exc, (sqlite3.OperationalError, ValueError, OSError)) and any(m in str(exc) for m in MARKERS):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


class _Trip:
    """The process-wide state: every guard (one per crawl), the ballast, whether the disk filled up."""

    guards: list[DiskGuard] = []
    tripped = False
    ballast: Path | None = None


def _lay_ballast(directory: Path, size: int) -> None:
    if _Trip.ballast is not None or size <= 0:
        return
    path = directory / ".disk-reserve"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as f:
            chunk = b"\0" * min(size, 1 << 20)
            for _ in range(0, size, len(chunk)):
                f.write(chunk)
        _Trip.ballast = path
    except OSError as exc:
        path.unlink(missing_ok=True)
        if is_disk_full(exc):
            trip(f"no room for the {size / 1e6:.1f} MB reserve: {exc}")


def _lift_ballast() -> None:
    if _Trip.ballast is not None:
        _Trip.ballast.unlink(missing_ok=True)
        _Trip.ballast = None


class DiskFullFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == __name__:
            return True
        exc = record.exc_info[1] if record.exc_info else None
        try:
            text = record.getMessage()
        except Exception:
            text = str(record.msg)
        if not (is_disk_full(exc) or any(m in text for m in MARKERS)):
            return True
        trip(f"{type(exc).__name__}: {exc}" if exc else text)
        return False


def _filter_handlers() -> None:
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, DiskFullFilter) for f in handler.filters):
            handler.addFilter(DiskFullFilter())


def trip(cause: str) -> None:
    if _Trip.tripped:
        return
    _Trip.tripped = True
    _lift_ballast()
    guard = _Trip.guards[0] if _Trip.guards else None
    where = guard.directory if guard else "the data folder"
    logger.error(
        "disk full under %s (%s free; %s): stopping the crawl. What was committed is "
        "consistent; free some space and run the crawl again to continue where it stopped",
        where,
        _free_text(where),
        cause.splitlines()[0][:200],
    )
    for g in list(_Trip.guards):
        g.stop()


def _free_text(path) -> str:
    try:
        return f"{shutil.disk_usage(path).free / 1e6:.1f} MB"
    except OSError:
        return "unknown"


class DiskGuard:
    def __init__(self, crawler, directory: Path, min_free: int, interval: float, reserve: int = 0) -> None:
        self.crawler = crawler
        self.directory = directory
        self.min_free = min_free
        self.interval = interval
        self.reserve = reserve
        self._loop = None
        self._open = False  # between spider_opened and spider_closed
        self._stopping = False  # close_spider_async already asked for

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        if not s.getbool("DISK_GUARD_ENABLED"):
            raise NotConfigured
        guard = cls(
            crawler,
            Path(s["CDS_DATA_DIR"]),
            int(s.getfloat("DISK_GUARD_MIN_FREE_MB") * 1e6),
            s.getfloat("DISK_GUARD_INTERVAL"),
            int(s.getfloat("DISK_GUARD_RESERVE_BYTES")),
        )
        crawler.signals.connect(guard.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(guard.spider_closed, signal=signals.spider_closed)
        _filter_handlers()
        return guard

    def spider_opened(self, spider) -> None:
        self._open = True
        _filter_handlers()  # each crawler Scrapy sets up installs a new root handler
        _Trip.guards.append(self)
        _lay_ballast(self.directory, self.reserve)
        if _Trip.tripped:
            self.stop()
            return
        self._loop = task.LoopingCall(self.check)
        self._loop.start(self.interval, now=True)

    def spider_closed(self, spider) -> None:
        self._open = False
        if self._loop and self._loop.running:
            self._loop.stop()
        if self in _Trip.guards:
            _Trip.guards.remove(self)
        if not _Trip.guards:
            _lift_ballast()

    def check(self) -> None:
        _filter_handlers()
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            free = shutil.disk_usage(self.directory).free
        except OSError as exc:
            if is_disk_full(exc):
                trip(str(exc))
            return
        if free < self.min_free:
            trip(f"less than the {self.min_free / 1e6:.1f} MB DISK_GUARD_MIN_FREE_MB needed to go on")

    def stop(self) -> None:
        """Record the reason (a run already closing is recorded as disk_full too) and close the
        crawl once: close_spider_async is public; whether this spider is open, and whether we
        already asked, the guard tracks itself through the spider_opened/closed signals."""
        self.crawler.stats.set_value("cds/errors/disk_full", 1)
        if self._open and not self._stopping:
            self._stopping = True
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="disk_full"))
