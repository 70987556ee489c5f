"""Incremental runs on a site the test changes between crawls: only new or changed articles are
fetched, conditional GETs are answered 304, listings stop paging at known articles."""

from __future__ import annotations

import json

import pytest
from crawltools import FAST, crawl_state, indexed, run_scrapy, write_sources
from minisite import ON_TOPIC, MiniSite, article_html, listing_html, sitemap, source_entry

from indexer.article import article_id


@pytest.fixture
def site():
    s = MiniSite().start()
    yield s
    s.stop()


def crawl(site, tmp_path, entry, *extra, env=None):
    sources = write_sources(tmp_path / "sources.yaml", [entry])
    return run_scrapy(
        "crawl", "source", "-a", "source=mini", *FAST, *extra, data_dir=tmp_path / "data", sources=sources, env=env
    )


def last_run(tmp_path) -> dict:
    run = crawl_state(tmp_path / "data").runs("mini", limit=1)[0]
    run["stats"] = json.loads(run["stats"])
    return run


def test_sitemap_lastmod_decides_what_is_fetched_again(site, tmp_path):
    a = site.add("/bai/a.html", article_html("Tỉnh họp bàn chuyển đổi số", ON_TOPIC))
    site.add("/bai/b.html", article_html("Chuyển đổi số ở vùng cao", ON_TOPIC[::-1]))
    for pdf in ("/bai/ke-hoach.html", "/bai/quyet-dinh.html"):  # attachments behind article links
        site.add(pdf, b"%PDF-1.4 " + bytes(range(256)) * 40, content_type="application/pdf")
    site.add(
        "/sitemap.xml",
        sitemap(
            site,
            [
                ("/bai/a.html", "2024-03-01"),
                ("/bai/b.html", "2024-03-02"),
                ("/bai/ke-hoach.html", "2024-03-03"),
                ("/bai/quyet-dinh.html", "2024-03-04"),
            ],
        ),
    )
    entry = source_entry(site, sitemaps=[site.url("/sitemap.xml")])
    crawl(site, tmp_path, entry)
    assert last_run(tmp_path)["articles_new"] == 2
    assert {"/bai/ke-hoach.html", "/bai/quyet-dinh.html"} <= set(site.requested(200))

    site.log.clear()
    site.add("/bai/a.html", article_html("Tỉnh họp bàn chuyển đổi số", ON_TOPIC + ["Đoạn mới về chuyển đổi số."]))
    site.add(
        "/sitemap.xml",
        sitemap(
            site,
            [
                ("/bai/a.html", "2024-03-09"),
                ("/bai/b.html", "2024-03-02"),
                ("/bai/ke-hoach.html", "2024-03-03"),
                ("/bai/quyet-dinh.html", "2024-03-10"),
            ],
        ),
    )
    crawl(site, tmp_path, entry)
    fetched = site.requested()
    assert "/bai/a.html" in fetched and "/bai/b.html" not in fetched
    assert "/bai/ke-hoach.html" not in fetched  # same sitemap date: not downloaded again
    assert [e["status"] for e in site.log if e["path"] == "/bai/quyet-dinh.html"] == [304]  # a new
    # date: asked again, conditionally, with the validators its first answer gave
    run = last_run(tmp_path)
    assert (run["articles_new"], run["articles_updated"]) == (0, 1)
    assert run["stats"]["cds/skipped/known_unchanged"] == 2
    assert "Đoạn mới về chuyển đổi số." in indexed(tmp_path / "data")[article_id(a)].body


def test_known_pages_are_revalidated_with_conditional_get(site, tmp_path):
    for n in range(3):
        site.add(f"/bai/{n}.html", article_html(f"Chuyển đổi số: bài {n}", ON_TOPIC))
    site.add("/tin-tuc", listing_html([f"/bai/{n}.html" for n in range(3)]))
    entry = source_entry(site, listings=[site.url("/tin-tuc")])
    crawl(site, tmp_path, entry)
    site.log.clear()
    crawl(site, tmp_path, entry, env={"CDS_CRAWL_REFRESH_DAYS": "0"})  # re-check everything
    revalidated = [e for e in site.log if e["path"].startswith("/bai/")]
    assert len(revalidated) == 3
    assert all(e["if_none_match"] and e["status"] == 304 for e in revalidated)
    run = last_run(tmp_path)
    assert run["stats"]["cds/skipped/not_modified"] == 3
    assert run["articles_new"] == run["articles_updated"] == 0
    assert len(indexed(tmp_path / "data")) == 3


