"""The operator's commands: crawl one source, refuse a second run of it, report bad sources by
field while the others run, show health, and run crawls on cron schedules."""

from __future__ import annotations

import json
import time
from datetime import datetime

import pytest
from crawltools import FAST, crawl_state, indexed, popen_scrapy, run_scrapy, write_sources
from minisite import ON_TOPIC, MiniSite, article_html, listing_html, source_entry


@pytest.fixture
def site():
    s = MiniSite().start()
    for n in range(4):
        s.add(f"/bai/{n}.html", article_html(f"Chuyển đổi số: bài {n}", ON_TOPIC))
    s.add("/tin-tuc", listing_html([f"/bai/{n}.html" for n in range(4)]))
    yield s
    s.stop()


def test_scrapy_crawl_of_one_source(site, tmp_path):
    sources = write_sources(tmp_path / "s.yaml", [source_entry(site, listings=[site.url("/tin-tuc")])])
    proc = run_scrapy("crawl", "source", "-a", "source=mini", *FAST, data_dir=tmp_path / "d", sources=sources)
    assert "run of mini OK (finished)" in proc.stderr
    assert len(indexed(tmp_path / "d")) == 4
    warc = list((tmp_path / "d" / "warc" / "mini").glob("*.warc.gz"))
    assert len(warc) == 1 and warc[0].stat().st_size > 0


def test_a_source_is_never_crawled_twice_at_once(site, tmp_path):
    site.delay = 0.4
    sources = write_sources(tmp_path / "s.yaml", [source_entry(site, listings=[site.url("/tin-tuc")])])
    first = popen_scrapy(
        "crawl",
        "source",
        "-a",
        "source=mini",
        data_dir=tmp_path / "d",
        port=0,
        sources=sources,
        log_path=tmp_path / "first.log",
    )
    deadline = time.monotonic() + 20
    while not site.requested() and time.monotonic() < deadline:
        time.sleep(0.05)
    second = run_scrapy("crawl", "source", "-a", "source=mini", data_dir=tmp_path / "d", sources=sources)
    assert "is already being crawled" in second.stderr and "source_locked" in second.stderr
    assert first.wait(60) == 0
    runs = crawl_state(tmp_path / "d").runs("mini")
    assert len(runs) == 1 and runs[0]["ok"]
    assert len(indexed(tmp_path / "d")) == 4


def test_bad_source_is_named_by_field_and_the_others_still_run(site, tmp_path):
    good = source_entry(site, listings=[site.url("/tin-tuc")])
    bad_kind = dict(good, name="sai-loai", kind="blog")
    bad_regex = dict(good, name="sai-mau", article_patterns=["/bai/([a-z+\\.html"])
    sources = write_sources(tmp_path / "s.yaml", [bad_kind, good, bad_regex])
    proc = run_scrapy("crawlall", *FAST, data_dir=tmp_path / "d", sources=sources, check=False)
    assert proc.returncode == 1  # reported, but the good source ran
    assert "source 'sai-loai': field 'kind'" in proc.stderr
    assert "source 'sai-mau': field 'article_patterns[0]'" in proc.stderr
    assert len(indexed(tmp_path / "d")) == 4

    health = run_scrapy("sources", "--json", data_dir=tmp_path / "d", sources=sources, check=False)
    rows = {r["source"]: r for r in json.loads(health.stdout)}
    assert rows["mini"]["status"] == "OK" and rows["mini"]["articles"] == 4
    assert rows["sai-loai"]["status"] == "INVALID" and rows["sai-loai"]["field"] == "kind"

    single = run_scrapy(
        "crawl", "source", "-a", "source=sai-mau", data_dir=tmp_path / "d", sources=sources, check=False
    )
    assert single.returncode == 1  # the run FAILED: cron must see it
    assert "cannot crawl: source 'sai-mau': field 'article_patterns[0]'" in single.stderr
    failed = crawl_state(tmp_path / "d").runs("sai-mau", limit=1)[0]
    assert failed["reason"] == "bad_source" and not failed["ok"]
    text = run_scrapy("sources", data_dir=tmp_path / "d", sources=sources, check=False).stdout
    assert "INVALID  source 'sai-mau': field 'article_patterns[0]'" in text


def test_schedule_runs_crawls_on_cron_and_skips_overlaps(site, tmp_path):
    site.delay = 0.25
    entry = source_entry(site, listings=[site.url("/tin-tuc")], schedule="* * * * * */2")
    sources = write_sources(tmp_path / "s.yaml", [entry])
    # 15 s: two runs fit even on a loaded machine (a crawl process starts in ~3-6 s there)
    proc = run_scrapy("schedule", "--for", "15", *FAST, data_dir=tmp_path / "d", sources=sources, timeout=90)
    runs = sorted(crawl_state(tmp_path / "d").runs("mini"), key=lambda r: r["id"])
    assert len(runs) >= 2 and all(r["ended"] for r in runs)
    for earlier, later in zip(runs, runs[1:]):
        assert datetime.fromisoformat(earlier["ended"]) <= datetime.fromisoformat(later["started"])
    assert "still running: skipping its run" in proc.stderr
    assert len(indexed(tmp_path / "d")) == 4
