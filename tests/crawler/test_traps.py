"""The trap guard as the crawl builds it: session ids stripped, calendars and generated paths
dropped and counted, ordinary article URLs untouched."""

from __future__ import annotations

from datetime import date

import pytest
from crawltools import make_crawler
from scrapy import Request

from crawler.middlewares.traps import TrapFilterMiddleware


@pytest.fixture
def guard(tmp_path):
    crawler = make_crawler(tmp_path)
    return TrapFilterMiddleware.from_crawler(crawler), crawler.stats


@pytest.mark.parametrize(
    "url, clean",
    [
        ("http://h/bai/a.html;jsessionid=0A1B2C", "http://h/bai/a.html"),
        ("http://h/bai/a.aspx?ItemID=5&PHPSESSID=abc", "http://h/bai/a.aspx?ItemID=5"),
        ("http://h/(S(lit3py55t21z5v55vlm25s55))/Pages/a.aspx", "http://h/Pages/a.aspx"),
        ("http://h/index.php/tin-tuc/2024/05/a.html", "http://h/index.php/tin-tuc/2024/05/a.html"),
    ],
)
def test_session_ids_are_stripped(guard, url, clean):
    middleware, stats = guard
    [out] = list(middleware.process_spider_output(None, [Request(url)]))
    assert out.url == clean


@pytest.mark.parametrize(
    "url, reason",
    [
        (f"http://h/lich/{date.today().year + 5}/01", "calendar"),
        ("http://h/lich?year=1890&month=2", "calendar"),
        ("http://h/a/b/a/b/a/b/a.html", "repeated_path"),
        ("http://h/x?" + "&".join(f"f{i}=1" for i in range(9)), "many_params"),
        ("http://h/" + "x" * 600, "long_url"),
    ],
)
def test_traps_are_dropped_and_counted(guard, url, reason):
    middleware, stats = guard
    assert list(middleware.process_spider_output(None, [Request(url)])) == []
    assert stats.get_value(f"cds/skipped/trap_{reason}") == 1


@pytest.mark.parametrize(
    "url",
    [
        "http://h/chi-tiet-tin/2050/bac-kan-chuyen-doi-so.htm",  # an id, not a year
        f"http://h/lich/{date.today().year}/05",
        "http://h/index.php?option=com_content&view=article&id=5353&catid=8&Itemid=101",
    ],
)
def test_ordinary_urls_pass(guard, url):
    middleware, _ = guard
    assert [r.url for r in middleware.process_spider_output(None, [Request(url)])] == [url]