def test_incremental_listing_stops_at_a_page_of_known_articles(site, tmp_path):
    def publish(slugs):
        pages = [slugs[i : i + 2] for i in range(0, len(slugs), 2)]
        for n, chunk in enumerate(pages, 1):
            path = "/tin-tuc" if n == 1 else f"/tin-tuc?page={n}"
            nxt = f"/tin-tuc?page={n + 1}" if n < len(pages) else None
            site.add(path, listing_html([f"/bai/{s}.html" for s in chunk], nxt))
        for s in slugs:
            site.add(f"/bai/{s}.html", article_html(f"Chuyển đổi số: {s}", ON_TOPIC))

    publish(["e", "d", "c", "b", "a"])
    entry = source_entry(site, listings=[site.url("/tin-tuc")])
    crawl(site, tmp_path, entry)
    assert last_run(tmp_path)["articles_new"] == 5
    assert "/tin-tuc?page=3" in site.requested(200)

    site.log.clear()
    publish(["g", "f", "e", "d", "c", "b", "a"])  # two new articles push the rest down
    crawl(site, tmp_path, entry)
    fetched = site.requested()
    assert "/bai/g.html" in fetched and "/bai/f.html" in fetched
    assert "/tin-tuc?page=2" in fetched  # page 1 was all new: go on
    assert "/tin-tuc?page=3" not in fetched  # page 2 (e, d) all known: stop
    assert not [p for p in fetched if p in ("/bai/e.html", "/bai/d.html", "/bai/a.html")]
    run = last_run(tmp_path)
    assert run["articles_new"] == 2 and run["stats"]["cds/discovery/listing_stopped"] == 1


def test_pages_per_run_limit_stops_gracefully_and_the_next_run_resumes_the_queue(site, tmp_path):
    slugs = [f"bai-{n}" for n in range(8)]
    for s in slugs:
        site.add(f"/bai/{s}.html", article_html(f"Chuyển đổi số: {s}", ON_TOPIC))
    site.add("/tin-tuc", listing_html([f"/bai/{s}.html" for s in slugs]))
    entry = source_entry(site, listings=[site.url("/tin-tuc")])
    crawl(site, tmp_path, entry, "-s", "CONCURRENT_REQUESTS=1", env={"CDS_CRAWL_MAX_PAGES": "5"})
    first = last_run(tmp_path)
    assert first["reason"] == "closespider_pagecount" and first["ok"]
    assert 0 < len(indexed(tmp_path / "data")) < 8
    assert (tmp_path / "data" / "jobs" / "mini" / "requests.queue").exists()

    second = crawl(site, tmp_path, entry)
    assert "resuming the queue of a run that was stopped" in second.stderr
    assert last_run(tmp_path)["reason"] == "finished"
    assert len(indexed(tmp_path / "data")) == 8
    fetched = [p for p in site.requested(200) if p.startswith("/bai/")]
    assert sorted(fetched) == sorted(f"/bai/{s}.html" for s in slugs)  # each exactly once


def test_an_article_listed_with_and_without_its_date_is_not_fetched_again(site, tmp_path):
    """The home page links an article without its date, its category prints it beside the link;
    which one a run reads first varies, and must not decide whether the next run fetches it."""
    site.add("/bai/a.html", article_html("Tỉnh họp bàn chuyển đổi số", ON_TOPIC))
    site.add("/trang-chu", listing_html(["/bai/a.html"]))
    site.add(
        "/chuyen-doi-so",
        "<html><body><ul><li><a href='/bai/a.html'>Tỉnh họp bàn chuyển đổi số"
        "</a> <span>15/9/2022 10:40</span></li></ul></body></html>",
    )
    crawl(site, tmp_path, source_entry(site, listings=[site.url("/trang-chu")]))
    assert last_run(tmp_path)["articles_new"] == 1

    site.log.clear()
    crawl(site, tmp_path, source_entry(site, listings=[site.url("/chuyen-doi-so")]))
    assert "/chuyen-doi-so" in site.requested(200)
    assert "/bai/a.html" not in site.requested()
    assert last_run(tmp_path)["stats"]["cds/skipped/known_recent"] == 1


