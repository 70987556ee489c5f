"""The UI and the JSON API over real HTTP against a real embedded index."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from config.settings import Settings
from indexer.article import Article
from indexer.backends import load_backend
from tests.indexer.backends.sample_articles import by_slug
from tests.search_ui.live_server import all_articles, csv_rows, live_over

ROOT = Path(__file__).resolve().parents[2]
VISIBLE = sum(1 for a in all_articles() if a.is_canonical and a.on_topic)


# -- HTML search page -------------------------------------------------------------------------
def test_query_without_diacritics_shows_highlighted_diacritic_results(live):
    status, page = live.html("/", {"q": "chuyen doi so"})
    assert status == 200
    assert "Bắc Kạn ký thỏa thuận <b>chuyển đổi số</b> với VNPT" in page
    assert 'href="http://backan.gov.vn/tin-tuc/bac-kan-vnpt-thoa-thuan.html"' in page
    assert 'value="chuyen doi so"' in page


def test_home_lists_everything_newest_first_with_facets(live):
    status, page = live.html("/")
    assert status == 200
    assert f'<strong id="total">{VISIBLE}</strong>' in page
    assert page.index("Tuyên Quang: CĐS trong cải cách hành chính") < page.index("FPT công bố nghiên cứu")
    for legend in ("Tỉnh, thành phố", "Đối tác", "Năm đăng", "Năm hiệu lực thỏa thuận", "Loại bài"):
        assert f"<legend>{legend}</legend>" in page
    assert "Thỏa thuận hợp tác" in page  # kind shown in Vietnamese


def shown_sources(page: str) -> list[str]:
    return [html.unescape(t) for t in re.findall(r'<span class="source"[^>]*>([^<]*)</span>', page)]


def test_results_name_sources_as_readers_know_them(live):
    _, page = live.html("/", {"q": "Bắc Kạn"})
    sources = shown_sources(page)
    assert "Cổng TTĐT tỉnh Bắc Kạn" in sources and "backan.gov.vn" not in sources
    assert 'title="backan.gov.vn">Cổng TTĐT tỉnh Bắc Kạn<' in page  # the id stays at hand
    _, page = live.html("/", {"province": "Quảng Nam"})  # indexed without a title
    assert shown_sources(page) == ["quangnam.gov.vn"]


def box_counts(page: str, facet: str) -> dict[str, int]:
    box = re.search(rf'<fieldset class="facet" data-facet="{facet}".*?</fieldset>', page, re.S).group(0)
    return {
        v: int(c)
        for v, c in re.findall(
            r'value="([^"]+)"[^>]*>\s*<span class="label">[^<]*</span> <span class="count">(\d+)</span>', box
        )
    }


def test_publication_year_and_agreement_years_are_separate_facets(live):
    _, page = live.html("/")
    m = re.search(
        r'<fieldset class="facet" data-facet="agreement_year"[^>]*>\s*<legend>Năm hiệu lực thỏa thuận</legend>\s*'
        r'<p class="facet-help"[^>]*>([^<]+)</p>',
        page,
    )
    assert m and m.group(1) == "mọi năm trong giai đoạn thỏa thuận mà bài nêu"
    assert 'aria-describedby="facet-help-agreement_year"' in page
    published, agreed = box_counts(page, "published_year"), box_counts(page, "agreement_year")
    # The 2021-2025 Thanh Hóa and 2020-2025 Bắc Kạn agreements: 2025 as agreement years only.
    assert agreed["2025"] == 2 and agreed["2020"] == 1
    assert "2025" not in published or published["2025"] < 4
    assert list(published) == sorted(published, reverse=True)
    _, page = live.html("/", {"agreement_year": "2023"})
    assert "Năm hiệu lực: 2023" in page and page.count('class="hit"') == 2


def legacy_under(page: str, current: str) -> str:
    m = re.search(
        rf'name="province_current" value="{current}".*?</label>\s*(<div class="legacy">.*?</div>)?', page, re.S
    )
    assert m, current
    return m.group(1) or ""


def test_current_province_facet_lists_legacy_names(live):
    _, page = live.html("/")
    assert 'name="province" value="Bắc Kạn"' in legacy_under(page, "Thái Nguyên")
    assert 'name="province" value="Hà Giang"' in legacy_under(page, "Tuyên Quang")
    assert 'name="province" value="Yên Bái"' in legacy_under(page, "Lào Cai")
    assert legacy_under(page, "Thanh Hóa") == ""  # not merged: nothing to list


def test_facet_filters_are_or_within_and_across(live):
    _, vnpt = live.json("/api/search", {"partner": "VNPT"})
    _, both = live.json("/api/search", {"partner": ["VNPT", "Viettel"]})
    _, both_tq = live.json("/api/search", {"partner": ["VNPT", "Viettel"], "province_current": "Tuyên Quang"})
    assert vnpt["total"] < both["total"]
    assert both_tq["total"] == 3
    assert all(
        set(h["partners"]) & {"VNPT", "Viettel"} and "Tuyên Quang" in h["provinces_current"] for h in both_tq["hits"]
    )
    partner_counts = {f["value"]: f["count"] for f in vnpt["facets"]["partner"]}
    assert partner_counts["Viettel"] > 0  # disjunctive: own filter ignored


def test_pagination_links_keep_state(live):
    status, page = live.html("/", {"q": "chuyển đổi số", "partner": "VNPT"})
    assert status == 200 and 'rel="next"' in page
    assert "page=2" in page and "partner=VNPT" in page
    _, p1 = live.json("/api/search", {"q": "chuyển đổi số", "partner": "VNPT", "page": 1})
    _, p2 = live.json("/api/search", {"q": "chuyển đổi số", "partner": "VNPT", "page": 2})
    assert p1["pages"] >= 2 and not {h["id"] for h in p1["hits"]} & {h["id"] for h in p2["hits"]}


def hit_ids(page: str) -> list[str]:
    return re.findall(r'<a class="detail" href="/article/([^"]+)"', page)


def pager_links(page: str) -> dict[str, str]:
    """rel/number -> href (unescaped) of the pager's links."""
    nav = re.search(r'<nav class="pager".*?</nav>', page, re.S)
    links = re.findall(r'<a (?:rel="(\w+)" )?href="([^"]+)">([^<]*)</a>', nav.group(0)) if nav else []
    return {rel or text: html.unescape(href) for rel, href, text in links}


