"""End-to-end: crawl the demo web over HTTP with ``scrapy crawlall`` and check what users get.

One full crawl (all discovery kinds as configured), then one crawl per discovery kind alone, a
second (incremental) crawl, robots.txt and the run records. The demo web's ground truth says
which pages exist and which are chuyển đổi số.
"""

from __future__ import annotations

import json
import shutil
from urllib.parse import urlsplit

import pytest
from crawltools import FAST, crawl_state, demo_sources, indexed, run_scrapy, write_sources

from indexer.article import article_id

pytestmark = pytest.mark.slow


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def _host(url: str) -> str:
    return urlsplit(url).hostname


def fetched_ok(log) -> set[tuple[str, str]]:
    return {(e["host"], e["path"]) for e in log.entries if e["status"] == 200}


@pytest.fixture(scope="module")
def full_crawl(demo, tmp_path_factory):
    data = tmp_path_factory.mktemp("full")
    demo.log.clear()
    proc = run_scrapy("crawlall", *FAST, data_dir=data, port=demo.port)
    return {"data": data, "proc": proc, "log": list(demo.log.entries)}


def test_every_article_page_is_fetched(demo, full_crawl):
    ok = {(e["host"], e["path"]) for e in full_crawl["log"] if e["status"] == 200}
    missing = [g["url"] for g in demo.ground_truth() if (_host(g["url"]), _path(g["url"])) not in ok]
    assert not missing, f"article pages never fetched: {missing}"


def test_index_holds_every_on_topic_article_and_no_off_topic_one(demo, full_crawl):
    truth = demo.ground_truth()
    got = indexed(full_crawl["data"])
    on_topic = {article_id(g["url"]): g["url"] for g in truth if g["on_topic"]}
    off_topic = {article_id(g["url"]): g["url"] for g in truth if not g["on_topic"]}
    assert sorted(on_topic[i] for i in set(on_topic) - set(got)) == []
    assert sorted(off_topic[i] for i in set(off_topic) & set(got)) == []
    assert set(got) <= set(on_topic) | set(off_topic), "indexed something that is not an article"


def test_topic_filter_keeps_by_score_and_counts_both(full_crawl):
    got = indexed(full_crawl["data"])
    pages = [p for p in crawl_state(full_crawl["data"]).pages() if p["state"] == "done"]
    kept = {p["article_id"] for p in pages if p["on_topic"]}
    dropped = {p["article_id"] for p in pages if not p["on_topic"]}
    assert kept == set(got)
    assert not dropped & set(got)
    assert all(a.topic_score >= 1.0 and a.on_topic for a in got.values())
    runs = crawl_state(full_crawl["data"]).runs()
    assert sum(r["off_topic"] for r in runs) == len({p["url"] for p in pages if not p["on_topic"]})
    assert sum(r["articles_new"] for r in runs) == len(kept)


def test_robots_txt_is_read_and_obeyed(demo, full_crawl):
    log = full_crawl["log"]
    disallowed = demo.special_urls()["disallowed"]
    hosts = {_host(u) for u in disallowed}
    assert {e["host"] for e in log if e["path"] == "/robots.txt"} == hosts
    for e in log:
        for url in disallowed:
            assert not (e["host"] == _host(url) and e["path"].startswith(_path(url))), e
    assert all(e["user_agent"].startswith("CDSRadarBot/") and "+http" in e["user_agent"] for e in log)


def test_every_run_is_recorded_and_sources_show_health(demo, full_crawl):
    proc = run_scrapy("sources", "--json", data_dir=full_crawl["data"], port=demo.port)
    health = {r["source"]: r for r in json.loads(proc.stdout)}
    assert set(health) == {s["name"] for s in demo_sources()}
    got = indexed(full_crawl["data"])
    ghosts = demo.special_urls()["500"]  # demo pages that always answer 500: owed, honestly
    for name, row in health.items():
        owed = sum(1 for u in ghosts if u.startswith(demo.url(name, "/")))
        assert (row["status"], row["debts"]) == ("DEGRADED" if owed else "OK", owed), row
        assert row["last_success"] and row["consecutive_failures"] == 0
        assert row["pages"] > 0
        expected = sum(1 for a in got.values() if a.source == name)
        assert row["articles"] == expected == row["new"] > 0, name
    table = run_scrapy("sources", data_dir=full_crawl["data"], port=demo.port).stdout
    assert "tuyenquang-portal" in table and "OK" in table
    assert any(line.startswith("backan-portal") and "DEGRADED" in line for line in table.splitlines())


