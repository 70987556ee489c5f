"""The extraction gate: article downloads wait while ``EXTRACT_PIPELINE_MAX_WAITING`` pages are
being extracted (crawler/pipelines/write_hub.py, crawler/middlewares/extraction_gate.py).

Without it the pages waiting for an extraction worker piled up with the crawl's length when
fetching outran extraction, and with them the crawler's memory (bench/crawl.py)."""

from __future__ import annotations

import json

from crawltools import FAST, crawl_state, indexed, run_scrapy, write_sources
from minisite import ON_TOPIC, MiniSite, article_html, listing_html, source_entry

from crawler.pipelines.write_hub import ExtractionGate


def test_downloads_wait_only_while_the_gate_is_full_and_all_go_when_a_page_leaves():
    gate = ExtractionGate(2)
    assert gate.room() is None
    gate.enter()
    gate.enter()
    first, second = gate.room(), gate.room()
    assert not first.called and not second.called
    cancelled = gate.room()
    cancelled.cancel()
    cancelled.addErrback(lambda f: None)
    gate.leave()  # one page out: every parked download goes (none refused, none stranded)
    assert first.called and second.called
    assert gate.room() is None


def test_no_limit_never_waits():
    gate = ExtractionGate(0)
    for _ in range(1000):
        gate.enter()
    assert gate.room() is None


def test_a_crawl_through_a_one_page_gate_fetches_and_indexes_everything(tmp_path):
    site = MiniSite().start()
    try:
        for k in range(12):
            site.add(f"/bai/{k}.html", article_html(f"Chuyển đổi số: bài {k}", ON_TOPIC))
        site.add("/tin-tuc", listing_html([f"/bai/{k}.html" for k in range(12)]))
        sources = write_sources(tmp_path / "s.yaml", [source_entry(site, listings=[site.url("/tin-tuc")])])
        data = tmp_path / "data"
        run_scrapy(
            "crawl",
            "source",
            "-a",
            "source=mini",
            *FAST,
            "-s",
            "EXTRACT_PIPELINE_MAX_WAITING=1",
            "-s",
            "CONCURRENT_REQUESTS=2",  # requests past the gate wait in the downloader: few here
            data_dir=data,
            port=0,
            sources=sources,
            env={"CDS_CRAWL_EXTRACT_WORKERS": "1"},
        )
    finally:
        site.stop()
    assert len(indexed(data)) == 12
    stats = json.loads(crawl_state(data).runs("mini", limit=1)[0]["stats"])
    assert stats["cds/pages/article"] == 12
    assert stats.get("cds/extract/gate_waits", 0) >= 1  # the downloads did wait for the worker
