"""The UI as production serves it: gunicorn with search_ui/gunicorn_conf.py (`make serve`), in its
own process on a free loopback port, over a test index. Shared by the production-server tests and
the browser test that drives the gunicorn-served app."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from tests.search_ui.live_server import Live

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = [str(Path(sys.executable).with_name("gunicorn")), "-c", "python:search_ui.gunicorn_conf"]
DEV_SERVER = [sys.executable, "-m", "search_ui"]


@contextmanager
def served(data_dir, command=GUNICORN, **settings):
    """``command`` on 127.0.0.1, any free port (CDS_UI_PORT=0), with CDS_<name>=value for each
    setting given; yields a Live once the server printed its "ready" line, stops it after."""
    env = {
        **os.environ,
        "CDS_DATA_DIR": str(data_dir),
        "CDS_UI_HOST": "127.0.0.1",
        "CDS_UI_PORT": "0",
        "PYTHONUNBUFFERED": "1",
        **{f"CDS_{k}": str(v) for k, v in settings.items()},
    }
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=log, text=True)
    ready: list[str] = []

    def read() -> None:
        for line in proc.stdout:
            if "ready at http://" in line and not ready:
                ready.append(line.split("ready at ", 1)[1].split()[0])

    threading.Thread(target=read, daemon=True).start()
    try:
        deadline = time.monotonic() + 60
        while not ready:
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise AssertionError(f"{command[0]} did not start:\n{log.read().decode()[-3000:]}")
            time.sleep(0.05)
        live = Live(ready[0], app=None)
        live.proc, live.log = proc, log
        yield live
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
