"""What operators and their readers rely on beyond search: CSV cells that stay text even when a
spreadsheet splits them at ';' or ',', links that use the configured public address, 405 replies
that say which methods work, and a health endpoint that reports the crawl per source."""

from __future__ import annotations

import re
import urllib.error
import urllib.request

import pytest

from config.settings import Settings
from crawler.crawl_state import CrawlState
from indexer.article import Article
from tests.search_ui.live_server import csv_rows, index_into, live_over, serve

FORMULA_STARTS = set("=+-@＝＋－＠")


def test_csv_export_defuses_a_formula_after_a_separator_inside_a_cell(tmp_path):
    articles = [
        Article(
            url=f"http://x.example.vn/{i}.html",
            source="x.example.vn",
            title=title,
            lead="Tỉnh đẩy mạnh chuyển đổi số",
            body="chuyển đổi số",
            published=f"2024-01-{i + 1:02d}T08:00:00+07:00",
            year=2024,
            partners=["VNPT", '=HYPERLINK("http://x")'] if i == 0 else ["Viettel"],
        )
        for i, title in enumerate(
            ["VNPT; =cmd|' /C calc'!A0", "Hợp tác,+1+1", "Viettel ,\t@SUM(1)", "Thanh Hóa, Nghệ An; 2021-2025"]
        )
    ]
    with live_over(tmp_path, articles) as live:
        status, _, body = live.get("/api/export.csv", {"q": "chuyển đổi số"})
    assert status == 200
    rows = csv_rows(body)[1]
    assert len(rows) == 4
    for row in rows:
        for column, cell in row.items():
            for part in re.split(r"[;,]", cell or ""):  # as a ';'- or ','-separated sheet reads it
                assert part.lstrip(" \t\r\n\u00a0")[:1] not in FORMULA_STARTS, (column, cell)
    titles = {r["title"] for r in rows}
    assert "VNPT; '=cmd|' /C calc'!A0" in titles
    assert "Thanh Hóa, Nghệ An; 2021-2025" in titles  # ordinary text untouched
    assert any(r["partners"] == 'VNPT; \'=HYPERLINK("http://x")' for r in rows)


def _get(url: str, headers: dict) -> tuple[int, dict, str]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as r:
            return r.status, dict(r.headers), r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode("utf-8")


@pytest.fixture
def indexed_dir(tmp_path):
    index_into(
        tmp_path,
        [
            Article(
                url="http://x.example.vn/1.html",
                source="x.example.vn",
                title="VNPT và tỉnh",
                lead="chuyển đổi số",
                body="chuyển đổi số",
                year=2024,
                published="2024-01-01T08:00:00+07:00",
            )
        ],
    )
    return tmp_path


def test_feed_and_page_links_use_the_public_url_not_the_host_header(indexed_dir):
    server, thread, live = serve(Settings(DATA_DIR=str(indexed_dir), PUBLIC_URL="https://radar.example.vn/cds/"))
    try:
        status, _, feed = _get(live.url + "/feed.atom?q=VNPT", {"Host": "evil.example"})
        _, _, page = _get(live.url + "/?q=VNPT", {"Host": "evil.example"})
        _, _, prefixed = _get(live.url + "/cds/feed.atom?q=VNPT", {"Host": "evil.example"})
    finally:
        server.shutdown()
        thread.join(10)
    assert status == 200
    ours = [u for u in re.findall(r'href="([^"]+)"', feed) if u != "http://x.example.vn/1.html"]
    assert len(ours) == 3 and all(u.startswith("https://radar.example.vn/cds/") for u in ours), ours
    assert "evil.example" not in feed + page
    assert "/cds/feed.atom?q=VNPT" in page.replace("&amp;", "&")
    assert 'href="https://radar.example.vn/cds/feed.atom?q=VNPT"' in prefixed  # proxy kept the prefix


def test_without_a_public_url_links_follow_the_request(indexed_dir):
    with live_over(indexed_dir) as live:
        _, _, feed = _get(live.url + "/feed.atom?q=VNPT", {})
    assert f'href="{live.url}/' in feed


def test_a_405_says_which_methods_are_allowed(indexed_dir):
    with live_over(indexed_dir) as live:
        request = urllib.request.Request(live.url + "/api/search?q=VNPT", data=b"x", method="POST")
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(request, timeout=30)
    assert caught.value.code == 405
    assert "GET" in caught.value.headers["Allow"].replace(" ", "").split(",")


def test_healthz_reports_the_crawl_per_source(indexed_dir):
    state = CrawlState(indexed_dir / "crawl" / "state.sqlite")
    ok = state.start_run("x.example.vn")
    state.mark_done(
        [
            {
                "url": "http://x.example.vn/1.html",
                "source": "x.example.vn",
                "article_id": "a1",
                "content_hash": "h",
                "on_topic": 1,
                "status": 200,
            }
        ]
    )
    state.finish_run(ok, "finished", "OK", {"articles_new": 1}, {})
    for _ in range(3):  # three runs in a row that brought no article
        bad = state.start_run("down.example.vn")
        state.add_debt("http://down.example.vn/tin-tuc", "down.example.vn", "listing", "HTTP 500", 500, 300, 3600)
        state.finish_run(bad, "finished", "FAILED", {}, {"cds/errors/http_500": 4})
    state.close()
    with live_over(indexed_dir) as live:
        status, data = live.json("/healthz")
    assert status == 200 and data["crawl"]["status"] == "FAILING"
    rows = {r["source"]: r for r in data["crawl"]["sources"]}
    assert rows["x.example.vn"]["status"] == "OK" and rows["x.example.vn"]["articles_in_index"] == 1
    down = rows["down.example.vn"]
    assert (down["status"], down["last_outcome"], down["debts"], down["server_errors"]) == ("FAILING", "FAILED", 1, 4)
    assert down["articles_in_index"] == 0 and down["next_debt_try"]
    assert down["note"] == "no article in 3 runs" and rows["x.example.vn"]["note"] == ""
