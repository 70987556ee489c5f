"""The index pipeline's contract, on real crawls with a real embedded index: a URL is marked done
only after its article is committed; while the index is unavailable (another process holds
tantivy's writer lock) the articles are kept, the crawl pauses past MAX_PENDING, resumes when the
index is back, or stops after MAX_OUTAGE with the URLs unmarked, and nothing is lost."""

from __future__ import annotations

import json
import re
import time

import pytest
from crawltools import FAST, crawl_state, indexed, make_crawler, popen_scrapy, run_scrapy, write_sources
from minisite import ON_TOPIC, MiniSite, article_html, listing_html, source_entry

from config.settings import Settings
from indexer.backends import load_backend


@pytest.fixture
def site():
    s = MiniSite().start()
    yield s
    s.stop()


def publish(site: MiniSite, n: int, prefix: str = "bai") -> str:
    for k in range(n):
        site.add(f"/{prefix}/{k}.html", article_html(f"Chuyển đổi số: bài {prefix} {k}", ON_TOPIC))
    return site.add(f"/{prefix}-tin-tuc", listing_html([f"/{prefix}/{k}.html" for k in range(n)]))


def hold_index_writer(data_dir):
    """Take tantivy's single-writer lock from this (another) process, as a second crawl or an
    ``indexer reindex`` would: the crawl's writes then fail with BackendError."""
    holder = load_backend(Settings(DATA_DIR=str(data_dir)))
    holder.index([])
    return holder


def articles_fetched(site: MiniSite, prefix: str = "/bai/") -> list[str]:
    return [p for p in site.requested(200) if p.startswith(prefix)]


def done_urls(data_dir) -> set[str]:
    return {p["url"] for p in crawl_state(data_dir).pages() if p["state"] == "done"}


