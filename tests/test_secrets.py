"""Secrets never leave the process: a crawl and the UI configured with a password in CDS_ES_URL,
an Elasticsearch API key and a basic-auth password in a source URL, with the cluster down (so
every error path that names the backend runs), never show any of them: not in a log line at
DEBUG, not in ``scrapy sources``, not in any UI reply or the UI's log."""

from __future__ import annotations

import base64
import socket
import urllib.error
import urllib.request

import pytest

from tests.crawler.crawltools import run_scrapy, write_sources
from tests.crawler.minisite import ON_TOPIC, MiniSite, article_html, listing_html, source_entry
from tests.e2e_support import ui_process

pytestmark = pytest.mark.slow

PASSWORD = "S3cr3t-Pa55w0rd"
API_KEY = "QXBpS2V5LVNlY3JldC0xMjM0"
BASIC = "Bas1c-Auth-Pass"
SECRETS = [
    PASSWORD,
    API_KEY,
    BASIC,
    base64.b64encode(f"elastic:{PASSWORD}".encode()).decode(),
    base64.b64encode(f"reader:{BASIC}".encode()).decode(),
]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return f"{r.status} {dict(r.headers)} {r.read().decode('utf-8', 'replace')}"
    except urllib.error.HTTPError as e:
        return f"{e.code} {dict(e.headers)} {e.read().decode('utf-8', 'replace')}"


def test_no_secret_in_any_log_line_or_response(tmp_path, monkeypatch):
    site = MiniSite().start()
    try:
        for n in range(3):
            site.add(f"/bai/{n}.html", article_html(f"Chuyển đổi số: bài {n}", ON_TOPIC))
        site.add("/tin-tuc", listing_html([f"/bai/{n}.html" for n in range(3)]))
        listing = site.url("/tin-tuc").replace("http://", f"http://reader:{BASIC}@")
        sources = write_sources(tmp_path / "s.yaml", [source_entry(site, listings=[listing])])
        env = {
            "CDS_BACKEND": "elasticsearch",
            "CDS_ES_API_KEY": API_KEY,
            "CDS_ES_URL": f"http://elastic:{PASSWORD}@127.0.0.1:{closed_port()}",
        }
        data = tmp_path / "data"
        seen = []
        for args in (["crawl", "source", "-a", "source=mini"], ["crawlall"], ["sources", "--json"], ["sources"]):
            proc = run_scrapy(*args, "-L", "DEBUG", data_dir=data, sources=sources, env=env, check=False)
            seen.append(proc.stdout + proc.stderr)
            assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
        assert "Elasticsearch at http://elastic:***@127.0.0.1" in seen[0]  # still says where
        assert "run of mini FAILED" in seen[0]

        for name, value in {**env, "CDS_SOURCES_FILE": str(sources)}.items():
            monkeypatch.setenv(name, value)
        with ui_process(data, tmp_path / "ui.log") as ui:
            replies = [
                fetch(ui.url + path)
                for path in (
                    "/healthz",
                    "/api/search?q=VNPT",
                    "/api/export.csv?q=VNPT",
                    "/?q=VNPT",
                    "/feed.atom?q=VNPT",
                    "/api/articles/abc",
                    "/article/abc",
                )
            ]
        seen += replies + [(tmp_path / "ui.log").read_text()]
        assert replies[0].startswith("503") and "elastic:***@" in replies[0]
    finally:
        site.stop()
    everything = "\n".join(seen)
    assert len(everything) > 5000  # DEBUG logs and replies were really read
    leaked = [s for s in SECRETS if s in everything]
    assert leaked == []
