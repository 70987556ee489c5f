"""The outage scenario of issue 12, measured: nothing lost after a site outage.

    .venv/bin/python bench/outage.py [--articles 2000] [--down-at 0.3] [--down-for 15]

Starts DemoWeb(articles=N) and runs, as an operator would (``scrapy crawlall`` subprocesses):
1. a reference crawl that nothing interrupts, into its own DATA_DIR;
2. the outage crawl: every demo site refuses connections once the demo web has served DOWN_AT of
   the article pages (the server's view, so the outage lands mid-crawl however loaded the machine
   is), for DOWN_FOR seconds, then comes back;
3. crawls after it, as cron would run them, until the sources owe nothing but the demo's
   deliberately broken pages (at most 3; the debts' first retry is set due after 5 s).
Prints, per run: exit status, each source's outcome and debts (from ``scrapy sources --json``),
articles indexed; then the index against the reference crawl and the ground truth.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

PROJECT = Path(__file__).resolve().parents[1]
RETRY_SECONDS = 5


def _env(data_dir: Path, port: int) -> dict:
    return {
        **os.environ,
        "CDS_DATA_DIR": str(data_dir),
        "CDS_DEMO_PORT": str(port),
        "CDS_SOURCES_FILE": str(PROJECT / "config" / "sources.demo.yaml"),
        "CDS_CRAWL_DELAY": "0",
        "CDS_CRAWL_CONCURRENCY_PER_SITE": "4",
        "CDS_CRAWL_RETRY_BASE_SECONDS": str(RETRY_SECONDS),
        "PYTHONPATH": str(PROJECT),
    }


def crawlall(data_dir: Path, port: int) -> tuple[int, float, str]:
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawlall", "--progress", "0", "-s", "BACKOFF_RETRY_BASE_DELAY=0.05"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        env=_env(data_dir, port),
    )
    return proc.returncode, time.perf_counter() - started, proc.stderr


def health(data_dir: Path, port: int) -> dict:
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "sources", "--json"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        env=_env(data_dir, port),
    )
    return {r["source"]: r for r in json.loads(proc.stdout)}


def indexed(data_dir: Path) -> dict:
    from config.settings import Settings
    from indexer.backends import load_backend

    backend = load_backend(Settings(DATA_DIR=str(data_dir)))
    try:
        return {a.id: a.url for a in backend.iter_articles()}
    finally:
        backend.close()


def report(label: str, rc: int, seconds: float, data_dir: Path, port: int, stderr: str) -> dict:
    rows = health(data_dir, port)
    got = indexed(data_dir)
    shown = ", ".join(f"{n} {r['status']} (owes {r['debts']})" for n, r in rows.items())
    print(
        f"{label}: exit {rc}, {seconds:.0f}s, {len(got)} articles indexed, "
        f"{stderr.count('Traceback')} tracebacks on the console; {shown}"
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000, help="generated articles on the demo web")
    parser.add_argument(
        "--down-at", type=float, default=0.3, help="share of the article pages served when the outage starts"
    )
    parser.add_argument("--down-for", type=float, default=15.0, help="seconds the demo web stays down")
    parser.add_argument("--keep", action="store_true", help="keep the DATA_DIRs for inspection")
    args = parser.parse_args()
    sys.path.insert(0, str(PROJECT))
    from demoweb import DemoWeb
    from indexer.article import article_id

    web = DemoWeb(port=0, articles=args.articles).start()
    truth = web.ground_truth()
    on_topic = {article_id(g["url"]) for g in truth if g["on_topic"]}
    ghosts = set(web.special_urls()["500"])
    work = Path(tempfile.mkdtemp(prefix="cds-outage-"))
    print(
        f"demo web: {len(truth)} article pages ({len(on_topic)} on-topic in the ground truth) on "
        f"{len(web.sites)} sites; outage of {args.down_for:.0f}s once {args.down_at:.0%} of them are served"
    )
    article_paths = {urlsplit(g["url"]).path for g in truth}
    served: set[str] = set()

    def counting(app):
        def counted(environ, start_response):
            if environ.get("PATH_INFO") in article_paths:
                served.add(environ.get("HTTP_HOST", "") + environ["PATH_INFO"])
            return app(environ, start_response)

        return counted

    for name in list(web.apps):
        web.apps[name] = counting(web.apps[name])
    try:
        rc, secs, err = crawlall(work / "reference", web.port)
        report("reference crawl (no outage)", rc, secs, work / "reference", web.port, err)
        reference = indexed(work / "reference")

        data = work / "outage"
        timeline = []

        served.clear()
        started = time.monotonic()

        def outage():
            while len(served) < args.down_at * len(truth) and time.monotonic() - started < 600:
                time.sleep(0.05)
            web.go_down()
            timeline.append(f"down at {time.monotonic() - started:.0f}s with {len(served)} article pages served")
            time.sleep(args.down_for)
            web.come_back()
            timeline.append(f"back at {time.monotonic() - started:.0f}s")

        switch = threading.Thread(target=outage)
        switch.start()
        rc, secs, err = crawlall(data, web.port)
        switch.join()
        report(f"outage crawl ({', '.join(timeline)})", rc, secs, data, web.port, err)

        from crawler.crawl_state import CrawlState

        for n in range(1, 4):
            state = CrawlState(data / "crawl" / "state.sqlite")
            debts = state.debts()
            state.close()
            if n > 1 and {d["url"] for d in debts} <= ghosts:
                break
            time.sleep(RETRY_SECONDS + 1)  # cron's next tick, after the first retry is due
            rc, secs, err = crawlall(data, web.port)
            report(f"crawl {n} after the outage", rc, secs, data, web.port, err)
        got = indexed(data)
    finally:
        web.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    print(
        f"index after the outage: {len(got)} articles; reference crawl: {len(reference)}; "
        f"ground truth on-topic: {len(on_topic)}"
    )
    print(
        f"  missing vs reference: {len(set(reference) - set(got))}, extra vs reference: "
        f"{len(set(got) - set(reference))}, duplicate URLs: {len(got) - len(set(got.values()))}"
    )
    print(
        f"  vs ground truth: {len(set(got) & on_topic)}/{len(on_topic)} on-topic indexed "
        f"(the rest are the topic filter's own misses, the same in the reference crawl: "
        f"{len(on_topic - set(reference))}), {len(set(got) - on_topic)} off-topic indexed"
        + (f"; data in {work}" if args.keep else "")
    )


if __name__ == "__main__":
    main()