def test_walking_next_links_with_per_page_shows_every_result_once(live):
    _, everything = live.json("/api/search", {"q": "VNPT", "per_page": 100})
    expected = [h["id"] for h in everything["hits"]]
    assert everything["total"] == len(expected) > 15
    seen, url, visited = [], "/?q=VNPT&per_page=5", 0
    while url:
        status, page = live.html(url)
        assert status == 200
        ids = hit_ids(page)
        assert 0 < len(ids) <= 5
        seen += ids
        visited += 1
        links = pager_links(page)
        assert all("per_page=5" in href for href in links.values()), links
        assert '<input type="hidden" name="per_page" value="5">' in page  # sort/facet changes keep it
        url = "/" + links["next"] if "next" in links else None
    assert len(seen) == len(set(seen)) == len(expected) and set(seen) == set(expected)
    assert visited == -(-len(expected) // 5)


def test_per_page_stays_in_filter_links_and_default_stays_out(live):
    _, page = live.html("/", {"q": "VNPT", "partner": "VNPT", "per_page": 5})
    clear = html.unescape(re.search(r'<a class="clear" href="([^"]+)"', page).group(1))
    assert clear == "?q=VNPT&per_page=5"
    export = html.unescape(re.search(r'<a class="export" href="([^"]+)"', page).group(1))
    assert "per_page" not in export  # the export has every row, no pages
    _, page = live.html("/", {"q": "VNPT", "per_page": 20})
    assert pager_links(page)["next"] == "?q=VNPT&page=2" and 'name="per_page"' not in page


@pytest.mark.parametrize(
    "params",
    [
        {"q": '"unbalanced'},
        {"q": "title:* OR 1=1; DROP TABLE x"},
        {"q": "\x01\x02 số"},
        {"q": "số " * 600},
        {"q": "<script>alert(1)</script>"},
        {"q": "\x00'"},
        {"q": "\x00\x1b[31m\x7f"},
    ],
)
def test_hostile_queries_render_a_page(live, params):
    status, page = live.html("/", params)
    assert status == 200
    assert "<script>alert(1)</script>" not in page
    assert "Traceback" not in page


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"page": "abc"}, "page phải là số nguyên"),
        ({"sort": "hot"}, "sort phải là"),
        ({"from": "31/12/2024"}, "YYYY-MM-DD"),
        ({"year": "năm ngoái"}, "year phải là năm"),
    ],
)
def test_bad_parameters_are_explained_in_vietnamese(live, params, expected):
    status, page = live.html("/", params)
    assert status == 400 and "Tham số tìm kiếm không hợp lệ" in page and expected in page


