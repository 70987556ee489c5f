"""The "Thỏa thuận" page, /api/v1/agreements and its CSV, over real HTTP, on the demo web's pages
built as the crawler builds them (served, fetched, extracted, enriched, clustered, indexed)."""

from __future__ import annotations

import csv
import io
import re

from bench.agreements import SEEDS, truth_triples


def rows(page: str) -> list[tuple[str, str, str]]:
    out = []
    for tr in re.findall(r'<tr class="agreement [^"]*" id="[^"]*">(.*?)</tr>', page, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)
        province = re.sub(r"<br>.*", "", cells[0], flags=re.S).strip()
        period = re.sub(r"<.*", "", cells[2], flags=re.S).strip()
        out.append((province, cells[1].strip(), period))
    return out


def test_page_lists_every_agreement_of_the_ground_truth_once(demo):
    status, page = demo.html("/agreements")
    assert status == 200 and "<h1>Thỏa thuận hợp tác chuyển đổi số</h1>" in page
    listed = rows(page)
    truth = {(p, q, f"{r[0]}–{r[1]}" if r else "không rõ") for p, q, r in truth_triples(demo.truths)}
    assert set(listed) == truth and len(listed) == len(truth)
    for province, partner, period in SEEDS:
        shown = f"{period[0]}–{period[1]}" if period else "không rõ"
        assert listed.count((province, partner, shown)) == 1, (province, partner, period)


def test_api_filters_loosely_and_marks_expired(demo):
    status, data = demo.json("/api/v1/agreements", {"partner": "vnpt", "province": "tuyen quang"})
    assert status == 200 and data["warnings"] == [] and data["total"] == 1
    tq = data["agreements"][0]
    assert (tq["province"], tq["partners"], tq["period"], tq["status"]) == (
        "Tuyên Quang",
        ["VNPT"],
        [2023, 2028],
        "active",
    )
    assert len(tq["articles"]) == 2  # VNPT's newsroom and Diễn đàn Doanh nghiệp, one signing
    assert tq["signed"] == "2023-01-09"
    _, bk = demo.json("/api/v1/agreements", {"province": "Bắc Kạn", "partner": "VNPT"})
    assert bk["agreements"][0]["status"] == "expired" and bk["agreements"][0]["expired"] is True
    assert bk["agreements"][0]["province_current"] == "Thái Nguyên"
    assert "lĩnh vực" in bk["agreements"][0]["areas"]
    _, warned = demo.json("/api/v1/agreements", {"partner": "Vietel"})
    assert warned["total"] == 0 and warned["warnings"][0]["closest"][0] == "Viettel"
    assert demo.json("/api/v1/agreements", {"sort": "x"})[0] == 400
    assert demo.json("/api/v1/agreements", {"status": "old"})[0] == 400
    assert (
        demo.json("/api/agreements", {"partner": "VNPT"})[1]["total"]
        == demo.json("/api/v1/agreements", {"partner": "VNPT"})[1]["total"]
        > 5
    )


def test_page_filters_sorts_and_links_each_row_to_its_articles(demo):
    _, page = demo.html("/agreements", {"partner": "VNPT", "sort": "province"})
    listed = rows(page)
    assert {p for _, p, _ in listed} == {"VNPT"} and len(listed) >= 8
    assert "Bỏ lọc Đối tác: VNPT" in page and "<title>Thỏa thuận: VNPT · CĐS Radar</title>" in page
    # Sorted by current province, A–Z (folded): Bắc Kạn (nay Thái Nguyên) sorts under T.
    _, data = demo.json("/api/v1/agreements", {"partner": "VNPT", "sort": "province"})
    from search_ui.facet_match import key

    currents = [key(a["province_current"]) for a in data["agreements"]]
    assert currents == sorted(currents)
    first_article = data["agreements"][0]["articles"][0]["id"]
    assert f'href="/article/{first_article}"' in page
    # The timeline: one bar per year of signing, each a link that filters to it.
    bars = re.findall(r'<a href="([^"]+)" class="bar[^"]*"><title>(\d{4}): (\d+) thỏa thuận</title>', page)
    assert bars and all("signed=" in href for href, _, _ in bars)
    year, count = next((y, int(c)) for _, y, c in bars if int(c) > 0)
    _, signed = demo.json("/api/v1/agreements", {"partner": "VNPT", "signed": year})
    assert signed["total"] == count


def test_csv_has_the_filters_in_a_comment_and_one_row_per_agreement(demo):
    status, headers, body = demo.get("/api/v1/agreements.csv", {"status": "expired"})
    text = body.decode("utf-8").lstrip("\ufeff")
    first, rest = text.split("\n", 1)
    assert status == 200 and first.startswith("# CĐS Radar") and "status=expired" in first
    table = list(csv.DictReader(io.StringIO(rest)))
    assert table and {r["status"] for r in table} == {"expired"} and len(table) == int(headers["X-Total-Count"])
    assert list(table[0])[:6] == ["province", "province_current", "partners", "period_start", "period_end", "signed"]


def test_article_page_shows_its_agreement_and_tags(demo):
    _, data = demo.json("/api/v1/agreements", {"partner": "VNPT", "province": "Tuyên Quang"})
    ids = [a["id"] for a in data["agreements"][0]["articles"]]
    _, page = demo.html(f"/article/{ids[0]}")
    panel = page.split('<aside class="agreement-panel"', 1)[1].split("</aside>", 1)[0]
    assert "Tuyên Quang" in panel and "2023–2028" in panel and "2 bài đưa tin" in panel
    assert 'href="/?province_current=Tuy%C3%AAn+Quang"' in page and 'href="/?partner=VNPT"' in page
    # The other paper's copy of the same signing is listed as another copy of the story.
    copies = page.split('<section class="copies"', 1)[1].split("</section>", 1)[0]
    assert f'href="/article/{ids[1]}"' in copies
