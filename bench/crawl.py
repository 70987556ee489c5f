"""Crawl throughput and memory on the demo web, beside the raw fetch rate of the same pages.

    .venv/bin/python bench/crawl.py [--articles 2000] [--concurrency 4] [--workers N]

Starts DemoWeb(articles=N), then in one run:
1. ``scrapy crawlall`` end to end (discovery, fetch, extraction in worker processes, topic,
   clustering, WARC, embedded index) into a fresh DATA_DIR: article pages processed per second,
   and articles indexed; meanwhile the resident memory of the crawl's process tree (the crawler
   and its extraction workers) is sampled every 0.2 s: its peak, and the peak of each quarter of
   the crawl (flat, or growing with the crawl?);
2. a no-op Scrapy spider fetching exactly the article pages the crawl fetched, with the same
   per-site concurrency and no pipelines: the ceiling the network side allows.
Both run as subprocesses, as an operator would run them. Prints each figure beside its limit:
crawl rate >= 0.5 of the raw fetch rate, peak RSS <= 300 MB; and the CPU time each run used
(its processes, user + system) per article page, which a machine shared with other work does not
distort the way it distorts wall-clock rates (the load average is printed too).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import scrapy

PROJECT = Path(__file__).resolve().parents[1]
RATIO_LIMIT = 0.5  # crawl rate / raw fetch rate, at least
RSS_LIMIT_MB = 300.0  # peak resident memory of the crawl, crawler + workers, at most


class NoopSpider(scrapy.Spider):
    """Fetch a list of URLs and throw the bytes away."""

    name = "noop"
    custom_settings = {
        "ITEM_PIPELINES": {},
        "RUN_RECORDER_ENABLED": False,
        "WARC_ARCHIVE_ENABLED": False,
        "KNOWN_URLS_ENABLED": False,
        "JOB_STATE_RESUME": False,
        "LOG_LEVEL": "WARNING",
    }

    def __init__(self, urls: str = "", **kwargs):
        super().__init__(**kwargs)
        self.url_file = urls

    async def start(self):
        for url in Path(self.url_file).read_text().split():
            yield scrapy.Request(url, callback=self.parse, dont_filter=True)

    def parse(self, response):
        self.crawler.stats.inc_value("bench/pages")


def _env(data_dir: Path, port: int, concurrency: int) -> dict:
    return {
        **os.environ,
        "CDS_DATA_DIR": str(data_dir),
        "CDS_DEMO_PORT": str(port),
        "CDS_SOURCES_FILE": str(PROJECT / "config" / "sources.demo.yaml"),
        "CDS_CRAWL_DELAY": "0",
        "CDS_CRAWL_CONCURRENCY_PER_SITE": str(concurrency),
        "PYTHONPATH": str(PROJECT),
    }


def _tree(root: int) -> list[int]:
    """``root`` and its descendants (the extraction workers), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class RssSampler(threading.Thread):
    """Samples the summed RSS of a process tree until the root exits."""

    def __init__(self, proc: subprocess.Popen, every: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.proc, self.every = proc, every
        self.samples: list[tuple[float, float, int]] = []  # (time, MB, processes)

    def run(self) -> None:
        start = time.perf_counter()
        while self.proc.poll() is None:
            pids = _tree(self.proc.pid)
            self.samples.append((time.perf_counter() - start, sum(_rss_mb(p) for p in pids), len(pids)))
            time.sleep(self.every)

    def peak(self) -> tuple[float, int]:
        mb, n = max(((m, n) for _, m, n in self.samples), default=(0.0, 0))
        return mb, n

    def quarters(self) -> list[float]:
        if not self.samples:
            return []
        end = self.samples[-1][0] or 1.0
        return [
            max((m for t, m, _ in self.samples if q * end / 4 <= t <= (q + 1) * end / 4), default=0.0) for q in range(4)
        ]


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000, help="generated articles on the demo web")
    parser.add_argument("--concurrency", type=int, default=4, help="parallel requests per site")
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="extraction worker processes (default: the setting CRAWL_EXTRACT_WORKERS)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the crawl's DATA_DIR for inspection")
    args = parser.parse_args()
    sys.path.insert(0, str(PROJECT))
    from demoweb import DemoWeb

    web = DemoWeb(port=0, articles=args.articles).start()
    truth = web.ground_truth()
    work = Path(tempfile.mkdtemp(prefix="cds-bench-"))
    print(
        f"demo web: {len(truth)} article pages on {len(web.sites)} sites "
        f"({args.articles} generated), {args.concurrency} requests per site"
    )
    try:
        env = _env(work / "data", web.port, args.concurrency)
        if args.workers is not None:
            env["CDS_CRAWL_EXTRACT_WORKERS"] = str(args.workers)
        load = os.getloadavg()[0]
        cpu0 = _children_cpu()
        started = time.perf_counter()
        with open(work / "crawl.log", "w") as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "scrapy", "crawlall", "--progress", "0", "-s", "BACKOFF_RETRY_BASE_DELAY=0.05"],
                cwd=PROJECT,
                stdout=log,
                stderr=subprocess.STDOUT,
                text=True,
                env=env,
            )
            rss = RssSampler(proc)
            rss.start()
            proc.wait()
        crawl_s = time.perf_counter() - started
        crawl_cpu = _children_cpu() - cpu0  # the crawler and the workers it joined
        rss.join()
        if proc.returncode != 0:
            sys.exit(f"crawl failed:\n{(work / 'crawl.log').read_text()[-3000:]}")
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
        cpu0 = _children_cpu()
        started = time.perf_counter()
        noop = subprocess.run(
            [
                sys.executable,
                "-m",
                "scrapy",
                "runspider",
                __file__,
                "-a",
                f"urls={url_file}",
                "-s",
                f"CONCURRENT_REQUESTS={6 * args.concurrency}",
                "-s",
                "LOG_LEVEL=WARNING",
            ],
            cwd=PROJECT,
            capture_output=True,
            text=True,
            env=_env(work / "noop", web.port, args.concurrency),
        )
        noop_s = time.perf_counter() - started
        noop_cpu = _children_cpu() - cpu0
        if noop.returncode != 0:
            sys.exit(f"no-op fetch failed:\n{noop.stderr[-3000:]}")
    finally:
        web.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    crawl_rate, fetch_rate = article_pages / crawl_s, len(fetched) / noop_s
    ratio = crawl_rate / fetch_rate
    peak, procs = rss.peak()
    print(
        f"crawl  (scrapy crawlall, end to end): {article_pages} article pages in {crawl_s:.1f}s "
        f"= {crawl_rate:.1f} articles/s ({indexed} indexed as on-topic, "
        f"{all_pages} responses incl. sitemaps/feeds/listings/robots)"
    )
    print(f"fetch  (no-op spider, same {len(fetched)} article pages): {noop_s:.1f}s = {fetch_rate:.1f} pages/s")
    print(
        f"crawl/fetch ratio: {ratio:.2f} vs limit >= {RATIO_LIMIT} "
        f"{'OK' if ratio >= RATIO_LIMIT else 'BELOW'} (both include ~1-2 s of Scrapy start-up)"
    )
    print(
        f"CPU time: crawl {1000 * crawl_cpu / article_pages:.1f} ms per article page (crawler + workers), "
        f"no-op fetch {1000 * noop_cpu / len(fetched):.1f} ms per page; load average at the start "
        f"{load:.1f} on {os.cpu_count()} cores"
    )
    print(
        f"crawl peak RSS: {peak:.0f} MB ({procs} processes: crawler + extraction workers) vs limit "
        f"<= {RSS_LIMIT_MB:.0f} MB {'OK' if peak <= RSS_LIMIT_MB else 'ABOVE'}; peak per quarter of the "
        f"crawl: {' / '.join(f'{q:.0f}' for q in rss.quarters())} MB" + (f"; data in {work}" if args.keep else "")
    )


if __name__ == "__main__":
    main()