def wait_for(predicate, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_crawl_pauses_while_the_index_is_locked_and_commits_everything_once_it_is_free(site, tmp_path):
    listing = publish(site, 20)
    site.delay = 0.05
    sources = write_sources(tmp_path / "s.yaml", [source_entry(site, listings=[listing])])
    data = tmp_path / "data"
    holder = hold_index_writer(data)
    log = tmp_path / "crawl.log"
    proc = popen_scrapy(
        "crawl",
        "source",
        "-a",
        "source=mini",
        "-s",
        "INDEX_PIPELINE_BATCH_SIZE=2",
        "-s",
        "INDEX_PIPELINE_MAX_PENDING=4",
        "-s",
        "INDEX_PIPELINE_FLUSH_SECONDS=0",
        "-s",
        "INDEX_PIPELINE_RETRY_SECONDS=1",
        "-s",
        "INDEX_PIPELINE_RETRY_MAX_SECONDS=1",
        "-s",
        "CONCURRENT_REQUESTS=2",  # what the downloader holds goes on after a pause
        data_dir=data,
        port=0,
        sources=sources,
        log_path=log,
        env={"CDS_CRAWL_CONCURRENCY_PER_SITE": "2", "CDS_CRAWL_EXTRACT_WORKERS": "0"},
    )
    try:
        locked_at = time.monotonic()
        wait_for(lambda: "pausing the crawl" in log.read_text())
        time.sleep(1.0)  # requests in flight land
        while_paused = len(articles_fetched(site))
        assert not done_urls(data), "URLs marked done before their articles were committed"
        time.sleep(1.5)
        assert len(articles_fetched(site)) == while_paused < 20  # paused: nothing more fetched
    finally:
        holder.close()  # the index is free again
        held = time.monotonic() - locked_at
    assert proc.wait(60) == 0
    text = log.read_text()
    assert "search backend is back" in text and "resuming the crawl" in text
    assert len(indexed(data)) == 20
    assert done_urls(data) == {site.url(f"/bai/{k}.html") for k in range(20)}
    run = crawl_state(data).runs("mini", limit=1)[0]
    stats = json.loads(run["stats"])
    assert run["reason"] == "finished" and run["ok"] and run["articles_new"] == 20
    assert stats["cds/index/pauses"] >= 1  # (again, briefly, if a batch is slower than 4 pages)
    # the writes were retried by the timer, about once a second, not for every arriving article
    assert 1 <= stats["cds/index/backend_errors"] <= held + 1
    assert sorted(articles_fetched(site)) == sorted(f"/bai/{k}.html" for k in range(20))  # once each


def test_outage_past_max_outage_stops_the_crawl_and_the_next_run_indexes_everything(site, tmp_path):
    listing = publish(site, 8)
    site.delay = 0.05
    sources = write_sources(tmp_path / "s.yaml", [source_entry(site, listings=[listing])])
    data = tmp_path / "data"
    holder = hold_index_writer(data)
    try:
        first = run_scrapy(
            "crawl",
            "source",
            "-a",
            "source=mini",
            *FAST,
            "-s",
            "INDEX_PIPELINE_BATCH_SIZE=2",
            "-s",
            "INDEX_PIPELINE_MAX_PENDING=3",
            "-s",
            "INDEX_PIPELINE_MAX_OUTAGE_SECONDS=1",
            "-s",
            "INDEX_PIPELINE_RETRY_SECONDS=0.3",
            "-s",
            "INDEX_PIPELINE_RETRY_MAX_SECONDS=0.3",
            "-s",
            "INDEX_PIPELINE_CLOSE_RETRIES=1",
            "-s",
            "CONCURRENT_REQUESTS=1",
            data_dir=data,
            sources=sources,
            env={"CDS_CRAWL_EXTRACT_WORKERS": "0"},
            check=False,
        )
    finally:
        holder.close()
    assert first.returncode == 1  # the run FAILED
    assert "pausing the crawl" in first.stderr
    assert "stopping it" in first.stderr
    run = crawl_state(data).runs("mini", limit=1)[0]
    stats = json.loads(run["stats"])
    assert run["reason"] == "backend_unavailable" and not run["ok"]
    kept = stats["cds/index/uncommitted"]
    assert kept >= 3 and f"{kept} articles not committed" in first.stderr
    assert len(articles_fetched(site)) < 8  # it stopped before the end
    assert not done_urls(data) and not indexed(data)

    site.log.clear()
    run_scrapy("crawl", "source", "-a", "source=mini", *FAST, data_dir=data, sources=sources)
    assert len(indexed(data)) == 8
    assert done_urls(data) == {site.url(f"/bai/{k}.html") for k in range(8)}
    assert crawl_state(data).runs("mini", limit=1)[0]["ok"]


def test_a_source_waiting_for_the_index_at_its_end_does_not_hold_up_the_others(tmp_path):
    """crawlall runs every source on one reactor: the last tries of a finished source (seconds
    apart) must leave the others crawling meanwhile."""
    quick, slow = MiniSite().start(), MiniSite().start()
    slow.delay = 0.25
    try:
        entries = [
            source_entry(quick, name="quick", listings=[publish(quick, 1)]),
            source_entry(slow, name="slow", listings=[publish(slow, 10)]),
        ]
        sources = write_sources(tmp_path / "s.yaml", entries)
        holder = hold_index_writer(tmp_path / "data")
        try:
            proc = run_scrapy(
                "crawlall",
                "--progress",
                "0",
                *FAST,
                "-L",
                "DEBUG",
                "-s",
                "INDEX_PIPELINE_CLOSE_RETRIES=2",
                data_dir=tmp_path / "data",
                sources=sources,
                check=False,
                env={"CDS_CRAWL_CONCURRENCY_PER_SITE": "1", "CDS_CRAWL_EXTRACT_WORKERS": "0"},
            )
        finally:
            holder.close()
    finally:
        quick.stop()
        slow.stop()
    lines = proc.stderr.splitlines()
    waits = [n for n, line in enumerate(lines) if "closing with 1 articles waiting" in line]
    gave_up = [n for n, line in enumerate(lines) if "1 articles not committed" in line]
    told = "\n".join(line[:160] for line in lines if "WARNING" in line or "ERROR" in line)
    assert len(waits) == 2 and len(gave_up) == 1, told
    slow_page = re.compile(rf"Crawled \(200\) <GET http://127\.0\.0\.1:{slow.port}/bai/")
    meanwhile = [line for line in lines[waits[0] : gave_up[0]] if slow_page.search(line)]
    # a blocked reactor would let through at most one response between two waits
    assert len(meanwhile) >= 4, told
    runs = {r["source"]: r for r in crawl_state(tmp_path / "data").runs()}
    assert json.loads(runs["quick"]["stats"])["cds/index/uncommitted"] == 1
    assert json.loads(runs["slow"]["stats"])["cds/index/uncommitted"] == 10


@pytest.mark.parametrize(
    "component, setting",
    [
        ("crawler.middlewares.known_urls.KnownUrlMiddleware", "KNOWN_URLS_ENABLED"),
        ("crawler.middlewares.traps.TrapFilterMiddleware", "TRAP_FILTER_ENABLED"),
        ("crawler.middlewares.content_type.ContentTypeFilterMiddleware", "CONTENT_TYPE_FILTER_ENABLED"),
        ("crawler.extensions.warc_archive.WarcArchive", "WARC_ARCHIVE_ENABLED"),
        ("crawler.extensions.run_recorder.RunRecorder", "RUN_RECORDER_ENABLED"),
    ],
)
def test_optional_components_switch_off(tmp_path, component, setting):
    from scrapy.exceptions import NotConfigured
    from scrapy.utils.misc import load_object

    cls = load_object(component)
    assert cls.from_crawler(make_crawler(tmp_path)) is not None
    with pytest.raises(NotConfigured):
        cls.from_crawler(make_crawler(tmp_path, **{setting: False}))
