"""gunicorn's threaded worker, accepting a new connection only while one of its threads is free.

A stock gthread worker accepts every connection it can (up to worker_connections), and a kept-
alive connection stays with the worker that accepted it. So when clients connect at once, one
worker can take most of them and serve them on one core while the other idles: 14 of 16 keep-
alive clients on one of two workers, measured (bench/http_load.py). Accepting only while a thread
is free leaves a new connection in the listen queue for a worker that has one, so connections
spread by how fast each worker really serves. Requests on connections a worker already holds
are still all taken (they queue on its threads), and idle connections still cost no thread.

Relies on ThreadWorker's enqueue_req / finish_request / set_accept_enabled (gunicorn pinned in
requirements.txt); tests/search_ui/test_production_server.py checks the spread.
"""
from __future__ import annotations

from gunicorn.workers.gthread import ThreadWorker


class BalancedThreadWorker(ThreadWorker):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.busy = 0                                  # requests handed to the thread pool, not finished

    def set_accept_enabled(self, enabled: bool) -> None:
        super().set_accept_enabled(enabled and self.busy < self.cfg.threads and self.alive)

    def enqueue_req(self, conn) -> None:
        self.busy += 1
        super().enqueue_req(conn)
        if self.busy >= self.cfg.threads:
            self.set_accept_enabled(False)

    def finish_request(self, conn, fs) -> None:         # on the main loop, as each request ends
        self.busy -= 1
        super().finish_request(conn, fs)
        self.set_accept_enabled(self.nr_conns < self.worker_connections)
