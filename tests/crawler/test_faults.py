"""Faults on the demo web's real HTTP server: nothing is lost after an outage, and health says
what happened.

- The whole demo web goes down (connections refused) for 15 s in the middle of a crawl, then comes
  back: the outage run ends DEGRADED with its failed URLs owed, and the next crawl (once those
  debts are due, by the retry schedule) indexes every on-topic article of the ground truth, once.
- A source whose every page answers 500 shows FAILING, and the crawl exits non-zero.
No traceback reaches the console in either case.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from crawltools import DEMO_SOURCES, FAST, crawl_state, indexed, popen_scrapy, run_scrapy, start_demo

from indexer.article import article_id

pytestmark = pytest.mark.slow

OUTAGE_SECONDS = 15
RETRY = {"CDS_CRAWL_RETRY_BASE_SECONDS": "5"}  # debts due 5 s after they failed, then 10 s...


def health(data, port) -> dict:
    proc = run_scrapy("sources", "--json", data_dir=data, port=port, check=False)
    return {r["source"]: r for r in json.loads(proc.stdout)}


def ui_health(data) -> dict:
    """What the UI's /healthz says about the crawl in ``data`` (the real app, in process)."""
    from config.settings import Settings
    from search_ui import create_app

    app = create_app({"SETTINGS": Settings(DATA_DIR=str(data), SOURCES_FILE=str(DEMO_SOURCES))})
    try:
        reply = app.test_client().get("/healthz")
        return {"http_status": reply.status_code, **reply.get_json()}
    finally:
        app.extensions["cds_backend"].close()


def served(log, pages: set) -> int:
    """Article pages the demo web has answered so far (the server's view of the crawl)."""
    with log.lock:
        return len({(e["host"], e["path"].split("?")[0]) for e in log.entries} & pages)


def wait_for_debts_due(data, limit: float = 30) -> None:
    """Sleep until every debt's next try has come (the retry schedule), at most ``limit`` s."""
    due = [datetime.fromisoformat(d["next_try"]) for d in crawl_state(data).debts()]
    if due:
        time.sleep(min(limit, max(0.0, (max(due) - datetime.now(UTC)).total_seconds() + 1)))


