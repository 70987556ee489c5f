"""The crawl's memory between runs: known article URLs with their fingerprints, and every run.

SQLite under DATA_DIR (WAL, so a SIGKILL loses at most the open transaction). A URL is written
``done`` only after its article is committed to the index (or it was judged off-topic), which is
what makes a killed crawl safe to restart: anything not ``done`` is simply fetched again.
The same file holds the run log that ``scrapy sources`` turns into source health, and the
debts: URLs whose fetch failed (refused, timed out, 5xx after retries), each with its error and
the time of its next try. A debt is never "known": listings that lead to it are walked again, and
the URL is retried (before discovery) on every run once its next try is due.

A file that is not a sound SQLite database is moved aside with one warning naming what was lost
(known pages and run log); the crawl goes on from an empty state, refetching and upserting.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    url TEXT PRIMARY KEY, source TEXT NOT NULL, state TEXT NOT NULL,   -- done / gone / failed
    article_id TEXT, content_hash TEXT, on_topic INTEGER, topic_score REAL,
    etag TEXT, last_modified TEXT, lastmod TEXT, status INTEGER,
    first_seen TEXT, fetched_at TEXT, changed_at TEXT);
CREATE INDEX IF NOT EXISTS pages_source ON pages(source, state);
CREATE INDEX IF NOT EXISTS pages_article ON pages(article_id);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, source TEXT NOT NULL, pid INTEGER,
    started TEXT NOT NULL, ended TEXT, reason TEXT, ok INTEGER,
    pages INTEGER DEFAULT 0, articles_new INTEGER DEFAULT 0, articles_updated INTEGER DEFAULT 0,
    off_topic INTEGER DEFAULT 0, skipped INTEGER DEFAULT 0, errors INTEGER DEFAULT 0, stats TEXT);
CREATE INDEX IF NOT EXISTS runs_source ON runs(source, id);
CREATE TABLE IF NOT EXISTS debts (
    url TEXT PRIMARY KEY, source TEXT NOT NULL, kind TEXT NOT NULL, meta TEXT,
    error TEXT, status INTEGER, attempts INTEGER NOT NULL DEFAULT 1,
    first_failed TEXT NOT NULL, last_failed TEXT NOT NULL, next_try TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS debts_source ON debts(source, next_try);
"""
OUTCOMES = ("OK", "DEGRADED", "FAILED")

PAGE_FIELDS = (
    "url",
    "source",
    "state",
    "article_id",
    "content_hash",
    "on_topic",
    "topic_score",
    "etag",
    "last_modified",
    "lastmod",
    "status",
    "fetched_at",
)
RUN_COUNTS = ("pages", "articles_new", "articles_updated", "off_topic", "skipped", "errors")

