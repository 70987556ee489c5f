"""gunicorn's threaded worker, accepting a new connection only while one of its threads is free,
giving a thread only to a connection that has sent something, and dropping a client that stalls.

A stock gthread worker accepts every connection it can (up to worker_connections), and a kept-
alive connection stays with the worker that accepted it. So when clients connect at once, one
worker can take most of them and serve them on one core while the other idles: 14 of 16 keep-
alive clients on one of two workers, measured (bench/http_load.py). Accepting only while a thread
is free leaves a new connection in the listen queue for a worker that has one, so connections
spread by how fast each worker really serves. Requests on connections a worker already holds
are still all taken (they queue on its threads), and idle connections still cost no thread.

A new connection waits for its first bytes in the worker's selector, like a kept-alive one,
for at most ``keepalive`` seconds: stock gthread hands it to a thread that waits up to 5 s, so a
few idle connections (1,500 in the issue) would take every thread while real requests queue.
Once a request is being read or its response written, each socket read or write may block at
most ``timeout`` seconds (stock gthread: for ever), so a client that stops sending its headers
or stops reading a 10,000-row export loses the connection, and the export its slot.

Relies on ThreadWorker's accept / enqueue_req / finish_request / set_accept_enabled /
on_pending_socket_readable (gunicorn pinned in requirements.txt);
tests/search_ui/test_production_server.py checks each behaviour over HTTP.
"""

from __future__ import annotations

import errno
import selectors
import socket
import time
from functools import partial

from gunicorn.workers.gthread import TConn, ThreadWorker


class ClientSocket(socket.socket):
    """A client socket whose "blocking" mode has a deadline per read or write (gunicorn switches
    sockets between blocking and non-blocking with ``setblocking``)."""

    io_timeout: float | None = None

    def setblocking(self, flag: bool) -> None:
        if flag:
            self.settimeout(self.io_timeout)
        else:
            super().setblocking(False)


class BalancedThreadWorker(ThreadWorker):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.busy = 0  # requests handed to the thread pool, not finished

    def accept(self, listener) -> None:
        try:
            raw, client = listener.accept()
        except OSError as e:
            if e.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        sock = ClientSocket(fileno=raw.detach())
        sock.io_timeout = self.cfg.timeout or None
        sock.setblocking(False)
        self.nr_conns += 1
        conn = TConn(self.cfg, sock, client, listener.getsockname())
        conn.timeout = time.monotonic() + self.cfg.keepalive  # to send its first bytes
        self.pending_conns.append(conn)
        self.poller.register(sock, selectors.EVENT_READ, partial(self.on_pending_socket_readable, conn))

    def set_accept_enabled(self, enabled: bool) -> None:
        super().set_accept_enabled(enabled and self.busy < self.cfg.threads and self.alive)

    def enqueue_req(self, conn) -> None:
        self.busy += 1
        super().enqueue_req(conn)
        if self.busy >= self.cfg.threads:
            self.set_accept_enabled(False)

    def finish_request(self, conn, fs) -> None:  # on the main loop, as each request ends
        self.busy -= 1
        super().finish_request(conn, fs)
        self.set_accept_enabled(self.nr_conns < self.worker_connections)
