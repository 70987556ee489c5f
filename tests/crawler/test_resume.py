"""A crawl killed with SIGKILL mid-run and started again ends with the same index as a crawl that
was never interrupted: nothing lost, nothing indexed twice, committed pages not fetched again."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest
from crawltools import FAST, crawl_state, indexed, popen_scrapy, run_scrapy, start_demo

pytestmark = pytest.mark.slow

COMPARED = (
    "url",
    "title",
    "lead",
    "body",
    "published",
    "author",
    "source",
    "provinces",
    "provinces_current",
    "partners",
    "year",
    "periods",
    "kind",
    "topic_score",
    "on_topic",
    "is_canonical",
    "content_hash",
)


@pytest.fixture(scope="module")
def bigger_demo():
    web, log = start_demo(articles=150)
    web.log = log
    yield web
    web.stop()


def _done_urls(data) -> set[str]:
    try:
        return {p["url"] for p in crawl_state(data).pages() if p["state"] == "done"}
    except Exception:  # the database may not exist yet
        return set()


def test_sigkilled_crawl_resumes_to_the_same_index(bigger_demo, tmp_path):
    web = bigger_demo
    run_scrapy("crawlall", *FAST, data_dir=tmp_path / "reference", port=web.port, timeout=180)
    reference = indexed(tmp_path / "reference")

    data = tmp_path / "killed"
    web.log.clear()
    proc = popen_scrapy(
        "crawlall",
        *FAST,
        data_dir=data,
        port=web.port,
        env={"CDS_CRAWL_INDEX_BATCH": "5"},
        log_path=tmp_path / "killed.log",
    )
    deadline = time.monotonic() + 60
    while len(_done_urls(data)) < 60 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    workers = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    deadline = time.monotonic() + 10  # extraction workers die with their crawl
    while any(os.path.exists(f"/proc/{w}") for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert workers and not any(os.path.exists(f"/proc/{w}") for w in workers)
    done_at_kill = _done_urls(data)
    partial = indexed(data)
    assert 0 < len(partial) < len(reference), "the kill must land mid-crawl"
    runs = crawl_state(data).runs()
    assert runs and all(r["ended"] is None for r in runs)  # killed runs show as unfinished

    web.log.clear()
    again = run_scrapy("crawlall", *FAST, data_dir=data, port=web.port, timeout=180)
    assert "previous run was killed" in again.stderr
    final = indexed(data)
    assert final.keys() == reference.keys()
    for aid, article in reference.items():
        assert {f: getattr(final[aid], f) for f in COMPARED} == {f: getattr(article, f) for f in COMPARED}

    refetched = {f"http://{e['host']}:{web.port}{e['path']}" for e in web.log.entries if e["status"] == 200}
    assert not refetched & done_at_kill, "pages committed before the kill were fetched again"
    latest = {r["source"]: r for r in reversed(crawl_state(data).runs(limit=100))}
    assert all(r["ok"] for r in latest.values())