logger = logging.getLogger(__name__)
_open: dict[str, CrawlState] = {}
_open_lock = threading.Lock()


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class CrawlState:
    def __init__(self, path: str | Path, readonly: bool = False) -> None:
        self.path = Path(path)
        if readonly:  # the UI's health view: never creates or migrates the file
            self.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=10, check_same_thread=False)
            self.db.row_factory = sqlite3.Row
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._connect()
        except sqlite3.DatabaseError as exc:
            if "disk is full" in str(exc) or "disk I/O" in str(exc):
                raise
            self._move_aside(exc)
            self._connect()

    def _connect(self) -> None:
        self.db = sqlite3.connect(str(self.path), timeout=30, isolation_level=None, check_same_thread=False)
        try:
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            # a small WAL: checkpointed every 256 pages and cut back to 1 MB, so a nearly full
            # disk is not eaten by the log of a few thousand small transactions
            self.db.execute("PRAGMA wal_autocheckpoint=256")
            self.db.execute("PRAGMA journal_size_limit=1048576")
            check = self.db.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise sqlite3.DatabaseError(f"integrity check: {check}")
            self.db.executescript(SCHEMA)
            columns = {r[1] for r in self.db.execute("PRAGMA table_info(runs)")}
            if "outcome" not in columns:  # state files written before run outcomes
                self.db.execute("ALTER TABLE runs ADD COLUMN outcome TEXT")
        except BaseException:
            self.db.close()
            raise

    def _move_aside(self, exc: Exception) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        for suffix in ("", "-wal", "-shm"):
            part = Path(str(self.path) + suffix)
            if part.exists():
                part.replace(Path(str(aside) + suffix))
        logger.warning(
            "crawl state %s is damaged (%s): moved aside to %s. Lost: the list of known "
            "pages and the run log, so this run fetches every article again (the index "
            "is kept and nothing is indexed twice)",
            self.path,
            exc,
            aside.name,
        )

    @classmethod
    def open(cls, path: str | Path) -> CrawlState:
        """One connection per file per process: every component of every crawler shares it."""
        key = str(Path(path).resolve())
        with _open_lock:
            if key not in _open:
                _open[key] = cls(key)
            return _open[key]

    @classmethod
    def from_settings(cls, settings) -> CrawlState:
        return cls.open(Path(settings["CDS_DATA_DIR"], "crawl", "state.sqlite"))

    # -- pages ----------------------------------------------------------------------------------
    def get(self, url: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT * FROM pages WHERE url = ?", (url,)).fetchone()
        return dict(row) if row else None

    def article(self, article_id: str) -> dict[str, Any] | None:
        """The latest settled page of an article (one article may be reached by several URLs)."""
        row = self.db.execute(
            "SELECT * FROM pages WHERE article_id = ? AND state = 'done' ORDER BY fetched_at DESC LIMIT 1",
            (article_id,),
        ).fetchone()
        return dict(row) if row else None

    def known_among(self, urls: Iterable[str]) -> set[str]:
        """URLs a previous run settled (committed, off-topic or gone). A URL whose fetch failed
        is a debt, not knowledge: a listing that leads to one is walked on."""
        urls = list(dict.fromkeys(urls))
        found: set[str] = set()
        for i in range(0, len(urls), 500):
            chunk = urls[i : i + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                r[0]
                for r in self.db.execute(
                    f"SELECT url FROM pages WHERE url IN ({marks}) AND state IN ('done', 'gone') "
                    f"AND url NOT IN (SELECT url FROM debts)",
                    chunk,
                )
            )
        return found

    def mark_done(self, records: Iterable[dict[str, Any]]) -> None:
        """Record pages whose articles are committed (or that hold none: off-topic, not HTML),
        atomically. A record may say ``state='failed'`` (its WARC record could not be written):
        the page is then fetched again next run."""
        now = now_iso()
        rows = []
        for r in records:
            row = {f: r.get(f) for f in PAGE_FIELDS}
            row["state"] = r.get("state", "done")
            row["fetched_at"] = r.get("fetched_at") or now
            rows.append(row)
        if not rows:
            return
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            for row in rows:
                self.db.execute(
                    """INSERT INTO pages (url, source, state, article_id, content_hash, on_topic,
                           topic_score, etag, last_modified, lastmod, status, first_seen, fetched_at,
                           changed_at)
                       VALUES (:url, :source, :state, :article_id, :content_hash, :on_topic,
                           :topic_score, :etag, :last_modified, :lastmod, :status, :fetched_at,
                           :fetched_at, :fetched_at)
                       ON CONFLICT(url) DO UPDATE SET source=excluded.source, state=excluded.state,
                           article_id=excluded.article_id, on_topic=excluded.on_topic,
                           topic_score=excluded.topic_score, etag=excluded.etag,
                           last_modified=excluded.last_modified,
                           lastmod=COALESCE(excluded.lastmod, pages.lastmod),
                           status=excluded.status, fetched_at=excluded.fetched_at,
                           changed_at=CASE WHEN pages.content_hash IS excluded.content_hash
                                      THEN pages.changed_at ELSE excluded.fetched_at END,
                           content_hash=excluded.content_hash""",
                    row,
                )
                self.db.execute("DELETE FROM debts WHERE url = ?", (row["url"],))

    def mark_failed(self, url: str, source: str, status: int | None, gone: bool) -> None:
        """A fetch that failed for good. 'gone' (404/410) is skipped like a done page; 'failed'
        (5xx, timeouts) is fetched again next run. Neither downgrades a page already done."""
        now = now_iso()
        self.db.execute(
            """INSERT INTO pages (url, source, state, status, first_seen, fetched_at)
               VALUES (?, ?, ?, ?, ?, ?)
               ON CONFLICT(url) DO UPDATE SET state = CASE WHEN pages.state = 'done' AND NOT ?
                   THEN pages.state ELSE excluded.state END,
                   status = excluded.status, fetched_at = excluded.fetched_at""",
            (url, source, "gone" if gone else "failed", status, now, now, int(gone)),
        )
        if gone:
            self.settle_debts([url])

    # -- debts ----------------------------------------------------------------------------------
    def add_debt(
        self,
        url: str,
        source: str,
        kind: str,
        error: str,
        status: int | None,
        base_seconds: float,
        max_seconds: float,
        meta: dict | None = None,
    ) -> dict:
        """Record (or renew) a failed fetch; the next try waits base * 2**(attempts-1), capped."""
        now = datetime.now(UTC).replace(microsecond=0)
        row = self.db.execute("SELECT attempts FROM debts WHERE url = ?", (url,)).fetchone()
        attempts = (row[0] if row else 0) + 1
        wait = min(max_seconds, base_seconds * 2 ** (attempts - 1))
        next_try = (now + timedelta(seconds=wait)).isoformat()
        self.db.execute(
            """INSERT INTO debts (url, source, kind, meta, error, status, attempts, first_failed,
                   last_failed, next_try) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)
               ON CONFLICT(url) DO UPDATE SET kind = excluded.kind,
                   meta = COALESCE(excluded.meta, debts.meta), error = excluded.error,
                   status = excluded.status, attempts = debts.attempts + 1,
                   last_failed = excluded.last_failed, next_try = excluded.next_try""",
            (
                url,
                source,
                kind,
                json.dumps(meta, ensure_ascii=False) if meta else None,
                error[:500],
                status,
                now.isoformat(),
                now.isoformat(),
                next_try,
            ),
        )
        return {"attempts": attempts, "next_try": next_try}

    def settle_debts(self, urls: Iterable[str]) -> int:
        urls = list(urls)
        if not urls:
            return 0
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            return sum(self.db.execute("DELETE FROM debts WHERE url = ?", (u,)).rowcount for u in urls)

    def debts(self, source: str | None = None, due: bool = False) -> list[dict[str, Any]]:
        """A source's debts (``due``: only those whose next try has come), oldest first."""
        sql, args = "SELECT * FROM debts WHERE 1 = 1", []
        if source:
            sql, args = sql + " AND source = ?", [source]
        if due:
            sql, args = sql + " AND next_try <= ?", [*args, now_iso()]
        rows = [dict(r) for r in self.db.execute(sql + " ORDER BY first_failed, url", args)]
        for r in rows:
            r["meta"] = json.loads(r["meta"]) if r["meta"] else {}
        return rows

    def debt(self, url: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT * FROM debts WHERE url = ?", (url,)).fetchone()
        return dict(row) if row else None

    def mark_checked(self, url: str, lastmod: str | None = None) -> None:
        """A conditional GET said 304: the page is unchanged as of now."""
        self.db.execute(
            "UPDATE pages SET fetched_at = ?, lastmod = COALESCE(?, lastmod) WHERE url = ?", (now_iso(), lastmod, url)
        )
        self.db.execute("DELETE FROM debts WHERE url = ?", (url,))

    def articles_per_source(self) -> dict[str, int]:
        return {
            r[0]: r[1]
            for r in self.db.execute(
                "SELECT source, COUNT(DISTINCT article_id) FROM pages WHERE state = 'done' AND on_topic = 1 "
                "GROUP BY source"
            )
        }

    def pages(self, source: str | None = None) -> list[dict[str, Any]]:
        sql, args = "SELECT * FROM pages", ()
        if source:
            sql, args = sql + " WHERE source = ?", (source,)
        return [dict(r) for r in self.db.execute(sql + " ORDER BY url", args)]

    # -- runs -----------------------------------------------------------------------------------
    def start_run(self, source: str) -> int:
        cur = self.db.execute(
            "INSERT INTO runs (source, pid, started) VALUES (?, ?, ?)", (source, os.getpid(), now_iso())
        )
        return int(cur.lastrowid)

    def finish_run(self, run_id: int, reason: str, outcome: str, counts: dict[str, int], stats: dict[str, Any]) -> None:
        """``outcome`` is OK, DEGRADED or FAILED; ``ok`` (kept for older readers) is "not FAILED"."""
        assert outcome in OUTCOMES, outcome
        values = {k: int(counts.get(k, 0)) for k in RUN_COUNTS}
        assignments = ", ".join(f"{k} = :{k}" for k in RUN_COUNTS)
        self.db.execute(
            f"UPDATE runs SET ended = :ended, reason = :reason, ok = :ok, outcome = :outcome, "
            f"{assignments}, stats = :stats WHERE id = :id",
            {
                "ended": now_iso(),
                "reason": reason,
                "ok": int(outcome != "FAILED"),
                "outcome": outcome,
                "id": run_id,
                "stats": json.dumps(stats, default=str, ensure_ascii=False),
                **values,
            },
        )

    def runs(self, source: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        sql, args = "SELECT * FROM runs", []
        if source:
            sql += " WHERE source = ?"
            args.append(source)
        return [dict(r) for r in self.db.execute(sql + " ORDER BY id DESC LIMIT ?", (*args, limit))]

    def last_run_completed(self, source: str) -> bool:
        """Did the latest run of ``source`` walk everything, and fetch all it found, with no debt
        left? Only then may listings stop early at known articles: after a killed, limited or
        degraded run, older pages may hold unfetched ones."""
        row = self.db.execute(
            "SELECT reason, ok, outcome FROM runs WHERE source = ? ORDER BY id DESC LIMIT 1", (source,)
        ).fetchone()
        if not row or row["reason"] != "finished" or not row["ok"] or row["outcome"] not in (None, "OK"):
            return False
        return not self.db.execute("SELECT 1 FROM debts WHERE source = ? LIMIT 1", (source,)).fetchone()

    def close(self) -> None:
        with _open_lock:
            _open.pop(str(self.path), None)
        self.db.close()
