"""The write path, once: fetched page -> Article (topic decided) -> duplicate cluster -> committed
batch -> "done", for the crawl's item pipeline and for ``scrapy reextract`` alike.

Why one service: the crawl and the rebuild from the WARC archive must give the same index from the
same bytes, so they share the steps and their order, not just ``build_article``.

- Extraction is the CPU cost (~15 ms a page): with workers it runs in a process pool (spawn: a
  fork of a running reactor is not safe) while the caller keeps fetching; ``0`` extracts in the
  calling process. Same function, same inputs, so the result does not depend on where it ran.
- The topic is decided in the worker by :func:`indexer.enrichment.topic.decide_topic`, the rule
  the topic enricher uses; nothing downstream decides it again.
- Clustering (:class:`indexer.duplicates.DuplicateClusterer`) happens once per article, when it
  is accepted; a batch only reads the current verdicts, so retries cost no re-clustering.
- A batch is written by ``backend.index`` + ``commit``; only then does the listener hear
  ``committed`` and mark the URLs done (mark-done-after-commit: a killed run redoes only what was
  not committed, and upserts by Article.id make redoing harmless).
- The backend down (BackendError): articles are kept, only a retry timer tries again, with growing
  delays; past ``max_pending`` kept the listener is asked to pause its producer; past
  ``max_outage`` paused it is told to give up. Whatever is uncommitted at the end stays unmarked.

No Scrapy, no Twisted here: time, timers and threads come from a *loop* (``seconds``,
``call_later``, ``in_thread``, ``when_done``). The crawl passes the reactor's
(crawler/pipelines/index.py), ``reextract`` and the tests pass :class:`InlineLoop`, whose clock can
be a fake one moved by hand, so batching by size and age and the outage behaviour are tested
without Scrapy and without waiting.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import multiprocessing
from collections import deque
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from indexer.article import Article
from indexer.backends import BackendError, load_backend
from indexer.backends.base import IndexingError
from indexer.duplicates import DuplicateClusterer, Signature, signature
from indexer.enrichment.topic import decide_topic
from indexer.pipeline import build_article

logger = logging.getLogger(__name__)


# -- pages and their extraction -------------------------------------------------------------------
@dataclass
class Page:
    """One fetched page as the archive keeps it. ``token`` is the caller's own handle (the crawl's
    PageItem): it never leaves this process. The writer drops ``body`` once the page is extracted:
    a batch waiting for the backend holds articles, not pages."""

    url: str
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)
    source: Any = None  # config.sources.Source, or None
    hints: Mapping[str, str] = field(default_factory=dict)
    token: Any = None


@dataclass
class Entry:
    """A page on its way through the writer. ``change`` says what the writer made of it: new,
    updated, unchanged, again (a second URL of an article seen this run), off_topic (never
    indexed: nothing to write) or retract (was on-topic, is not any more: removed at commit)."""

    page: Page
    article: Article | None = None
    change: str = ""
    signature: Signature | None = field(default=None, repr=False)


def extract_page(body: bytes, url: str, headers, source, hints, settings: Mapping[str, Any] | None) -> Article:
    """Page bytes -> Article with its topic decided. Runs in a worker process (or in-process):
    ``settings`` is the run's plain settings dict, so a worker builds the enrichers the caller
    would (ENRICHERS, PARTNERS_FILE, TOPIC_THRESHOLD)."""
    article = build_article(body, url, headers=headers, source=source, hints=hints, settings=settings)
    decide_topic(article, float((settings or {}).get("TOPIC_THRESHOLD", 1.0)))
    return article


def _work(body, url, headers, source, hints, settings) -> tuple[Article, Signature | None]:
    """What a worker sends back: the article and, when it will be clustered, its duplicate
    signature (MinHash, provinces named: as costly as a third of the extraction, so not in the
    caller's process either)."""
    article = extract_page(body, url, headers, source, hints, settings)
    return article, (signature(article) if article.on_topic else None)


def _die_with_parent() -> None:
    """Worker initializer: a crawl killed with SIGKILL must not leave its workers behind."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Extractor:
    """Runs :func:`extract_page` in ``workers`` processes, or in this one (``workers=0``)."""

    def __init__(self, settings: Mapping[str, Any] | None, workers: int = 0) -> None:
        self.settings = dict(settings) if settings is not None else None
        self.workers = max(0, workers)
        self._pool: ProcessPoolExecutor | None = None

    def _args(self, page: Page) -> tuple:
        return (page.body, page.url, dict(page.headers), page.source, dict(page.hints), self.settings)

    def submit(self, page: Page) -> Future:
        if self.workers:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    self.workers, initializer=_die_with_parent, mp_context=multiprocessing.get_context("spawn")
                )
            try:
                return self._pool.submit(_work, *self._args(page))
            except BrokenProcessPool:
                self._pool = None
                logger.warning("extraction workers died; extracting %s in this process", page.url)
        return self.run_here(page)

    def run_here(self, page: Page) -> Future:
        fut: Future = Future()
        try:
            fut.set_result(_work(*self._args(page)))
        except BaseException as exc:  # noqa: BLE001 - the caller decides
            fut.set_exception(exc)
        return fut

    def broken(self) -> None:
        """A worker died (OOM?): the next page starts a fresh pool."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


# -- the index every writer of a process shares ---------------------------------------------------
class SharedIndex:
    """The backend and the duplicate clusterer, one per index for every writer of a process:
    tantivy allows a single writer, and syndicated copies must be matched across all sources
    crawled together. Writers take turns (:meth:`take_turn`), one batch at a time."""

    def __init__(self, backend, clusterer=None) -> None:
        self.backend = backend
        self.clusterer = clusterer
        self.resave: set[str] = set()  # stored articles whose cluster verdict changed
        self._busy = False
        self._turns: deque[Callable[[], None]] = deque()

    @classmethod
    def open(cls, settings) -> SharedIndex:
        backend = load_backend(settings)
        return cls(backend, start_clusterer(backend, settings))

    def take_turn(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` now, or when the writer ahead calls :meth:`end_turn`."""
        if self._busy:
            self._turns.append(fn)
        else:
            self._busy = True
            fn()

    def end_turn(self) -> None:
        if self._turns:
            self._turns.popleft()()
        else:
            self._busy = False

    def cluster(self, article: Article, sig: Signature | None = None) -> None:
        if self.clusterer is not None:
            self.clusterer.add(article, sig)
            self.resave.update(self.clusterer.pop_updates())

    def verdicts(self, articles: list) -> dict[str, tuple[str, bool]]:
        """Give ``articles`` their current cluster fields; take the stored articles to re-save
        (with theirs). Called on the loop's thread, never beside a backend call."""
        if self.clusterer is None:
            return {}
        for a in articles:
            self.clusterer.apply(a)
        self.resave.difference_update(a.id for a in articles)
        taken = {aid: st for aid in self.resave if (st := self.clusterer.state(aid))}
        self.resave.clear()
        return taken

    def close(self) -> None:
        self.backend.close()


def start_clusterer(backend, settings):
    """A clusterer primed with the stored articles (re-saving any whose cluster moved)."""
    clusterer, changed = DuplicateClusterer.rebuild(
        backend.iter_articles(), threshold=float(settings.DUPLICATE_THRESHOLD)
    )
    if changed:
        backend.index(changed)
        backend.commit()
    return clusterer


def write_batch(backend, keep: list, retract: list[str], resave: dict[str, tuple[str, bool]]) -> dict:
    """One committed batch; returns the ids the backend rejected.

    May run in a thread (one batch at a time, :meth:`SharedIndex.take_turn`): tantivy's
    IndexWriter is not bound to the thread that made it and the embedded backend serializes
    writer calls; the Elasticsearch client is thread-safe. Only backend calls happen here."""
    also = []
    for aid, (cluster_id, canonical) in resave.items():
        stored = backend.get(aid)
        if stored is not None:
            stored.cluster_id, stored.is_canonical = cluster_id, canonical
            also.append(stored)
    rejected: dict[str, str] = {}
    if keep or also:
        try:
            backend.index(keep + also)
        except IndexingError as exc:  # the rest of the batch was written
            rejected = exc.failed
    if retract:
        backend.delete(retract)
    backend.commit()
    return rejected


# -- loops ------------------------------------------------------------------------------------------
class _Timer:
    def __init__(self, at: float, seq: int, fn, args) -> None:
        self.at, self.seq, self.fn, self.args = at, seq, fn, args
        self.cancelled = self.called = False

    def __lt__(self, other: _Timer) -> bool:
        return (self.at, self.seq) < (other.at, other.seq)

    def active(self) -> bool:
        return not (self.cancelled or self.called)

    def cancel(self) -> None:
        self.cancelled = True


class InlineLoop:
    """A loop that runs everything in the calling thread: backend calls inline, timers when the
    clock is moved (:meth:`advance`) or when due (:meth:`run_due`), extraction futures in the
    order they were submitted (:meth:`wait`). With ``clock=None`` time stands still until
    :meth:`advance` moves it: the tests' fake clock."""

    def __init__(self, clock: Callable[[], float] | None = None) -> None:
        self._now = 0.0
        self._clock = clock
        self._timers: list[_Timer] = []
        self._seq = itertools.count()
        self._futures: deque = deque()

    def seconds(self) -> float:
        return self._clock() if self._clock else self._now

    def call_later(self, delay: float, fn, *args) -> _Timer:
        timer = _Timer(self.seconds() + max(0.0, delay), next(self._seq), fn, args)
        heapq.heappush(self._timers, timer)
        return timer

    def in_thread(self, fn, args: tuple, done) -> None:
        try:
            result = fn(*args)
        except Exception as exc:  # noqa: BLE001 - handed to ``done``
            done(None, exc)
        else:
            done(result, None)

    def when_done(self, future: Future, done) -> None:
        self._futures.append((future, done))
        while self._futures and self._futures[0][0].done():
            fut, cb = self._futures.popleft()
            cb(fut)

    def wait(self, most: int = 0) -> None:
        """Block until at most ``most`` extraction futures are outstanding, in submission order."""
        while len(self._futures) > most:
            fut, cb = self._futures.popleft()
            fut.exception()  # blocks until it is done
            cb(fut)

    def run_due(self) -> None:
        while self._timers and (self._timers[0].cancelled or self._timers[0].at <= self.seconds()):
            timer = heapq.heappop(self._timers)
            if timer.active():
                timer.called = True
                timer.fn(*timer.args)

    def advance(self, seconds: float) -> None:
        """Move the fake clock, firing the timers that fall due on the way, in order."""
        end = self._now + seconds
        while self._timers:
            first = min((t for t in self._timers if t.active()), default=None)
            if first is None or first.at > end:
                break
            self._now = max(self._now, first.at)
            self.run_due()
        self._now = end
        self.run_due()


# -- the writer -------------------------------------------------------------------------------------
class Listener:
    """What the writer tells its caller; every method may be left as is."""

    def previous(self, article_id: str) -> Mapping[str, Any] | None:
        """The stored record of this article (``content_hash``, ``on_topic``), or None."""
        return None

    def extracted(self, entry: Entry, error: BaseException | None) -> None:
        """Extraction ended: ``entry.article`` and ``entry.change`` are set, or ``error`` is."""

    def settled(self, entry: Entry) -> None:
        """Nothing to write (unchanged, or off-topic and never indexed): done now."""

    def committed(self, entries: list[Entry], rejected: Mapping[str, str]) -> None:
        """A batch is committed; the entries whose article id is in ``rejected`` were not."""

    def failed(self, entries: list[Entry], error: BaseException) -> None:
        """A batch failed with something other than the backend being down: dropped, unmarked."""

    def backend_error(self, error: BackendError) -> None:
        """The backend is down; the articles are kept and retried."""

    def pause(self, paused: bool) -> None:
        """Stop (True) or resume (False) producing pages: too many are waiting for the backend."""

    def give_up(self) -> None:
        """The backend has been down past ``max_outage`` while paused: stop producing for good."""


class Writer:
    """One producer's writer (one crawl, or one ``reextract``) on a :class:`SharedIndex`."""

    def __init__(
        self,
        index: SharedIndex,
        *,
        loop,
        extractor: Extractor | None = None,
        listener: Listener | None = None,
        batch_size: int = 50,
        flush_seconds: float = 5.0,
        max_pending: int = 2000,
        max_outage: float = 600.0,
        retry_seconds: float = 2.0,
        retry_max_seconds: float = 60.0,
    ) -> None:
        self.index = index
        self.loop = loop
        self.extractor = extractor or Extractor(None, 0)
        self.listener = listener or Listener()
        self.batch_size = max(1, batch_size)
        self.flush_seconds = flush_seconds
        self.max_pending = max(1, max_pending)
        self.max_outage = max_outage
        self.retry_seconds = max(0.05, retry_seconds)
        self.retry_max_seconds = max(self.retry_seconds, retry_max_seconds)
        self.pending: list[Entry] = []
        self.extracting = 0
        self.commits = 0
        self.paused = False
        self.closing = False
        self._this_run: set[str] = set()
        self._clustered: dict[str, str] = {}  # article id -> content hash clustered this run
        self._writing = False
        self._after_write: list[Callable[[], None]] = []
        self._retry = None
        self._tick = None
        self._delay = 0.0
        self.down_since: float | None = None
        if flush_seconds > 0:
            self._tick = self.loop.call_later(flush_seconds, self._on_tick)

    # -- in ---------------------------------------------------------------------------------------
    def submit(self, page: Page) -> None:
        """Extract ``page`` (in a worker when there are any) and take its article."""
        self.extracting += 1
        self.loop.when_done(self.extractor.submit(page), lambda fut: self._extracted(page, fut))

    def _extracted(self, page: Page, fut: Future) -> None:
        self.extracting -= 1
        entry = Entry(page)
        try:
            entry.article, entry.signature = fut.result()
        except BrokenProcessPool:
            logger.warning("extraction worker died; extracting %s in this process", page.url)
            self.extractor.broken()
            try:
                entry.article, entry.signature = self.extractor.run_here(page).result()
            except Exception as exc:  # noqa: BLE001 - the listener reports it
                self.listener.extracted(entry, exc)
                return
        except Exception as exc:  # noqa: BLE001 - the listener reports it
            self.listener.extracted(entry, exc)
            return
        page.body = b""  # the article is what goes on
        self.accept(entry)

    def accept(self, entry: Entry) -> None:
        """Take an extracted article: classify the change, cluster it, queue it for a batch."""
        article = entry.article
        previous = self.listener.previous(article.id)
        if not article.on_topic:
            entry.change = "retract" if previous and previous.get("on_topic") else "off_topic"
        elif article.id in self._this_run:
            entry.change = "again"  # a second URL of an article already handled this run
        elif previous is None:
            entry.change = "new"
        elif previous.get("content_hash") != article.content_hash or not previous.get("on_topic"):
            entry.change = "updated"
        else:
            entry.change = "unchanged"  # refetched, same text: nothing to write
        self._this_run.add(article.id)
        self.listener.extracted(entry, None)
        if entry.change in ("off_topic", "unchanged"):
            self.listener.settled(entry)
            return
        if article.on_topic and self._clustered.get(article.id) != article.content_hash:
            self.index.cluster(article, entry.signature)
            self._clustered[article.id] = article.content_hash
        self.pending.append(entry)
        if len(self.pending) >= self.max_pending:
            self._pause()
        self._flush_soon()

    # -- batches ----------------------------------------------------------------------------------
    def _on_tick(self) -> None:
        self._tick = self.loop.call_later(self.flush_seconds, self._on_tick)
        self._flush_soon(partial=True)

    def _flush_soon(self, partial: bool = False) -> None:
        """Write when a batch is full (or ``partial``: the age timer), unless a write is running or
        the backend is down: then the running write or the retry timer takes it."""
        if self._writing or self.down_since is not None or self.closing or not self.pending:
            return
        if partial or self.paused or len(self.pending) >= self.batch_size:
            self._write()

    def _write(self, then: Callable[[bool], None] | None = None) -> None:
        """Write everything pending as one batch, then go on while a full batch (or, paused,
        anything) is waiting; ``then(all_written)`` at the end."""
        if self._writing:
            self._after_write.append(lambda: self._write(then))
            return
        if not self.pending:
            if then:
                then(True)
            return
        self._writing = True
        self.index.take_turn(lambda: self._write_turn(then))

    def _write_turn(self, then) -> None:
        batch = list(self.pending)
        keep = [e.article for e in batch if e.article.on_topic]
        retract = [e.article.id for e in batch if not e.article.on_topic]
        resave = self.index.verdicts(keep)
        self.loop.in_thread(
            write_batch,
            (self.index.backend, keep, retract, resave),
            lambda result, exc: self._written(batch, resave, result, exc, then),
        )

    def _written(self, batch, resave, rejected, exc, then) -> None:
        self.index.end_turn()
        self._writing = False
        ok = exc is None
        if isinstance(exc, BackendError):
            self.index.resave.update(resave)
            self._backend_down(exc)
        elif exc is not None:
            self.index.resave.update(resave)
            logger.error(
                "indexing a batch of %d articles failed; their URLs stay unmarked and are fetched again next run",
                len(batch),
                exc_info=(type(exc), exc, exc.__traceback__),
            )
            del self.pending[: len(batch)]
            self.listener.failed(batch, exc)
        else:
            del self.pending[: len(batch)]
            self.commits += 1
            self.listener.committed(batch, rejected or {})
            self._backend_up(len(batch))
        waiting, self._after_write = self._after_write, []
        for fn in waiting:
            fn()
        if ok and self.pending and not self.closing and (self.paused or len(self.pending) >= self.batch_size):
            self._write(then)
        elif then:
            then(not self.pending)

    # -- outages ----------------------------------------------------------------------------------
    def _backend_down(self, exc: BackendError) -> None:
        self.listener.backend_error(exc)
        now = self.loop.seconds()
        if self.down_since is not None:
            self._delay = min(2 * self._delay, self.retry_max_seconds)
        else:
            self.down_since, self._delay = now, self.retry_seconds
        then = "" if self.closing else f", next try in {self._delay:.1f}s"
        if now == self.down_since:
            logger.warning("search backend unavailable (%s): keeping %d articles%s", exc, len(self.pending), then)
        else:
            logger.info(
                "search backend still unavailable after %.0fs: %d articles kept%s",
                now - self.down_since,
                len(self.pending),
                then,
            )
        if self.closing:
            return  # close() makes its own last tries
        if len(self.pending) >= self.max_pending:
            self._pause()
        if self.paused and now - self.down_since > self.max_outage:
            logger.error(
                "search backend down for over %.0fs with the crawl paused: stopping it; "
                "%d articles stay uncommitted and their URLs unmarked",
                self.max_outage,
                len(self.pending),
            )
            self.closing = True
            self._set_paused(False)
            self.listener.give_up()
            return
        self._retry = self.loop.call_later(self._delay, self._retry_now)

    def _retry_now(self) -> None:
        self._retry = None
        if not self._writing and not self.closing:
            self._write()

    def _backend_up(self, written: int) -> None:
        if self.down_since is not None:
            logger.warning(
                "search backend is back after %.0fs: %d articles committed",
                self.loop.seconds() - self.down_since,
                written,
            )
            self.down_since = None
        if self.paused and len(self.pending) < self.max_pending:
            logger.warning("resuming the crawl")
            self._set_paused(False)

    def _pause(self) -> None:
        if not self.paused and not self.closing:
            logger.warning("%d articles waiting for the search backend: pausing the crawl", len(self.pending))
            self._set_paused(True)

    def _set_paused(self, paused: bool) -> None:
        self.paused = paused
        self.listener.pause(paused)

    # -- the end ----------------------------------------------------------------------------------
    def close(self, retries: int, done: Callable[[int], None]) -> None:
        """Write what is left, with ``retries`` last tries ``1 + attempt`` seconds apart on the
        loop's timers (other producers go on meanwhile); ``done(uncommitted)`` at the end.
        Call once every submitted page has been extracted."""
        self.closing = True
        for timer in (self._tick, self._retry):
            if timer is not None and timer.active():
                timer.cancel()
        self._tick = self._retry = None

        def attempt(n: int) -> None:
            self._write(lambda all_written: after(n, all_written))

        def after(n: int, all_written: bool) -> None:
            if all_written or n >= retries:
                done(len(self.pending))
                return
            logger.warning(
                "closing with %d articles waiting for the search backend: trying again in %ds (%d of %d)",
                len(self.pending),
                1 + n,
                n + 1,
                retries,
            )
            self.loop.call_later(1 + n, attempt, n + 1)

        attempt(0)
