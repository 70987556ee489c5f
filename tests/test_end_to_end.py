"""The product end to end, as ``make run`` runs it: the demo web over HTTP, a real ``scrapy crawlall``
into a fresh data directory, ``python -m search_ui`` on top, and a reader using it — through the
JSON API and in headless Chromium. The demo web's ground truth says what the reader should see.

One crawl per module; everything after it only reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from config.sources import load_sources
from demoweb import DemoWeb
from indexer.normalize import canonical_lines
from tests.crawler.crawltools import DEMO_SOURCES, FAST, run_scrapy
from tests.e2e_support import Truth, all_hits, api_facets, mentions, search, truth_facets, ui_process
from tests.search_ui.live_server import Live

pytestmark = pytest.mark.slow

SEED_THANH_HOA = "Ký kết thỏa thuận hợp tác giữa UBND tỉnh Thanh Hóa và Tập đoàn VNPT"


@dataclass
class Run:
    truth: Truth
    data_dir: Path
    ui: Live


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    data = tmp_path_factory.mktemp("e2e-data")
    with DemoWeb(port=0) as web:
        run_scrapy("crawlall", *FAST, data_dir=data, port=web.port)
        truth = Truth(web.ground_truth())
    with ui_process(data, tmp_path_factory.mktemp("e2e-ui") / "ui.log") as ui:
        yield Run(truth, data, ui)


@pytest.fixture(scope="module")
def default_hits(run):
    return all_hits(run.ui)


# -- 1. what a reader finds ---------------------------------------------------------------------
def test_every_on_topic_article_shows_once_and_no_off_topic_one(run, default_hits):
    truth, ids = run.truth, [h["id"] for h in default_hits]
    assert len(ids) == len(set(ids)), "an article listed twice"
    shown = set(ids)
    groups = truth.on_topic_groups()
    missing = sorted(truth.by_id[min(g)]["url"] for g in groups.values() if not g & shown)
    doubled = sorted(key for key, g in groups.items() if len(g & shown) > 1)
    off_topic = sorted(truth.by_id[i]["url"] for i in shown if i in truth.by_id and not truth.by_id[i]["on_topic"])
    not_articles = sorted(h["url"] for h in default_hits if h["id"] not in truth.by_id)
    assert (missing, doubled, off_topic, not_articles) == ([], [], [], [])
    assert len(ids) == len(groups) > 40


def test_titles_shown_are_the_titles_on_the_pages(run, default_hits):
    wrong = [
        (h["title"], run.truth.by_id[h["id"]]["title"])
        for h in default_hits
        if canonical_lines(h["title"]) != canonical_lines(run.truth.by_id[h["id"]]["title"])
    ]
    assert wrong == []


def test_every_syndicated_copy_shows_on_request_marked_as_a_copy(run):
    hits = all_hits(run.ui, duplicates=1)
    on_topic = {i for g in run.truth.on_topic_groups().values() for i in g}
    assert {h["id"] for h in hits} == on_topic
    for group in (g for g in run.truth.on_topic_groups().values() if len(g) > 1):
        copies = [h for h in hits if h["id"] in group]
        assert sorted(h["is_canonical"] for h in copies) == [False] * (len(group) - 1) + [True]


def test_health_counts_every_indexed_article(run):
    status, body = run.ui.json("/healthz")
    assert (status, body["status"]) == (200, "ok")
    assert body["articles"] == sum(len(g) for g in run.truth.on_topic_groups().values())


def test_sources_are_named_as_journalists_know_them(run, default_hits):
    titles = {s.name: s.title for s in load_sources(DEMO_SOURCES)}
    assert {(h["source"], h["source_title"]) for h in default_hits} == {
        (name, titles[name]) for name in {h["source"] for h in default_hits}
    }
    status, page = run.ui.html("/", {"q": "VNPT Thanh Hoa"})
    shown = set(re.findall(r'<span class="source"[^>]*>([^<]*)</span>', page))
    assert status == 200 and "Cổng TTĐT tỉnh Thanh Hóa" in shown and not shown & set(titles)
    labels = {v["value"]: v["label"] for v in search(run.ui)["facets"]["source"]}
    assert labels == {name: titles[name] for name in labels}


# -- 2. facets ----------------------------------------------------------------------------------
def test_facet_counts_match_the_ground_truth(run, default_hits):
    shown = run.truth.shown_by_default({h["id"] for h in default_hits})
    expected, got = truth_facets(shown), api_facets(search(run.ui))
    assert set(got) == set(expected)
    for facet in expected:
        assert got[facet] == expected[facet], facet
    # Spot values a journalist would check first.
    assert got["partner"]["VNPT"] == sum("VNPT" in g["partners"] for g in shown) > 10
    assert got["partner"]["Viettel"] == sum("Viettel" in g["partners"] for g in shown) > 5
    assert got["province_current"]["Thanh Hóa"] == sum("Thanh Hóa" in g["provinces_current"] for g in shown) > 3
    assert got["province"]["Bắc Kạn"] == sum("Bắc Kạn" in g["provinces"] for g in shown) > 3


@pytest.mark.parametrize(
    "facet,field,value",
    [
        ("province_current", "provinces_current", "Thanh Hóa"),
        ("province_current", "provinces_current", "Thái Nguyên"),  # includes the legacy Bắc Kạn
        ("province", "provinces", "Bắc Kạn"),
        ("partner", "partners", "VNPT"),
    ],
)
def test_a_filter_returns_exactly_the_articles_with_that_value(run, default_hits, facet, field, value):
    shown = run.truth.shown_by_default({h["id"] for h in default_hits})
    expected = sorted(g["url"] for g in shown if value in g[field])
    hits = all_hits(run.ui, **{facet: value})
    assert sorted(h["url"] for h in hits) == expected
    assert all(value in h[field] for h in hits)
    assert expected


def test_filters_on_two_facets_combine(run, default_hits):
    shown = run.truth.shown_by_default({h["id"] for h in default_hits})
    expected = sorted(g["url"] for g in shown if "VNPT" in g["partners"] and "Tuyên Quang" in g["provinces_current"])
    hits = all_hits(run.ui, partner="VNPT", province_current="Tuyên Quang")
    assert sorted(h["url"] for h in hits) == expected and expected


# -- 3. typing without diacritics -----------------------------------------------------------------
def test_chuyen_doi_so_without_diacritics_finds_what_the_accented_query_finds(run, default_hits):
    plain, accented = all_hits(run.ui, q="chuyen doi so"), all_hits(run.ui, q="chuyển đổi số")
    assert sorted(h["id"] for h in plain) == sorted(h["id"] for h in accented)
    assert search(run.ui, q="chuyen doi so")["facets"] == search(run.ui, q="chuyển đổi số")["facets"]
    shown = run.truth.shown_by_default({h["id"] for h in default_hits})
    saying_it = sorted(g["url"] for g in shown if mentions(g, "chuyển đổi số"))
    assert len(saying_it) > 20
    assert sorted(set(saying_it) - {h["url"] for h in plain}) == []


def test_thanh_hoa_without_diacritics_finds_the_thanh_hoa_seed_on_the_first_page(run):
    seed = run.truth.find_title(SEED_THANH_HOA)
    first_page = search(run.ui, q="Thanh Hoa")
    assert seed["url"] in [h["url"] for h in first_page["hits"]]
    assert first_page["total"] == search(run.ui, q="Thanh Hóa")["total"]


# -- 4. in a real browser -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser():
    from tests.search_ui import browser as ui_browser  # skips, saying why, without Chromium

    with ui_browser.chromium() as driver:
        yield driver


@pytest.mark.browser
def test_a_journalist_searches_without_diacritics_and_narrows_by_facets(run, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from tests.search_ui.browser import facet_counts, params, total, wait_for_navigation

    def titles():
        return [canonical_lines(a.text) for a in browser.find_elements(By.CSS_SELECTOR, ".hit h2 a")]

    def chips(kind):
        return [
            {c.text for c in hit.find_elements(By.CSS_SELECTOR, f".chip.{kind}")}
            for hit in browser.find_elements(By.CSS_SELECTOR, ".hit")
        ]

    def click(facet, value):
        old = browser.current_url
        browser.find_element(By.CSS_SELECTOR, f'fieldset[data-facet="{facet}"] input[value="{value}"]').click()
        wait_for_navigation(browser, old)

    browser.get(run.ui.url + "/")
    old = browser.current_url
    browser.find_element(By.NAME, "q").send_keys("chuyen doi so", Keys.ENTER)
    wait_for_navigation(browser, old)
    api = search(run.ui, q="chuyen doi so")
    assert total(browser) == api["total"] > 20
    assert titles() == [canonical_lines(h["title"]) for h in api["hits"]]
    truth_titles = {canonical_lines(g["title"]) for g in run.truth.records}
    assert set(titles()) <= truth_titles
    partners = facet_counts(browser, "partner")
    assert partners["VNPT"] == {v["value"]: v["count"] for v in api["facets"]["partner"]}["VNPT"]

    click("partner", "VNPT")
    assert params(browser) == {"q": ["chuyen doi so"], "partner": ["VNPT"]}
    assert total(browser) == partners["VNPT"] < api["total"]
    assert all("VNPT" in c for c in chips("partner"))
    provinces = facet_counts(browser, "province_current")

    click("province_current", "Thanh Hóa")
    assert total(browser) == provinces["Thanh Hóa"] < partners["VNPT"]
    assert all("Thanh Hóa" in c for c in chips("province")) and all("VNPT" in c for c in chips("partner"))
    assert canonical_lines(run.truth.find_title(SEED_THANH_HOA)["title"]) in titles()
