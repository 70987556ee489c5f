"""What the crawls of one process share for writing: the index (backend + duplicate clusterer,
:class:`indexer.writer.SharedIndex`) and the extraction worker processes.

One of each per process, with an explicit owner: tantivy allows a single writer, syndicated copies
must be matched across every source crawled together, and workers cost ~100 MB each. A command
that runs several crawls in one process (``crawlall``, ``schedule``) makes the hub, hands it to
its crawlers through the setting ``INDEX_WRITE_HUB`` and closes it when they are all done; a lone
``scrapy crawl`` gets one from its pipeline, closed with it. Nothing is kept in module globals.

Also the reactor's side of :class:`indexer.writer.Writer`'s loop: time, timers, the backend call
in a thread, and extraction futures brought back to the reactor thread; and the
:class:`ExtractionGate` that keeps the pages waiting for extraction few, whatever the crawl's length.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from contextlib import contextmanager
from typing import Any

from twisted.internet import defer, threads

from config.settings import Settings
from indexer.backends import BackendError
from indexer.writer import Extractor, SharedIndex

logger = logging.getLogger(__name__)

HUB_SETTING = "INDEX_WRITE_HUB"
HUB_ATTR = "cdsradar_write_hub"  # where a lone crawl's pipeline leaves its hub, for find()


def limit_malloc_arenas(arenas: int = 2, mmap_threshold: int = 256 * 1024) -> None:
    """glibc gives each thread that allocates its own malloc arena and keeps what is freed there:
    the backend thread and tantivy's writer threads grew the crawler by ~55 MB on a 500-article
    crawl (241 -> 185 MB with 2 arenas, same speed). MALLOC_ARENA_MAX in the environment wins.

    And a fixed mmap threshold: by default glibc raises it to the largest block freed so far (up
    to 32 MB), after which tantivy's commit and merge buffers came from the arenas and stayed there
    (the second arena 9-31 MB, the main one ~15-30 MB free but kept). Blocks from 256 KB up are
    mapped and given back when freed: 10,000-article crawl 284/297/307/320 -> 258/277/293/302 MB
    by quarter, no slower. MALLOC_MMAP_THRESHOLD_ in the environment wins."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
    except (OSError, AttributeError):
        return  # not glibc: nothing to tune
    if not os.environ.get("MALLOC_ARENA_MAX"):
        libc.mallopt(-8, arenas)  # M_ARENA_MAX
    if not os.environ.get("MALLOC_MMAP_THRESHOLD_"):
        libc.mallopt(-3, mmap_threshold)  # M_MMAP_THRESHOLD (setting it stops the dynamic raise)
        libc.mallopt(-1, 2 * mmap_threshold)  # M_TRIM_THRESHOLD: freed tops of the heap go back too


class ExtractionGate:
    """Article pages between their download and the end of their extraction, counted for every
    crawl of the process; while there are ``limit`` of them, article downloads wait.

    Scrapy keeps each response (and its request, item and coroutines) until the item is through
    the pipelines, and bounds that only by bytes (SCRAPER_SLOT_MAX_ACTIVE_SIZE, 5 MB per crawl):
    when fetching outruns extraction (the demo web: ~150 pages/s fetched, ~50/s extracted) the
    pages waiting for a worker piled up with the crawl's length (~700 after 2,000 articles), and
    so did the crawler's memory. Counting pages, and holding downloads rather than items, keeps
    that backlog flat; a woken download is never refused, so the count can pass ``limit`` by the
    downloads in flight (CONCURRENT_REQUESTS per crawl at most).

    Deadlock-free by construction: a download waits only while the gate is full, that is while
    pages are being extracted, and every extraction ends (a result, an error, or a dead worker's
    page redone in this process) with :meth:`leave`, which wakes every waiting download."""

    def __init__(self, limit: int) -> None:
        self.limit = max(0, limit)  # 0: no limit
        self.waiting = 0
        self._parked: deque[defer.Deferred] = deque()

    def full(self) -> bool:
        return 0 < self.limit <= self.waiting

    def room(self) -> defer.Deferred | None:
        """None when a download may start now, else a Deferred fired once it may."""
        if not self.full():
            return None
        d: defer.Deferred = defer.Deferred()
        self._parked.append(d)
        return d

    def enter(self) -> None:
        """A page goes to extraction."""
        self.waiting += 1

    def leave(self) -> None:
        """A page's extraction ended (on the reactor's thread)."""
        self.waiting = max(0, self.waiting - 1)
        if self.full():
            return
        parked, self._parked = self._parked, deque()
        for d in parked:
            if not d.called:  # a download cancelled meanwhile
                d.callback(None)


