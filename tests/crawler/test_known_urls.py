"""The known-URL decision on its own, against a real crawl state: what a second run skips."""
from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest

from crawler.middlewares.known_urls import KnownUrlMiddleware
from crawltools import crawl_state, make_crawler

URL = "http://h/Pages/chuyen-doi-so.aspx?ItemID=414"


@pytest.fixture
def known(tmp_path):
    def decide(stored_lastmod: str, offered: str) -> str:
        crawl_state(tmp_path).mark_done([{"url": URL, "source": "s", "lastmod": stored_lastmod,
                                          "etag": '"v1"', "status": 200}])
        middleware = KnownUrlMiddleware.from_crawler(make_crawler(tmp_path))
        request = Request(URL, meta={"cds_kind": "article", "cds_lastmod": offered})
        try:
            middleware.process_request(request)
        except IgnoreRequest:
            return "skipped"
        return "conditional GET" if request.headers.get("If-None-Match") else "fetched"
    return decide


@pytest.mark.parametrize("stored, offered, decision", [
    # one article listed as "15/09/2022" on the home page and "15/9/2022 10:40" in its category
    ("2022-09-15T00:00:00+07:00", "2022-09-15T10:40:00+07:00", "skipped"),
    ("2022-09-15T10:40:00+07:00", "2022-09-15T00:00:00+07:00", "skipped"),
    ("2022-09-15T10:40:00+07:00", "2022-09-15T10:40:00+07:00", "skipped"),
    ("2022-09-15T10:40:00+07:00", "2022-09-15T16:00:00+07:00", "conditional GET"),
    ("2022-09-15T00:00:00+07:00", "2022-09-16T00:00:00+07:00", "conditional GET"),
    ("2024-03-08T20:00:00+00:00", "2024-03-09T00:00:00+07:00", "skipped"),     # same day in Vietnam
])
def test_a_discovery_date_newer_than_the_stored_one_is_needed_to_fetch_again(known, stored, offered, decision):
    assert known(stored, offered) == decision