def test_crawlall_prints_progress_per_source(full_crawl):
    err = full_crawl["proc"].stderr
    assert "-- crawlall" in err
    for name in (s["name"] for s in demo_sources()):
        assert any(line.startswith(name) and "finished" in line for line in err.splitlines()), name


def test_second_crawl_fetches_no_unchanged_article_page(demo, full_crawl, tmp_path):
    data = tmp_path / "again"
    shutil.copytree(full_crawl["data"], data)
    before = indexed(data)
    demo.log.clear()
    run_scrapy("crawlall", *FAST, data_dir=data, port=demo.port)
    article_pages = {(_host(g["url"]), _path(g["url"])) for g in demo.ground_truth()}
    article_pages |= {(_host(u), _path(u)) for u in demo.special_urls()["redirect"]}
    refetched = [e for e in demo.log.entries if (e["host"], e["path"]) in article_pages]
    assert refetched == []
    assert indexed(data).keys() == before.keys()
    last = {r["source"]: r for r in reversed(crawl_state(data).runs())}
    assert all(r["articles_new"] == 0 and r["articles_updated"] == 0 and r["ok"] for r in last.values())
    stats = json.loads(last["tuyenquang-portal"]["stats"])  # listing-only portal: no lastmod,
    assert stats.get("cds/skipped/known_recent", 0) > 0  # so known pages wait REFRESH_DAYS
    stats = json.loads(last["baotuyenquang"]["stats"])  # sitemap lastmod unchanged
    assert stats.get("cds/skipped/known_unchanged", 0) > 0


def _only(kind: str, demo) -> list[dict]:
    """The demo sources with a single discovery kind each."""
    special = demo.special_urls()
    out = []
    for s in demo_sources():
        host = s["allowed_domains"][0]
        s = dict(s, sitemaps=[], feeds=[], listings=[], start_urls=[])
        store = demo.stores[s["name"]]
        if kind == "sitemap":
            s["sitemaps"] = [u for u in special["sitemaps"] if _host(u) == host]
        elif kind == "feed":
            configured = next(x for x in demo_sources() if x["name"] == s["name"])["feeds"]
            s["feeds"] = configured or [u for u in special["feeds"] if _host(u) == host]
        else:
            s["listings"] = [f"http://{host}:${{DEMO_PORT}}{store.spec.listing_path(c)}" for c in store.spec.categories]
        out.append(s)
    return out


@pytest.mark.parametrize("kind", ["sitemap", "feed", "listing"])
def test_each_discovery_kind_alone_finds_every_on_topic_article(demo, kind, tmp_path):
    sources = write_sources(tmp_path / f"{kind}.yaml", _only(kind, demo))
    run_scrapy("crawlall", *FAST, data_dir=tmp_path / "data", port=demo.port, sources=sources)
    got = indexed(tmp_path / "data")
    truth = demo.ground_truth()
    missing = [g["url"] for g in truth if g["on_topic"] and article_id(g["url"]) not in got]
    wrong = [g["url"] for g in truth if not g["on_topic"] and article_id(g["url"]) in got]
    assert (missing, wrong) == ([], [])
    runs = crawl_state(tmp_path / "data").runs()
    assert sum(json.loads(r["stats"]).get(f"cds/discovery/from_{kind}", 0) for r in runs) > 0


def test_warc_archive_reextracts_to_the_same_articles(demo, full_crawl, tmp_path):
    data = tmp_path / "rebuilt"
    shutil.copytree(full_crawl["data"] / "warc", data / "warc")
    proc = run_scrapy("reextract", data_dir=data, port=demo.port)
    crawled, rebuilt = indexed(full_crawl["data"]), indexed(data)
    assert rebuilt.keys() == crawled.keys()
    for aid, article in crawled.items():  # cluster ids name a cluster by its first
        assert _without_cluster(rebuilt[aid]) == _without_cluster(article)  # member seen
    assert _clusters(rebuilt) == _clusters(crawled)
    assert f"{len(crawled)} articles indexed" in proc.stdout
    records = sum(json.loads(r["stats"]).get("cds/warc/records", 0) for r in crawl_state(full_crawl["data"]).runs())
    assert records >= len(crawled)


def _without_cluster(article) -> dict:
    d = article.to_dict()
    d.pop("cluster_id")
    return d


def _clusters(articles: dict) -> set[frozenset]:
    groups: dict[str, set] = {}
    for aid, a in articles.items():
        groups.setdefault(a.cluster_id, set()).add(aid)
    return {frozenset(g) for g in groups.values()}