@pytest.fixture(scope="module")
def outage(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("outage")
    web, log = start_demo(articles=150)
    log.delay = 0.03  # a slower site, so the outage lands mid-crawl
    truth = web.ground_truth()
    data = tmp / "data"
    out = {"web": web, "truth": truth, "data": data, "port": web.port}
    try:
        crawl = popen_scrapy(
            "crawlall", *FAST, data_dir=data, port=web.port, env=RETRY, log_path=tmp / "outage-run.log"
        )
        pages = {(urlsplit(g["url"]).hostname, urlsplit(g["url"]).path) for g in truth}
        deadline = time.monotonic() + 120
        while served(log, pages) < 0.4 * len(truth) and crawl.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        out["served_before"] = served(log, pages)
        web.go_down()
        went_down = time.monotonic()
        crawl_ended = None
        while time.monotonic() - went_down < OUTAGE_SECONDS:
            if crawl_ended is None and crawl.poll() is not None:
                crawl_ended = time.monotonic() - went_down
            time.sleep(0.1)
        web.come_back()
        out["rc_outage"] = crawl.wait(180)
        out["log_outage"] = (tmp / "outage-run.log").read_text()
        out["health_outage"] = health(data, web.port)
        out["healthz_outage"] = ui_health(data)
        out["indexed_outage"] = len(indexed(data))
        out["after"] = []
        for _ in range(3):  # the next crawl, or the one after
            if not crawl_state(data).debts() and out["after"]:
                break
            wait_for_debts_due(data)
            proc = run_scrapy("crawlall", *FAST, data_dir=data, port=web.port, env=RETRY, check=False, timeout=240)
            out["after"].append(proc)
            ghosts = {u for u in web.special_urls()["500"]}
            if {d["url"] for d in crawl_state(data).debts()} <= ghosts:
                break
        out["health_after"] = health(data, web.port)
        out["index"] = indexed(data)
        print(
            f"\noutage: {out['served_before']} article pages served before it; outage run exit "
            f"{out['rc_outage']}, {out['indexed_outage']} indexed, statuses "
            f"{ {n: (r['status'], r['debts']) for n, r in out['health_outage'].items()} }; "
            f"{len(out['after'])} crawls after: {len(out['index'])} indexed of "
            f"{sum(g['on_topic'] for g in truth)} on-topic in the ground truth"
        )
        yield out
    finally:
        web.stop()


def test_the_outage_run_is_degraded_with_its_failures_owed(outage):
    rows = outage["health_outage"]
    assert 0 < outage["served_before"] and outage["indexed_outage"] < sum(g["on_topic"] for g in outage["truth"])
    owing = {n: r for n, r in rows.items() if r["debts"]}
    assert owing, "the outage left no debt: it did not land mid-crawl"
    assert all(r["status"] in ("DEGRADED", "FAILING") for r in owing.values()), owing
    assert any(r["status"] == "DEGRADED" for r in owing.values())
    assert all(r["status"] == "OK" for n, r in rows.items() if n not in owing)
    failing = [n for n, r in rows.items() if r["status"] == "FAILING"]
    assert outage["rc_outage"] == (1 if failing else 0)
    assert "Traceback" not in outage["log_outage"]
    ui = outage["healthz_outage"]  # the UI's health endpoint says the same
    assert ui["http_status"] == 200 and ui["crawl"]["status"] in ("DEGRADED", "FAILING")
    shown = {r["source"]: (r["status"], r["debts"], r["articles_in_index"]) for r in ui["crawl"]["sources"]}
    assert shown == {n: (r["status"], r["debts"], r["articles"]) for n, r in rows.items()}


def test_after_the_outage_the_index_equals_the_ground_truth(outage):
    truth = outage["truth"]
    on_topic = {article_id(g["url"]) for g in truth if g["on_topic"]}
    got = outage["index"]
    assert sorted(on_topic - set(got)) == []  # nothing lost
    assert sorted(set(got) - on_topic) == []  # nothing off-topic, no stray copy
    assert len(got) == len(on_topic)
    assert len({a.url for a in got.values()}) == len(got)  # no article indexed twice
    assert len(outage["after"]) <= 2, "more than two crawls were needed after the outage"
    for proc in outage["after"]:
        assert "Traceback" not in proc.stderr


def test_after_the_outage_the_debts_are_cleared_and_health_says_so(outage):
    rows = outage["health_after"]
    ghosts = outage["web"].special_urls()["500"]  # demo pages that always answer 500
    ghost_sources = {
        n for n, s in outage["web"].stores.items() if any(u.startswith(outage["web"].url(n, "/")) for u in ghosts)
    }
    for name, row in rows.items():
        if name in ghost_sources:
            assert (row["status"], row["debts"]) == ("DEGRADED", 1), row
        else:
            assert (row["status"], row["debts"]) == ("OK", 0), row
    assert outage["after"][-1].returncode == 0
    table = run_scrapy("sources", data_dir=outage["data"], port=outage["port"]).stdout
    assert "DEGRADED" in table and "owed" in table


def test_a_source_whose_every_page_is_a_500_shows_failing(tmp_path):
    web, _log = start_demo()
    try:
        web.fail_with(500, ["vnpt-newsroom"])
        proc = run_scrapy("crawlall", *FAST, data_dir=tmp_path / "data", port=web.port, check=False)
        rows = health(tmp_path / "data", web.port)
        text = run_scrapy("sources", data_dir=tmp_path / "data", port=web.port, check=False)
    finally:
        web.stop()
    assert proc.returncode == 1
    assert "FAILED: vnpt-newsroom" in proc.stderr
    assert "Traceback" not in proc.stderr
    bad = rows["vnpt-newsroom"]
    assert bad["status"] == "FAILING" and bad["last_outcome"] == "FAILED"
    assert bad["server_errors"] > 0 and bad["debts"] > 0 and bad["articles"] == 0
    assert all(r["status"] in ("OK", "DEGRADED") for n, r in rows.items() if n != "vnpt-newsroom")
    assert text.returncode == 1
    line = next(ln for ln in text.stdout.splitlines() if ln.startswith("vnpt-newsroom"))
    assert "FAILING" in line
