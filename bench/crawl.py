"""Crawl throughput on the demo web, beside the raw fetch rate of the same pages.

    .venv/bin/python bench/crawl.py [--articles 2000] [--concurrency 4]

Starts DemoWeb(articles=N), then in one run:
1. ``scrapy crawlall`` end to end (discovery, fetch, extraction, topic filter, WARC, embedded
   index) into a fresh DATA_DIR: article pages processed per second, and articles indexed;
2. a no-op Scrapy spider fetching exactly the article pages the crawl fetched, with the same
   per-site concurrency and no pipelines: the ceiling the network side allows.
Both run as subprocesses, as an operator would run them. Prints the figures.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import scrapy

PROJECT = Path(__file__).resolve().parents[1]


class NoopSpider(scrapy.Spider):
    """Fetch a list of URLs and throw the bytes away."""
    name = "noop"
    custom_settings = {"ITEM_PIPELINES": {}, "RUN_RECORDER_ENABLED": False, "WARC_ARCHIVE_ENABLED": False,
                       "KNOWN_URLS_ENABLED": False, "JOB_STATE_RESUME": False, "LOG_LEVEL": "WARNING"}

    def __init__(self, urls: str = "", **kwargs):
        super().__init__(**kwargs)
        self.url_file = urls

    async def start(self):
        for url in Path(self.url_file).read_text().split():
            yield scrapy.Request(url, callback=self.parse, dont_filter=True)

    def parse(self, response):
        self.crawler.stats.inc_value("bench/pages")


def _env(data_dir: Path, port: int, concurrency: int) -> dict:
    return {**os.environ, "CDS_DATA_DIR": str(data_dir), "CDS_DEMO_PORT": str(port),
            "CDS_SOURCES_FILE": str(PROJECT / "config" / "sources.demo.yaml"), "CDS_CRAWL_DELAY": "0",
            "CDS_CRAWL_CONCURRENCY_PER_SITE": str(concurrency), "PYTHONPATH": str(PROJECT)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000, help="generated articles on the demo web")
    parser.add_argument("--concurrency", type=int, default=4, help="parallel requests per site")
    parser.add_argument("--keep", action="store_true", help="keep the crawl's DATA_DIR for inspection")
    args = parser.parse_args()
    sys.path.insert(0, str(PROJECT))
    from demoweb import DemoWeb

    web = DemoWeb(port=0, articles=args.articles).start()
    truth = web.ground_truth()
    work = Path(tempfile.mkdtemp(prefix="cds-bench-"))
    print(f"demo web: {len(truth)} article pages on {len(web.sites)} sites "
          f"({args.articles} generated), {args.concurrency} requests per site")
    try:
        started = time.perf_counter()
        crawl = subprocess.run([sys.executable, "-m", "scrapy", "crawlall", "--progress", "0",
                                "-s", "BACKOFF_RETRY_BASE_DELAY=0.05"], cwd=PROJECT, capture_output=True,
                               text=True, env=_env(work / "data", web.port, args.concurrency))
        crawl_s = time.perf_counter() - started
        if crawl.returncode != 0:
            sys.exit(f"crawl failed:\n{crawl.stderr[-3000:]}")
        sys.path.insert(0, str(PROJECT))
        from crawler.crawl_state import CrawlState
        state = CrawlState(work / "data" / "crawl" / "state.sqlite")
        stats = [json.loads(r["stats"]) for r in state.runs(limit=100)]
        article_pages = sum(s.get("cds/pages/article", 0) for s in stats)
        indexed = sum(s.get("cds/articles/indexed", 0) for s in stats)
        all_pages = sum(s.get("response_received_count", 0) for s in stats)
        fetched = sorted({p["url"] for p in state.pages() if p["status"] == 200})

        url_file = work / "urls.txt"
        url_file.write_text("\n".join(fetched))
        started = time.perf_counter()
        noop = subprocess.run([sys.executable, "-m", "scrapy", "runspider", __file__, "-a", f"urls={url_file}",
                               "-s", f"CONCURRENT_REQUESTS={6 * args.concurrency}", "-s", "LOG_LEVEL=WARNING"],
                              cwd=PROJECT, capture_output=True, text=True,
                              env=_env(work / "noop", web.port, args.concurrency))
        noop_s = time.perf_counter() - started
        if noop.returncode != 0:
            sys.exit(f"no-op fetch failed:\n{noop.stderr[-3000:]}")
    finally:
        web.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    print(f"crawl  (scrapy crawlall, end to end): {article_pages} article pages in {crawl_s:.1f}s "
          f"= {article_pages / crawl_s:.1f} articles/s ({indexed} indexed as on-topic, "
          f"{all_pages} responses incl. sitemaps/feeds/listings/robots)")
    print(f"fetch  (no-op spider, same {len(fetched)} article pages): {noop_s:.1f}s "
          f"= {len(fetched) / noop_s:.1f} pages/s")
    print(f"crawl/fetch ratio: {(article_pages / crawl_s) / (len(fetched) / noop_s):.2f} "
          f"(both include ~1-2 s of Scrapy start-up)" + (f"; data in {work}" if args.keep else ""))


if __name__ == "__main__":
    main()