def test_empty_result_message(live):
    status, page = live.html("/", {"q": "tàu vũ trụ sao hỏa"})
    assert status == 200 and "Không tìm thấy bài viết nào phù hợp." in page


def test_article_page_shows_every_field(live):
    art = by_slug("bac-kan-vnpt-thoa-thuan")
    status, page = live.html(f"/article/{art.id}")
    assert status == 200
    for label in ("Tỉnh (trước 7/2025)", "Tỉnh (hiện nay)", "Giai đoạn thỏa thuận", "Đối tác", "Cụm bài trùng"):
        assert label in page
    assert "2020–2025" in page and "Thái Nguyên" in page and art.body.split("\n\n")[0] in page
    assert live.html("/article/khongco")[0] == 404


def test_article_page_shows_the_lead_once(tmp_path):
    """An index written before the lead was its own field holds bodies that start with the lead
    (seed 002): the page shows it once, above the body (the technical fields included)."""
    lead = "Chiều 11-11, UBND tỉnh Thanh Hóa và Tập đoàn VNPT đã ký kết trực tuyến thỏa thuận hợp tác."
    art = Article(
        url="https://thanhhoa.gov.vn/ky-ket.html",
        title="Ký kết thỏa thuận",
        lead=lead,
        body=lead + "\n\nTham dự lễ ký kết có lãnh đạo tỉnh.\n\nLễ ký kết diễn ra trực tuyến.",
    )
    with live_over(tmp_path, [art]) as live:
        status, page = live.html(f"/article/{art.id}")
    reading = page.split('<div class="body">', 1)[1].split("</div>", 1)[0]
    assert status == 200 and f'<p class="lead">{lead}</p>' in page and page.count(lead) == 1
    assert lead not in reading
    assert "Tham dự lễ ký kết có lãnh đạo tỉnh." in reading and "Lễ ký kết diễn ra trực tuyến." in reading


def test_article_page_names_the_source(live):
    _, page = live.html(f"/article/{by_slug('thanh-hoa-vnpt-ky-ket').id}")
    assert shown_sources(page) == ["Cổng TTĐT tỉnh Thanh Hóa"]
    assert re.search(r"<th[^>]*>Nguồn<br><code>source_title</code></th>\s*<td>Cổng TTĐT tỉnh Thanh Hóa", page)
    assert re.search(r"<th[^>]*>Mã nguồn<br><code>source</code></th>\s*<td>thanhhoa.gov.vn", page)
    assert re.search(r"<code>years</code></th>\s*<td>2021, 2022, 2023, 2024, 2025\s*</td>", page)
    assert "Năm (đăng hoặc hiệu lực thỏa thuận)" in page


# -- JSON API ---------------------------------------------------------------------------------
def test_api_search_shape(live):
    status, data = live.json("/api/search", {"q": "CĐS", "per_page": 3, "sort": "newest"})
    assert status == 200
    assert data["total"] >= 30 and len(data["hits"]) == 3 and data["per_page"] == 3
    hit = data["hits"][0]
    assert {
        "id",
        "title",
        "url",
        "source",
        "published",
        "provinces_current",
        "partners",
        "years",
        "snippet",
        "title_html",
    } <= set(hit)
    assert set(data["facets"]) == {
        "province",
        "province_current",
        "partner",
        "year",
        "kind",
        "source",
        "published_year",
        "agreement_year",
    }
    dates = [h["published"] for h in data["hits"]]
    assert dates == sorted(dates, reverse=True)
    assert set(data["facet_descriptions"]) == set(data["facets"])
    assert "thỏa thuận" in data["facet_descriptions"]["year"]


