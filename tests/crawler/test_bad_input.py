"""Bad input never stops a crawl: each case is skipped or handled with a clear log line and a
counted stat, and the good articles beside them are indexed."""

from __future__ import annotations

import json
import re

import pytest
from crawltools import FAST, crawl_state, indexed, run_scrapy, write_sources
from minisite import ON_TOPIC, MiniSite, Page, article_html, listing_html, source_entry, tcvn3

from indexer.article import article_id


@pytest.fixture(scope="module")
def bad_crawl(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bad")
    site = MiniSite().start()
    good = site.add("/bai/tot.html", article_html("Tỉnh đẩy mạnh chuyển đổi số", ON_TOPIC))
    legacy_html = article_html("Bắc Kạn đẩy mạnh chuyển đổi số", [p.replace("Ủy", "UBND, ủy") for p in ON_TOPIC])
    legacy = site.add(
        "/bai/tcvn3.html",
        tcvn3(legacy_html.replace("<meta charset='utf-8'>", "")),
        content_type="text/html; charset=iso-8859-1",
    )
    site.add("/bai/van-ban.html", b"%PDF-1.4 binary", content_type="application/pdf")
    site.add("/bai/pdf-gia-html.html", b"%PDF-1.4 binary", content_type="text/html")
    site.add("/bai/qua-lon.html", article_html("Chuyển đổi số", ON_TOPIC * 400))
    site.add("/bai/vong-a.html", b"", status=301, headers={"Location": "/bai/vong-b.html"})
    site.add("/bai/vong-b.html", b"", status=301, headers={"Location": "/bai/vong-a.html"})
    site.add("/bai/loi-may-chu.html", b"busy", status=503)
    site.add("/private/bai/bi-mat.html", article_html("Chuyển đổi số nội bộ", ON_TOPIC))
    site.routes.append(
        (
            re.compile(r"/lich/(\d{4})/(\d{2})"),
            lambda m: Page(listing_html([], extra=f"<a href='/lich/{int(m[1]) + 1}/{m[2]}'>năm sau</a>").encode()),
        )
    )
    links = [
        "/bai/tot.html",
        "/bai/tot.html;jsessionid=A1B2C3",
        "/bai/tot.html?PHPSESSID=abc",
        "/bai/tcvn3.html",
        "/bai/van-ban.html",
        "/bai/pdf-gia-html.html",
        "/bai/qua-lon.html",
        "/bai/vong-a.html",
        "/bai/khong-co.html",
        "/bai/loi-may-chu.html",
        "/private/bai/bi-mat.html",
    ]
    site.add("/tin-tuc", listing_html(links, extra="<a href='/lich/2024/01'>Lịch</a>"))
    entry = source_entry(
        site,
        listings=[site.url("/tin-tuc")],
        article_patterns=[r"/bai/[\w-]+\.html"],
        pagination_patterns=[r"/tin-tuc\?page=(\d+)$", r"/lich/\d{4}/\d{2}$"],
    )
    sources = write_sources(tmp / "sources.yaml", [entry])
    env = {"CDS_CRAWL_MAX_PAGE_BYTES": "100000", "CDS_CRAWL_RETRY_BASE_SECONDS": "0"}  # debts due at once
    proc = run_scrapy("crawl", "source", "-a", "source=mini", *FAST, data_dir=tmp / "data", sources=sources, env=env)
    run = crawl_state(tmp / "data").runs("mini", limit=1)[0]
    first_log = list(site.log)
    site.log.clear()
    run_scrapy("crawl", "source", "-a", "source=mini", *FAST, data_dir=tmp / "data", sources=sources, env=env)
    second = site.requested()
    site.stop()
    site.log[:] = first_log
    return {
        "site": site,
        "proc": proc,
        "run": run,
        "stats": json.loads(run["stats"]),
        "index": indexed(tmp / "data"),
        "good": good,
        "legacy": legacy,
        "second": second,
        "pages": {p["url"]: p for p in crawl_state(tmp / "data").pages()},
    }


def test_crawl_finishes_and_indexes_the_good_articles(bad_crawl):
    assert bad_crawl["run"]["reason"] == "finished" and bad_crawl["run"]["ok"]
    assert bad_crawl["run"]["outcome"] == "DEGRADED"  # the 503 page is owed
    index = bad_crawl["index"]
    assert set(index) == {article_id(bad_crawl["good"]), article_id(bad_crawl["legacy"])}


def test_legacy_tcvn3_page_is_converted_and_counted(bad_crawl):
    article = bad_crawl["index"][article_id(bad_crawl["legacy"])]
    assert article.title == "Bắc Kạn đẩy mạnh chuyển đổi số"
    assert bad_crawl["stats"]["cds/quality/legacy_encoding:tcvn3"] == 1


@pytest.mark.parametrize(
    "stat, log_line",
    [
        ("cds/skipped/non_html", "skipped non-HTML article"),
        ("cds/skipped/not_html_content", "not an HTML page"),
        ("cds/skipped/redirect_loop", "redirect loop skipped"),
        ("cds/errors/http_404", "HTTP 404 for article"),
        ("cds/errors/http_503", "HTTP 503 for article"),
        ("cds/errors/oversized", "larger than the page size limit"),
        ("cds/skipped/trap_calendar", "crawler trap (calendar)"),
        ("cds/traps/session_id_stripped", None),
    ],
)
def test_each_bad_case_is_logged_and_counted(bad_crawl, stat, log_line):
    assert bad_crawl["stats"].get(stat, 0) >= 1, stat
    if log_line:
        assert log_line in bad_crawl["proc"].stderr


def test_server_errors_are_retried_with_growing_backoff(bad_crawl):
    waits = [
        float(w)
        for w in re.findall(r"HTTP 503 for \S+/loi-may-chu\.html: retry \d in ([\d.]+)s", bad_crawl["proc"].stderr)
    ]
    assert len(waits) == 3 and waits == sorted(waits) and waits[0] < waits[-1]


def test_nothing_forbidden_or_duplicated_was_fetched(bad_crawl):
    fetched = bad_crawl["site"].requested()
    assert not [p for p in fetched if p.startswith("/private/")]
    assert not [p for p in fetched if "sessid" in p.lower()]
    assert fetched.count("/bai/tot.html") == 1
    years = [int(m) for p in fetched for m in re.findall(r"/lich/(\d{4})/", p)]
    assert years and max(years) <= 2100 and max(years) - min(years) < 10
    assert bad_crawl["run"]["errors"] >= 3


def test_pages_without_an_article_are_not_downloaded_again_next_run(bad_crawl):
    """A PDF behind an article link (by Content-Type, or by its bytes) is settled like an
    off-topic page: the next run skips it instead of downloading it in full again."""
    site = bad_crawl["site"]
    for path in ("/bai/van-ban.html", "/bai/pdf-gia-html.html"):
        assert path in site.requested(200)
        assert path not in bad_crawl["second"], f"{path} downloaded again"
        page = bad_crawl["pages"][site.url(path)]
        assert (page["state"], page["on_topic"]) == ("done", 0)
    assert "/bai/loi-may-chu.html" in bad_crawl["second"]  # a server error is retried next run