class WriteHub:
    def __init__(self, settings: Settings, workers: int = 0, max_waiting: int = 0) -> None:
        limit_malloc_arenas()
        self.settings = settings
        self.workers = workers
        self.gate = ExtractionGate(max_waiting)
        self._index: SharedIndex | None = None
        self._extractor: Extractor | None = None

    def __deepcopy__(self, memo) -> WriteHub:
        return self  # Scrapy copies its settings for each crawler: the hub is shared, not copied

    @classmethod
    def of(cls, crawler) -> tuple[WriteHub, bool]:
        """The hub the command gave this crawler, or a new one the caller owns (``True``)."""
        hub = cls.find(crawler)
        if hub is not None:
            return hub, False
        hub = cls.from_settings(crawler.settings)
        setattr(crawler, HUB_ATTR, hub)
        return hub, True

    @staticmethod
    def find(crawler) -> WriteHub | None:
        """The hub this crawler writes through (its command's, or its pipeline's), if any yet."""
        return crawler.settings.get(HUB_SETTING) or getattr(crawler, HUB_ATTR, None)

    @classmethod
    def from_settings(cls, scrapy_settings) -> WriteHub:
        return cls(
            Settings.from_scrapy(scrapy_settings),
            scrapy_settings.getint("EXTRACT_PIPELINE_WORKERS"),
            scrapy_settings.getint("EXTRACT_PIPELINE_MAX_WAITING"),
        )

    def index(self) -> SharedIndex:
        """The shared index, opened on first use (BackendError when the backend is unavailable)."""
        if self._index is None:
            self._index = SharedIndex.open(self.settings)
        return self._index

    def extractor(self) -> Extractor:
        if self._extractor is None:
            self._extractor = Extractor(self.settings.as_dict(), self.workers)
        return self._extractor

    def close(self) -> None:
        if self._extractor is not None:
            self._extractor.close()
            self._extractor = None
        if self._index is not None:
            index, self._index = self._index, None
            try:
                index.close()
            except BackendError as e:  # e.g. the disk filled: every batch marked done was committed before
                logger.error("the index writer did not close cleanly: %s", e)


class ReactorLoop:
    """:class:`indexer.writer.Writer`'s loop on the Twisted reactor (public API only)."""

    def __init__(self, reactor) -> None:
        self.reactor = reactor

    def seconds(self) -> float:
        return self.reactor.seconds()

    def call_later(self, delay: float, fn, *args):
        return self.reactor.callLater(delay, _logged, fn, *args)

    def in_thread(self, fn, args: tuple, done) -> None:
        """The backend call off the reactor thread, so a slow backend never stalls fetching."""
        d = threads.deferToThreadPool(self.reactor, self.reactor.getThreadPool(), fn, *args)
        d.addCallbacks(lambda result: _logged(done, result, None), lambda failure: _logged(done, None, failure.value))

    def when_done(self, future, done) -> None:
        if future.done():
            done(future)
        else:
            future.add_done_callback(lambda f: self.reactor.callFromThread(_logged, done, f))


def _logged(fn, *args: Any) -> None:
    try:
        fn(*args)
    except Exception:
        logger.exception("index writer callback failed")


@contextmanager
def shared_writes(scrapy_settings):
    """For a command running several crawls in one process: one hub for all of them (given to each
    crawler through its settings), closed when the command's crawls are over."""
    hub = WriteHub.from_settings(scrapy_settings)
    scrapy_settings.set(HUB_SETTING, hub, priority="cmdline")
    try:
        yield hub
    finally:
        hub.close()