def test_api_gives_source_ids_and_titles(live):
    _, data = live.json("/api/search", {"q": "VNPT Thanh Hóa"})
    hit = next(h for h in data["hits"] if h["id"] == by_slug("thanh-hoa-vnpt-ky-ket").id)
    assert (hit["source"], hit["source_title"]) == ("thanhhoa.gov.vn", "Cổng TTĐT tỉnh Thanh Hóa")
    labels = {v["value"]: v["label"] for v in data["facets"]["source"]}
    assert labels["thanhhoa.gov.vn"] == "Cổng TTĐT tỉnh Thanh Hóa"
    kinds = {v["value"]: v["label"] for v in data["facets"]["kind"]}
    assert kinds["agreement"] == "Thỏa thuận hợp tác"
    # Filtering still takes the id.
    _, only = live.json("/api/search", {"source": "thanhhoa.gov.vn"})
    assert only["total"] == 1 and only["hits"][0]["source_title"] == "Cổng TTĐT tỉnh Thanh Hóa"


def test_source_facet_labels_come_from_the_sources_file(data_dir, tmp_path):
    """Sources with no hit on the page are labelled too, by the file the crawler reads."""
    from tests.search_ui.live_server import serve

    sources = tmp_path / "sources.yaml"
    sources.write_text(
        "sources:\n"
        "  - {name: quangnam.gov.vn, title: Cổng TTĐT tỉnh Quảng Nam, kind: portal,\n"
        "     allowed_domains: [quangnam.gov.vn], start_urls: ['https://quangnam.gov.vn/']}\n",
        encoding="utf-8",
    )
    server, thread, ui = serve(Settings(DATA_DIR=str(data_dir), SOURCES_FILE=str(sources)))
    try:
        _, data = ui.json("/api/search", {"per_page": 1, "sort": "newest"})
        labels = {v["value"]: v["label"] for v in data["facets"]["source"]}
        assert labels["quangnam.gov.vn"] == "Cổng TTĐT tỉnh Quảng Nam"
        assert labels["daklak.gov.vn"] == "daklak.gov.vn"  # no title anywhere: the id
    finally:
        server.shutdown()
        thread.join(10)
    server, thread, ui = serve(Settings(DATA_DIR=str(data_dir), SOURCES_FILE=str(tmp_path / "missing.yaml")))
    try:
        status, data = ui.json("/api/search", {"per_page": 1})
        assert status == 200 and {v["label"] for v in data["facets"]["source"]} >= {"quangnam.gov.vn"}
    finally:
        server.shutdown()
        thread.join(10)


@pytest.mark.parametrize(
    "params,fragment",
    [
        ({"provnce": "Thanh Hóa"}, "provnce"),
        ({"per_page": "x"}, "per_page"),
        ({"sort": "x"}, "sort"),
        ({"from": "2024-02-30"}, "from"),
        ({"from": "2024-02-01", "to": "2024-01-01"}, "trước"),
        ({"page": "500", "per_page": "100"}, "10000"),
    ],
)
def test_api_rejects_bad_parameters_with_json_400(live, params, fragment):
    status, data = live.json("/api/search", params)
    assert status == 400 and data["status"] == 400 and fragment in data["error"]


def test_api_article(live):
    art = by_slug("thanh-hoa-vnpt-ky-ket")
    status, data = live.json(f"/api/articles/{art.id}")
    assert status == 200 and Article.from_dict(data) == art and data["years"] == [2021, 2022, 2023, 2024, 2025]
    status, data = live.json("/api/articles/khongco")
    assert status == 404 and "không tìm thấy" in data["error"]