def publish_pages(site, slugs, per_page=2, status=None):
    """Listing pages of ``per_page`` articles each, linked page to page; ``status`` maps a
    listing page number to the status it answers with."""
    pages = [slugs[i : i + per_page] for i in range(0, len(slugs), per_page)]
    for n, chunk in enumerate(pages, 1):
        path = "/tin-tuc" if n == 1 else f"/tin-tuc?page={n}"
        nxt = f"/tin-tuc?page={n + 1}" if n < len(pages) else None
        site.add(path, listing_html([f"/bai/{s}.html" for s in chunk], nxt), status=(status or {}).get(n, 200))
    for s in slugs:
        site.add(f"/bai/{s}.html", article_html(f"Chuyển đổi số: {s}", ON_TOPIC))


def test_a_listing_page_that_failed_is_owed_and_the_next_run_walks_past_known_pages(site, tmp_path):
    """The outage of the issue, in small: page 2 of a listing answers 503, so its articles and
    everything behind it are missing. The run is DEGRADED and owes page 2; the next run retries it
    first and walks on to the end even though page 1 holds only known articles."""
    publish_pages(site, ["e", "d", "c", "b", "a"], status={2: 503})
    entry = source_entry(site, listings=[site.url("/tin-tuc")])
    env = {"CDS_CRAWL_RETRY_BASE_SECONDS": "0"}
    crawl(site, tmp_path, entry, env=env)
    first = last_run(tmp_path)
    assert first["outcome"] == "DEGRADED" and first["articles_new"] == 2
    debts = crawl_state(tmp_path / "data").debts("mini")
    assert [(d["url"], d["kind"], d["error"]) for d in debts] == [(site.url("/tin-tuc?page=2"), "listing", "HTTP 503")]

    publish_pages(site, ["e", "d", "c", "b", "a"])  # the site is back
    site.log.clear()
    crawl(site, tmp_path, entry, env=env)
    second = last_run(tmp_path)
    assert second["outcome"] == "OK" and second["articles_new"] == 3
    assert second["stats"]["cds/debts/retried"] == 1 and second["stats"]["cds/debts/settled"] == 1
    assert site.requested()[1:2] == ["/tin-tuc?page=2"]  # the debt first (after robots.txt)
    assert len(indexed(tmp_path / "data")) == 5
    assert crawl_state(tmp_path / "data").debts("mini") == []


def test_a_debt_not_yet_due_waits_for_its_time(site, tmp_path):
    publish_pages(site, ["b", "a"], per_page=1, status={2: 500})
    entry = source_entry(site, listings=[site.url("/tin-tuc")])
    crawl(site, tmp_path, entry)  # default schedule: next try in 5 min
    [debt] = crawl_state(tmp_path / "data").debts("mini")
    assert debt["attempts"] == 1 and debt["next_try"] > debt["last_failed"]
    site.log.clear()
    crawl(site, tmp_path, entry)
    assert "/tin-tuc?page=2" not in site.requested()  # not hammered before its time
    assert last_run(tmp_path)["outcome"] == "DEGRADED"  # and still owed
    assert last_run(tmp_path)["stats"]["cds/skipped/debt_not_due"] == 1


def test_full_walks_every_listing_page_where_an_incremental_run_stops(site, tmp_path):
    publish_pages(site, ["e", "d", "c", "b", "a"])
    entry = source_entry(site, listings=[site.url("/tin-tuc")])
    crawl(site, tmp_path, entry)
    site.add("/tin-tuc?page=3", listing_html(["/bai/a.html", "/bai/cu.html"]))  # an old article
    site.add("/bai/cu.html", article_html("Chuyển đổi số: bài cũ", ON_TOPIC))  # appears deep down
    crawl(site, tmp_path, entry)
    assert "/bai/cu.html" not in site.requested()  # incremental: stopped at page 1
    crawl(site, tmp_path, entry, "-a", "full=1")
    assert "/bai/cu.html" in site.requested(200)
    assert last_run(tmp_path)["articles_new"] == 1
    assert len(indexed(tmp_path / "data")) == 6
    site.add("/tin-tuc?page=3", listing_html(["/bai/a.html", "/bai/cu.html", "/bai/cu-2.html"]))
    site.add("/bai/cu-2.html", article_html("Chuyển đổi số: bài cũ thứ hai", ON_TOPIC))
    run_scrapy("crawlall", "--full", *FAST, data_dir=tmp_path / "data", sources=tmp_path / "sources.yaml")
    assert len(indexed(tmp_path / "data")) == 7
