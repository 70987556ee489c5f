"""One run of a source at a time, and a job directory that is only trusted when it is sound.

The lock is an ``flock`` on DATA_DIR/locks/<source>.lock held for the life of the crawl: the
kernel drops it when the process dies, even by SIGKILL, so there are no stale locks to clean.

Scrapy's JOBDIR keeps the request queue of a crawl that stopped gracefully (Ctrl-C, page limit).
After a SIGKILL its queue files were never closed and cannot be trusted, so the directory is
discarded; nothing is lost, because discovery runs again and the known-URL store says which
articles were already committed.

A stopped run's queue is read through (on a copy) before it is trusted: files that do not parse
(garbage, a truncated write) would make every later run of the source fail on them. Such a
directory is moved aside with one warning naming it and what was in it; the run starts afresh.
"""

from __future__ import annotations

import fcntl
import json
import os
import pickle
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

RUNNING = ".running"  # written when a crawl opens the job dir, removed when it closes
FINISHED = ".finished"  # written when a crawl finished its work: the next run starts afresh


class SourceLock:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._fd: int | None = None

    def acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def holder(self) -> str:
        """The pid written by whoever holds the lock (for the message), or ''."""
        try:
            return self.path.read_text().strip()
        except OSError:
            return ""

    def is_held(self) -> bool:
        if self._fd is not None:
            return True
        probe = SourceLock(self.path)
        if probe.acquire():
            probe.release()
            return False
        return True


def lock_path(data_dir: Path, source: str) -> Path:
    return Path(data_dir, "locks", f"{source}.lock")


def prepare_jobdir(path: str | Path) -> tuple[bool, str]:
    """Make the job dir ready; returns (resuming, what happened) for the log."""
    path = Path(path)
    note = ""
    resuming = False
    if (path / FINISHED).exists():
        shutil.rmtree(path)
        note = "previous run finished: starting afresh"
    elif (path / RUNNING).exists():
        shutil.rmtree(path)
        resuming = True
        note = (
            "previous run was killed (or left articles uncommitted): its queue is discarded; "
            "re-discovering, already-committed articles are skipped"
        )
    elif path.exists() and any(path.iterdir()):
        damage = queue_damage(path)
        if damage:
            aside = path.with_name(f"{path.name}.damaged-{datetime.now(UTC):%Y%m%dT%H%M%S}")
            path.replace(aside)
            note = (
                f"job queue {path} is damaged ({damage}): moved aside to {aside.name}. Lost: the "
                "requests the stopped run had still queued; this run re-discovers them "
                "(already-committed articles are skipped)"
            )
        else:
            resuming = True
            note = "resuming the queue of a run that was stopped"
    path.mkdir(parents=True, exist_ok=True)
    (path / RUNNING).write_text(str(os.getpid()))
    return resuming, note


def queue_damage(path: str | Path) -> str:
    """'' when the job directory's queue and spider state read back whole, else what is wrong.

    Reads a temporary copy with queuelib (what Scrapy's disk queues are built on): a LIFO queue is
    one file, a FIFO queue a folder with info.json; every record must unpickle to a request."""
    from queuelib.queue import FifoDiskQueue, LifoDiskQueue

    path = Path(path)
    state = path / "spider.state"
    try:
        if state.exists():
            with state.open("rb") as f:
                pickle.load(f)
        queue = path / "requests.queue"
        if not queue.exists():
            return ""
        active = queue / "active.json"
        if active.exists():
            json.loads(active.read_text(encoding="utf-8"))
        with tempfile.TemporaryDirectory(prefix="cds-jobcheck-") as tmp:
            copy = Path(tmp, "q")
            shutil.copytree(queue, copy)
            fifo_dirs = {p.parent for p in copy.rglob("info.json")}
            queues = [FifoDiskQueue(d) for d in sorted(fifo_dirs)]
            queues += [
                LifoDiskQueue(f)
                for f in sorted(copy.rglob("*"))
                if f.is_file() and f.name != "active.json" and not any(d in f.parents for d in fifo_dirs)
            ]
            for q in queues:
                while (record := q.pop()) is not None:
                    request = pickle.loads(record)
                    if not isinstance(request, dict) or "url" not in request:
                        raise ValueError("a queued record is not a request")
                q.close()
    except Exception as exc:  # whatever the garbage made the readers raise
        name = type(exc).__name__
        return f"{name}: {exc}"[:200]
    return ""


def close_jobdir(path: str | Path, reason: str, sound: bool = True) -> None:
    """``sound`` is False when fetched articles were left uncommitted (backend down): the
    persisted "seen" set would then hide them, so the directory is left to be discarded."""
    path = Path(path)
    if not sound:
        return
    (path / RUNNING).unlink(missing_ok=True)
    if reason == "finished":
        (path / FINISHED).write_text("finished")