def test_csv_export_records_the_query(live):
    status, headers, body = live.get("/api/export.csv", {"q": "chuyen doi so", "partner": "VNPT", "page": 2})
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert "attachment" in headers["Content-Disposition"]
    assert body.decode("utf-8").startswith("\ufeff# CĐS Radar — tìm kiếm: q=chuyen doi so&partner=VNPT — ")
    comment, rows = csv_rows(body)
    _, api = live.json("/api/search", {"q": "chuyen doi so", "partner": "VNPT"})
    assert len(rows) == api["total"] == int(headers["X-Total-Count"]) > 20  # all pages, not one
    assert f"{api['total']} bài" in comment and "chạy lại: /?q=chuyen+doi+so&partner=VNPT" in comment
    assert list(rows[0])[:7] == ["title", "published", "source", "url", "provinces", "partners", "periods"]
    assert "query" not in rows[0]  # not repeated on every row
    assert all("VNPT" in r["partners"] for r in rows)
    by_id = {r["source_id"]: r["source"] for r in rows}
    assert by_id["thanhhoa.gov.vn"] == "Cổng TTĐT tỉnh Thanh Hóa" and by_id["tuyenquang.gov.vn"] == "tuyenquang.gov.vn"
    thanh_hoa = next(r for r in rows if r["title"].startswith("UBND tỉnh Thanh Hóa và VNPT"))
    assert (thanh_hoa["published"], thanh_hoa["periods"], thanh_hoa["agreement_years"]) == (
        "2021-03-15",
        "2021–2025",
        "2021; 2022; 2023; 2024; 2025",
    )


def test_csv_comment_stays_one_line_whatever_the_query(live):
    status, _, body = live.get("/api/export.csv", {"q": "VNPT\n=cmd|' /C calc'!A0\r\n@SUM(1)"})
    first, second = body.decode("utf-8").lstrip("\ufeff").split("\n")[:2]
    assert status == 200 and first.startswith("# CĐS Radar") and second.startswith("title,published,")


def test_healthz(live):
    status, data = live.json("/healthz")
    assert status == 200 and data == {
        "status": "ok",
        "backend": "embedded",
        "articles": len(all_articles()),
        "crawl": {"status": "NEVER", "sources": []},
    }  # no crawl ran here


# -- backend down -----------------------------------------------------------------------------
def test_backend_down_is_a_clear_message_not_a_traceback(down_live):
    status, page = down_live.html("/", {"q": "VNPT"})
    assert status == 503 and "Hệ thống tìm kiếm đang tạm thời không hoạt động" in page
    status, data = down_live.json("/api/search", {"q": "VNPT"})
    assert status == 503 and "unreachable" in data["error"]
    status, data = down_live.json("/healthz")
    assert status == 503 and data["status"] == "error"
    assert down_live.html("/article/abc")[0] == 503


def test_index_from_older_code_tells_the_operator_how_to_rebuild(tmp_path):
    from tests.search_ui.live_server import serve

    settings = Settings(DATA_DIR=str(tmp_path))
    load_backend(settings).close()
    (tmp_path / "index" / "cds-schema-version").write_text("0")
    server, thread, ui = serve(settings)
    try:
        status, data = ui.json("/healthz")
        assert status == 503 and "schema version 0" in data["error"] and "`scrapy reextract`" in data["error"]
        status, page = ui.html("/", {"q": "VNPT"})
        assert status == 503 and "Hệ thống tìm kiếm đang tạm thời không hoạt động" in page
    finally:
        server.shutdown()
        thread.join(10)


# -- live index updates -----------------------------------------------------------------------
def test_ui_sees_new_commits_without_restart(tmp_path):
    from tests.search_ui.live_server import serve

    settings = Settings(DATA_DIR=str(tmp_path))
    server, thread, ui = serve(settings)
    try:
        assert ui.json("/api/search", {"q": "5G"})[1]["total"] == 0
        crawler = load_backend(settings)  # the crawler's writer, a separate backend object
        crawler.index([by_slug("ha-giang-viettel-5g")])
        crawler.commit()
        assert ui.json("/api/search", {"q": "5G"})[1]["total"] == 1
        crawler.close()
    finally:
        server.shutdown()
        thread.join(10)


