"""One run of a source at a time, and a job directory that is only trusted when it is sound.

The lock is an ``flock`` on DATA_DIR/locks/<source>.lock held for the life of the crawl: the
kernel drops it when the process dies, even by SIGKILL, so there are no stale locks to clean.

Scrapy's JOBDIR keeps the request queue of a crawl that stopped gracefully (Ctrl-C, page limit).
After a SIGKILL its queue files were never closed and cannot be trusted, so the directory is
discarded; nothing is lost, because discovery runs again and the known-URL store says which
articles were already committed.
"""
from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path

RUNNING = ".running"     # written when a crawl opens the job dir, removed when it closes
FINISHED = ".finished"   # written when a crawl finished its work: the next run starts afresh


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
        note = ("previous run was killed (or left articles uncommitted): its queue is discarded; "
                "re-discovering, already-committed articles are skipped")
    elif path.exists() and any(path.iterdir()):
        resuming = True
        note = "resuming the queue of a run that was stopped"
    path.mkdir(parents=True, exist_ok=True)
    (path / RUNNING).write_text(str(os.getpid()))
    return resuming, note


def close_jobdir(path: str | Path, reason: str, sound: bool = True) -> None:
    """``sound`` is False when fetched articles were left uncommitted (backend down): the
    persisted "seen" set would then hide them, so the directory is left to be discarded."""
    path = Path(path)
    if not sound:
        return
    (path / RUNNING).unlink(missing_ok=True)
    if reason == "finished":
        (path / FINISHED).write_text("finished")
