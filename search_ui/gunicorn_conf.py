"""gunicorn's configuration for the UI and API: ``gunicorn -c python:search_ui.gunicorn_conf``
(`make serve`, the Docker image). Bind address and pool size come from the CDS_* settings
(config/settings.py), like every other setting; anything else can still be overridden per run
with gunicorn's own ``GUNICORN_CMD_ARGS`` (e.g. ``--access-logfile -``).

Why these choices:

- **gthread workers, one process per core** (UI_WORKERS=0), UI_THREADS threads each, each
  accepting a connection only while a thread is free (search_ui/gunicorn_worker.py: stock
  gthread let one worker keep 14 of 16 keep-alive clients while the other idled). A search
  spends its time in Python (query reading, facets, highlighting), so one process per core uses
  every core and more processes only queue; threads let a worker go on while one request waits
  on the index, Elasticsearch or a slow reader. gthread keeps idle keep-alive connections in a
  selector, not in a thread (1,500 idle connections cost no thread, unlike the dev server's
  thread per connection); our worker also keeps a *new* connection there until it sends
  something (stock gthread lends it a thread for up to 5 s). ``sync`` workers would drop
  keep-alive and need a buffering proxy in front against slow clients.
- **preload_app**: the app and the segmenter load once in the master (search_ui/wsgi.py); the
  backend opens after the fork, in ``post_worker_init``, one tantivy reader per worker (a
  reader's files and threads must not be shared across a fork).
- **timeouts**: ``keepalive`` closes a connection idle for 5 s (new or kept alive); ``timeout``
  (30 s) bounds each socket read and write of a request in progress (search_ui/gunicorn_worker.py:
  a client that stops sending or stops reading an export is dropped) and restarts a worker whose
  main loop is stuck that long; ``graceful_timeout`` gives running requests (an export) 20 s on
  a restart or stop.
- **request limits**: request line and header sizes bounded (a search URL with many facets fits
  in 8 KB), at most 64 header fields.
- **no version banner**: gunicorn sends ``Server: gunicorn`` without its version; the app adds
  the security headers (search_ui/security_headers.py).
"""

from __future__ import annotations

import os
import sys

from config.settings import Settings

_settings = Settings.from_env()

wsgi_app = "search_ui.wsgi:app"
bind = [f"{_settings.UI_HOST}:{int(_settings.UI_PORT)}"]
workers = int(_settings.UI_WORKERS) or len(os.sched_getaffinity(0))
worker_class = "search_ui.gunicorn_worker.BalancedThreadWorker"  # gthread, spreading connections
threads = int(_settings.UI_THREADS)
worker_connections = 1000
preload_app = True
timeout = 30
graceful_timeout = 20
keepalive = 5
limit_request_line = 8190
limit_request_fields = 64
limit_request_field_size = 8190
proc_name = "cds-radar-ui"
# gunicorn 25+ opens a control socket at one fixed path per user ($HOME/.gunicorn/gunicorn.ctl):
# a second server (tests, a bench beside production) would take it over. Signals still work
# (HUP reload, TERM graceful stop, TTIN/TTOU workers).
control_socket_disable = True


def when_ready(server) -> None:
    """The same "ready" line as `python -m search_ui`, with the port really bound (UI_PORT=0: any)."""
    for listener in server.LISTENERS:
        host, port = listener.sock.getsockname()[:2]
        print(
            f"CĐS Radar UI ready at http://{host}:{port} (gunicorn, {server.num_workers} workers × {threads} threads)",
            file=sys.stdout,
            flush=True,
        )


def post_worker_init(worker) -> None:
    """Open this worker's backend before its first request (the first search is then not slow);
    a backend that is down only logs: the UI still starts, says so and recovers by itself."""
    from indexer.backends import BackendError

    try:
        worker.wsgi.extensions["cds_backend"].get()
    except BackendError as e:
        from config.redaction import redact

        worker.log.warning("search backend not available yet: %s", redact(str(e)))