# -- python -m search_ui ----------------------------------------------------------------------
def test_module_entry_point_serves(data_dir):
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    env = dict(os.environ, CDS_DATA_DIR=str(data_dir), CDS_UI_PORT=str(port), PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "search_ui"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        assert line.strip() == f"CĐS Radar UI ready at http://127.0.0.1:{port}"
        from tests.search_ui.live_server import Live

        deadline = time.time() + 10
        status = None
        while time.time() < deadline and status != 200:
            status = Live(f"http://127.0.0.1:{port}", None).html("/", {"q": "VNPT"})[0]
        assert status == 200
    finally:
        proc.terminate()
        proc.wait(10)


def test_pager_never_offers_pages_past_the_result_window():
    from search_ui.presenters import page_count, page_numbers

    assert page_count(16_105, 20) == 500 and page_count(0, 20) == 1 and page_count(41, 20) == 3
    assert page_numbers(250, 500)[-1] == 500 and None in page_numbers(250, 500)


# -- words, not syllables: what the page and the API say about a query --------------------------
def test_page_offers_detected_province_and_partner_as_filters(live):
    status, page = live.html("/", {"q": "thanh hoa vnpt"})
    assert status == 200
    links = dict(
        (html.unescape(t), html.unescape(h))
        for h, t in re.findall(r'<a class="chip suggest" href="([^"]+)">([^<]+)</a>', page)
    )
    assert set(links) == {"Lọc theo tỉnh Thanh Hóa", "Lọc theo đối tác VNPT"}
    _, filtered = live.html("/" + links["Lọc theo tỉnh Thanh Hóa"])
    assert "Lọc theo tỉnh Thanh Hóa" not in filtered and "Lọc theo đối tác VNPT" in filtered
    assert re.search(r'<input type="checkbox" name="province" value="Thanh Hóa" checked>', filtered)


def test_page_suggests_a_correction_that_finds_more(live):
    _, page = live.html("/", {"q": "Tuyen Quag"})
    m = re.search(r'Có phải bạn muốn tìm <a href="([^"]+)" id="did-you-mean">([^<]+)</a>', page)
    assert m and m.group(2) == "Tuyên Quang"
    _, fixed = live.html("/" + html.unescape(m.group(1)))
    assert int(re.search(r'<strong id="total">(\d+)</strong>', fixed).group(1)) >= 2
    _, plain = live.html("/", {"q": "Tuyên Quang"})
    assert "did-you-mean" not in plain


def test_search_help_states_the_diacritics_rule(live):
    _, page = live.html("/")
    assert "Cách gõ từ khóa" in page
    assert "Âm tiết gõ có dấu chỉ khớp đúng âm tiết đó" in html.unescape(page)
    status, doc = live.json("/api/")
    assert status == 200 and "typed with diacritics matches only that syllable" in doc["query_syntax"]
    assert "q" in doc["parameters"] and doc["max_per_page"] == 100


def test_api_reports_detected_entities_and_or_exclusion(live):
    status, body = live.json("/api/search", {"q": "thanh hoa vnpt"})
    assert status == 200
    assert body["detected"] == [
        {"facet": "province", "value": "Thanh Hóa", "text": "thanh hoa"},
        {"facet": "partner", "value": "VNPT", "text": "vnpt"},
    ]
    assert body["did_you_mean"] is None
    either = {h["id"] for h in live.json("/api/search", {"q": "VNPT OR Viettel", "per_page": 100})[1]["hits"]}
    vnpt = {h["id"] for h in live.json("/api/search", {"q": "VNPT", "per_page": 100})[1]["hits"]}
    viettel = {h["id"] for h in live.json("/api/search", {"q": "Viettel", "per_page": 100})[1]["hits"]}
    assert either == vnpt | viettel and vnpt and viettel
    _, without = live.json("/api/search", {"q": "chuyển đổi số -Viettel", "per_page": 100})
    assert without["total"] > 0
    assert all("Viettel" not in (h["title"] + h.get("lead", "")) for h in without["hits"])
    assert not {h["id"] for h in without["hits"]} & viettel


@pytest.mark.parametrize("q", ['"', "(((", ")", "OR", "-", '-"', "a OR OR b", "((VNPT OR) -)", "- - -Viettel"])
def test_malformed_query_language_is_read_leniently(live, q):
    assert live.html("/", {"q": q})[0] == 200
    assert live.json("/api/search", {"q": q})[0] == 200


def test_article_page_tags_link_to_the_filtered_search_and_technical_fields_are_folded(live):
    art = by_slug("thanh-hoa-vnpt-ky-ket")
    _, page = live.html(f"/article/{art.id}")
    tags = re.findall(
        r'<a class="chip ([^"]+)" href="([^"]+)"[^>]*>([^<]+)</a>',
        page.split('<nav class="chips tags"', 1)[1].split("</nav>", 1)[0],
    )
    assert [(c, html.unescape(t)) for c, _, t in tags] == [
        ("province", "Thanh Hóa"),
        ("partner", "VNPT"),
        ("period", "2021–2025"),
        ("kind", "Thỏa thuận hợp tác"),
    ]
    by_label = {html.unescape(t): html.unescape(h) for _, h, t in tags}
    assert by_label["VNPT"] == "/?partner=VNPT" and by_label["2021–2025"] == "/?agreement_year=2021&kind=agreement"
    status, filtered = live.json("/api/v1/search", {"partner": "VNPT"})
    _, page_of_tag = live.html(by_label["VNPT"])
    assert f'<strong id="total">{filtered["total"]}</strong>' in page_of_tag
    # The technical table is still there, folded under its own heading, after the text.
    assert re.search(r'<details class="technical">\s*<summary><h2>Thông tin kỹ thuật</h2></summary>', page)
    assert page.index('<div class="body">') < page.index("Thông tin kỹ thuật") < page.index("<code>content_hash</code>")
    panel = page.split('<aside class="agreement-panel"', 1)[1].split("</aside>", 1)[0]
    assert "Thanh Hóa" in panel and "VNPT" in panel and "2021–2025" in panel and "đã hết hạn" in panel


def test_article_page_lists_the_other_copies_of_a_syndicated_story(live):
    original, copy = [a for a in all_articles() if a.cluster_id == "c-viettel-th"]
    _, page = live.html(f"/article/{copy.id}")
    copies = page.split('<section class="copies"', 1)[1].split("</section>", 1)[0]
    assert f'href="/article/{original.id}"' in copies and "bản gốc" in copies
    _, page = live.html(f"/article/{by_slug('tuyen-quang-kinh-te-so').id}")
    assert '<section class="copies"' not in page


def test_coverage_chart_is_server_side_svg_whose_bars_filter(live):
    _, data = live.json("/api/v1/search", {"partner": "VNPT"})
    per_year = {int(v["value"]): v["count"] for v in data["facets"]["published_year"]}
    _, page = live.html("/", {"partner": "VNPT"})
    bars = re.findall(r'<a href="([^"]+)" class="bar[^"]*"><title>(\d{4}): (\d+) bài', page)
    assert [int(y) for _, y, _ in bars] == list(range(min(per_year), max(per_year) + 1))
    assert {int(y): int(n) for _, y, n in bars if int(n)} == per_year
    href, year, count = max(bars, key=lambda b: int(b[2]))
    _, filtered = live.html(html.unescape(href))
    assert f'<strong id="total">{count}</strong>' in filtered and f"Năm đăng: {year}" in filtered


def test_a_query_of_operators_only_lists_newest_first(live):
    """ "OR" or "( )" has no word to rank by: the whole archive, newest first, and the sort menu
    says so instead of "Liên quan nhất" with every score 0."""
    _, plain = live.html("/")
    for typed in ("OR", "( ) -"):
        status, page = live.html("/", {"q": typed})
        assert status == 200 and "Mới nhất (mặc định)" in page
        assert f'<strong id="total">{VISIBLE}</strong>' in page
        assert page.index("Tuyên Quang: CĐS trong cải cách hành chính") < page.index("FPT công bố nghiên cứu")
    for typed in ("-Viettel", 'NOT "Viettel Post"'):  # only exclusions: nothing to rank by either
        assert "Mới nhất (mặc định)" in live.html("/", {"q": typed})[1]


def test_a_year_in_the_query_is_offered_as_a_filter(live):
    status, body = live.json("/api/search", {"q": "VNPT 2023"})
    assert status == 200 and {"facet": "year", "value": "2023", "text": "2023"} in body["detected"]
    _, page = live.html("/", {"q": "VNPT 2023"})
    assert "Lọc theo năm 2023" in page
