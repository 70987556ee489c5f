"""A bounded number of CSV exports at once, per process.

An export reads every page of a search and streams it for seconds; a few dozen at once would
take every worker thread and leave searches waiting (32 clients with exports: p95 8.8 s on the
dev server). So each process streams at most EXPORT_MAX_CONCURRENT exports; one more is refused
at once (no queue: a waiting export would still hold a thread) with **503 and Retry-After**.
503, not 429: the limit is the server's capacity, shared by everyone, not a quota this client
overran (RFC 9110 §15.6.4 "temporary overload"); a client that asked once did nothing "too many".
A streamed export holds its slot until its last row is produced (not only until the view
returns), and no longer: released before the server writes the body's last bytes, so a client
that starts its next export as soon as one ends is not refused by a slot still being let go. A
body never iterated gives it back when the response is closed.
"""

from __future__ import annotations

import functools
import threading

from flask import Flask, current_app, jsonify

EXTENSION = "cds_export_slots"
RETRY_AFTER_SECONDS = 5


class ExportsBusy(Exception):
    """Every export slot of this process is taken."""


class _Slot:
    def __init__(self, semaphore: threading.BoundedSemaphore) -> None:
        self._semaphore, self._lock, self._held = semaphore, threading.Lock(), True

    def release(self) -> None:
        with self._lock:  # once, whether by the response's close or by an error
            if self._held:
                self._held = False
                self._semaphore.release()


class ExportSlots:
    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError(f"EXPORT_MAX_CONCURRENT must be at least 1, got {size}")
        self.size = size
        self._semaphore = threading.BoundedSemaphore(size)

    def take(self) -> _Slot:
        if not self._semaphore.acquire(blocking=False):
            raise ExportsBusy()
        return _Slot(self._semaphore)


def limited_export(view):
    """Wrap an export view: take a slot or answer 503; give the slot back when the body is done."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        slot = current_app.extensions[EXTENSION].take()
        try:
            response = current_app.make_response(view(*args, **kwargs))
        except BaseException:
            slot.release()
            raise
        if not response.is_streamed:  # the file is made: what is left is sending it
            slot.release()
            return response
        response.response = _releasing(response.response, slot)
        response.call_on_close(slot.release)
        return response

    return wrapper


def _releasing(body, slot: _Slot):
    try:
        yield from body
    finally:
        slot.release()


def busy(_e):
    response = jsonify(
        error=f"Đang có quá nhiều lượt xuất dữ liệu cùng lúc; vui lòng thử lại sau {RETRY_AFTER_SECONDS} giây.",
        status=503,
    )
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response, 503


def init_app(app: Flask, size: int) -> None:
    app.extensions[EXTENSION] = ExportSlots(size)
    app.register_error_handler(ExportsBusy, busy)
