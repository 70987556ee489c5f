"""Helpers for crawler tests: the demo web over real HTTP with a server-side request log, and a
runner for real ``scrapy`` command lines in subprocesses (each crawl gets its own process, as in
production, so reactors and locks behave as they do for users)."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

import yaml

from demoweb import DemoWeb

PROJECT = Path(__file__).resolve().parents[2]
DEMO_SOURCES = PROJECT / "config" / "sources.demo.yaml"
FAST = ["-s", "BACKOFF_RETRY_BASE_DELAY=0.05", "-s", "INDEX_PIPELINE_FLUSH_SECONDS=0.5"]


class RequestLog:
    """WSGI wrapper: what each demo site was actually asked for (the server's view of a crawl)."""

    def __init__(self) -> None:
        self.entries: list[dict] = []
        self.lock = threading.Lock()
        self.delay = 0.0

    def wrap(self, app, host: str):
        return _LoggedApp(app, host, self)

    def record(self, environ, host: str) -> dict:
        if self.delay:
            time.sleep(self.delay)
        path = environ.get("PATH_INFO", "")
        if environ.get("QUERY_STRING"):
            path += "?" + environ["QUERY_STRING"]
        entry = {
            "host": host,
            "path": path,
            "status": None,
            "if_none_match": environ.get("HTTP_IF_NONE_MATCH"),
            "if_modified_since": environ.get("HTTP_IF_MODIFIED_SINCE"),
            "user_agent": environ.get("HTTP_USER_AGENT", ""),
        }
        with self.lock:
            self.entries.append(entry)
        return entry

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()

    def urls(self, port: int) -> list[str]:
        with self.lock:
            return [f"http://{e['host']}:{port}{e['path']}" for e in self.entries]


class _LoggedApp:
    """Stands in for a demo site's app: logs each request, forwards everything else."""

    def __init__(self, app, host: str, log: RequestLog) -> None:
        self._app, self._host, self._log = app, host, log

    def __call__(self, environ, start_response):
        entry = self._log.record(environ, self._host)

        def recording_start(status, headers, exc_info=None):
            entry["status"] = int(status.split()[0])
            return start_response(status, headers, exc_info)

        return self._app(environ, recording_start)

    def __getattr__(self, name):
        return getattr(self._app, name)


def start_demo(articles: int | None = None) -> tuple[DemoWeb, RequestLog]:
    web = DemoWeb(port=0, articles=articles)
    log = RequestLog()
    for name, app in list(web.apps.items()):
        web.apps[name] = log.wrap(app, web.stores[name].spec.host)
    web.start()
    return web, log


def run_scrapy(
    *args: str,
    data_dir: Path,
    port: int | None = None,
    sources: Path = DEMO_SOURCES,
    env: dict | None = None,
    timeout: float = 120,
    check: bool = True,
    max_file_bytes: int | None = None,
) -> subprocess.CompletedProcess:
    """``scrapy <args>`` in the project, as an operator would type it, against ``data_dir``.

    ``max_file_bytes`` sets the process's RLIMIT_FSIZE: a write past it fails with EFBIG, as
    a write to a full disk fails with ENOSPC (Python ignores SIGXFSZ)."""
    full_env = {
        **os.environ,
        "CDS_DATA_DIR": str(data_dir),
        "CDS_SOURCES_FILE": str(sources),
        "CDS_CRAWL_DELAY": "0",
        "CDS_CRAWL_CONCURRENCY_PER_SITE": "4",
        **(env or {}),
    }
    if port is not None:
        full_env["CDS_DEMO_PORT"] = str(port)
    limit = None
    if max_file_bytes is not None:

        def limit():
            resource.setrlimit(resource.RLIMIT_FSIZE, (max_file_bytes, max_file_bytes))

    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", *args],
        cwd=PROJECT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=limit,
    )
    if check and proc.returncode not in (0,):
        raise AssertionError(f"scrapy {' '.join(args)} exited {proc.returncode}:\n{proc.stderr[-4000:]}")
    return proc


def popen_scrapy(
    *args: str,
    data_dir: Path,
    port: int,
    sources: Path = DEMO_SOURCES,
    env: dict | None = None,
    log_path: Path | None = None,
) -> subprocess.Popen:
    full_env = {
        **os.environ,
        "CDS_DATA_DIR": str(data_dir),
        "CDS_SOURCES_FILE": str(sources),
        "CDS_CRAWL_DELAY": "0",
        "CDS_DEMO_PORT": str(port),
        **(env or {}),
    }
    out = open(log_path, "w") if log_path else subprocess.DEVNULL
    return subprocess.Popen(
        [sys.executable, "-m", "scrapy", *args], cwd=PROJECT, env=full_env, stdout=out, stderr=subprocess.STDOUT
    )


def write_sources(path: Path, sources: list[dict]) -> Path:
    path.write_text(yaml.safe_dump({"sources": sources}, allow_unicode=True), encoding="utf-8")
    return path


def demo_sources() -> list[dict]:
    return yaml.safe_load(DEMO_SOURCES.read_text(encoding="utf-8"))["sources"]


def open_backend(data_dir: Path):
    from config.settings import Settings
    from indexer.backends import load_backend

    return load_backend(Settings(DATA_DIR=str(data_dir)))


def indexed(data_dir: Path) -> dict:
    """Article id -> Article in the embedded index under ``data_dir``."""
    backend = open_backend(data_dir)
    try:
        return {a.id: a for a in backend.iter_articles()}
    finally:
        backend.close()


def make_crawler(data_dir: Path, **overrides):
    """A crawler as production builds it (the project's settings module plus overrides), for
    components tested on their own."""
    from scrapy.utils.test import get_crawler

    import crawler.settings as project
    from crawler.spiders.source import SourceSpider

    settings = {k: getattr(project, k) for k in dir(project) if k.isupper()}
    settings.update({"CDS_DATA_DIR": str(data_dir), **overrides})
    return get_crawler(SourceSpider, settings)


def crawl_state(data_dir: Path):
    from crawler.crawl_state import CrawlState

    return CrawlState(Path(data_dir, "crawl", "state.sqlite"))
