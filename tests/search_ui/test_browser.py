"""The search page in real headless Chromium (see tests/search_ui/browser.py for the browser itself).

Skipped, with the reason, only when the browser is genuinely absent.
"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

# First: it skips this module (with the reason) when selenium or the browser is absent.
from tests.search_ui.browser import chromium, facet_counts, params, total, wait_for_navigation

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    with chromium() as driver:
        yield driver


def test_typing_without_diacritics_finds_diacritic_articles(browser, live):
    browser.get(live.url + "/")
    box = browser.find_element(By.NAME, "q")
    old = browser.current_url
    box.send_keys("chuyen doi so", Keys.ENTER)
    wait_for_navigation(browser, old)
    assert params(browser) == {"q": ["chuyen doi so"]}  # empty fields left out of the URL
    titles = [t.text for t in browser.find_elements(By.CSS_SELECTOR, ".hit h2 a")]
    assert "Bắc Kạn ký thỏa thuận chuyển đổi số với VNPT giai đoạn 2020-2025" in titles
    marked = {b.text for b in browser.find_elements(By.CSS_SELECTOR, ".hit .snippet b, .hit h2 b")}
    assert "chuyển đổi số" in marked


def test_clicking_a_facet_filters_and_updates_counts_and_url(browser, live):
    browser.get(live.url + "/?q=chuyen+doi+so")
    before_total = total(browser)
    before_partner = facet_counts(browser, "partner")
    before_province = facet_counts(browser, "province_current")
    old = browser.current_url
    browser.find_element(By.CSS_SELECTOR, 'fieldset[data-facet="partner"] input[value="Viettel"]').click()
    wait_for_navigation(browser, old)
    assert params(browser) == {"q": ["chuyen doi so"], "partner": ["Viettel"]}
    assert total(browser) == before_partner["Viettel"] < before_total
    assert facet_counts(browser, "partner") == before_partner  # disjunctive: own counts unchanged
    assert facet_counts(browser, "province_current") != before_province
    assert browser.find_element(By.CSS_SELECTOR, 'input[value="Viettel"]').is_selected()
    chips = [c.text for c in browser.find_elements(By.CSS_SELECTOR, ".hit .chip.partner")]
    assert chips and set(chips) == {"Viettel"}
    # A second value in the same facet ORs; the count grows.
    old = browser.current_url
    browser.find_element(By.CSS_SELECTOR, 'fieldset[data-facet="partner"] input[value="VNPT"]').click()
    wait_for_navigation(browser, old)
    assert sorted(params(browser)["partner"]) == ["VNPT", "Viettel"]
    assert total(browser) == before_partner["Viettel"] + before_partner["VNPT"]


def test_pagination(browser, live):
    browser.get(live.url + "/?q=chuyển+đổi+số")
    first = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, ".hit h2 a")]
    assert len(first) == 20
    old = browser.current_url
    browser.find_element(By.CSS_SELECTOR, '.pager a[rel="next"]').click()
    wait_for_navigation(browser, old)
    assert params(browser)["page"] == ["2"]
    second = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, ".hit h2 a")]
    assert second and not set(first) & set(second)
    assert browser.find_element(By.CSS_SELECTOR, ".pager .current").text == "2"
    old = browser.current_url
    browser.find_element(By.CSS_SELECTOR, '.pager a[rel="prev"]').click()
    wait_for_navigation(browser, old)
    assert [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, ".hit h2 a")] == first


def test_sorting_from_the_select(browser, live):
    browser.get(live.url + "/?q=VNPT")
    old = browser.current_url
    Select(browser.find_element(By.ID, "sort")).select_by_value("oldest")
    wait_for_navigation(browser, old)
    assert params(browser)["sort"] == ["oldest"]
    dates = [t.get_attribute("datetime") for t in browser.find_elements(By.CSS_SELECTOR, ".hit time")]
    assert dates == sorted(dates)


def test_sort_and_facets_keep_a_chosen_page_size(browser, live):
    browser.get(live.url + "/?q=VNPT&per_page=5")
    old = browser.current_url
    Select(browser.find_element(By.ID, "sort")).select_by_value("newest")
    wait_for_navigation(browser, old)
    assert params(browser) == {"q": ["VNPT"], "per_page": ["5"], "sort": ["newest"]}
    assert len(browser.find_elements(By.CSS_SELECTOR, ".hit")) == 5
    old = browser.current_url
    browser.find_element(By.CSS_SELECTOR, 'fieldset[data-facet="partner"] input[value="VNPT"]').click()
    wait_for_navigation(browser, old)
    assert params(browser)["partner"] == ["VNPT"]
    assert params(browser)["per_page"] == ["5"] and len(browser.find_elements(By.CSS_SELECTOR, ".hit")) == 5
    old = browser.current_url
    browser.find_element(By.CSS_SELECTOR, '.pager a[rel="next"]').click()
    wait_for_navigation(browser, old)
    assert params(browser)["per_page"] == ["5"] and params(browser)["page"] == ["2"]


def test_article_detail_link(browser, live):
    browser.get(live.url + "/?q=Bac+Kan+VNPT")
    browser.find_element(By.CSS_SELECTOR, ".hit a.detail").click()
    WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, "table.fields")))
    assert "Giai đoạn thỏa thuận" in browser.page_source
    browser.find_element(By.LINK_TEXT, "← Quay lại kết quả").click()
    WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.ID, "total")))
    assert params(browser)["q"] == ["Bac Kan VNPT"]


def test_sources_and_the_year_facet_read_as_words(browser, live):
    browser.get(live.url + "/?q=Bac+Kan")
    sources = {s.text for s in browser.find_elements(By.CSS_SELECTOR, ".hit .meta .source")}
    assert "Cổng TTĐT tỉnh Bắc Kạn" in sources and "backan.gov.vn" not in sources
    year_box = browser.find_element(By.CSS_SELECTOR, 'fieldset[data-facet="agreement_year"]')
    assert year_box.find_element(By.TAG_NAME, "legend").text == "Năm hiệu lực thỏa thuận"
    help_line = year_box.find_element(By.CSS_SELECTOR, ".facet-help")
    assert help_line.is_displayed() and help_line.text == "mọi năm trong giai đoạn thỏa thuận mà bài nêu"
    # The 2020-2025 Bắc Kạn agreement is why 2025 is listed as an agreement year, not as published.
    assert facet_counts(browser, "agreement_year")["2025"] >= 1
    assert "2025" not in facet_counts(browser, "published_year")


def test_follow_link_opens_a_subscribe_page_with_the_feed_url(browser, live):
    browser.get(live.url + "/?q=VNPT&partner=VNPT&sort=oldest&page=2")
    follow = browser.find_element(By.LINK_TEXT, "Theo dõi (Atom)")
    assert follow.is_displayed()
    discovered = browser.find_element(By.CSS_SELECTOR, 'head link[rel="alternate"][type="application/atom+xml"]')
    feed = discovered.get_attribute("href")
    assert feed == live.url + "/feed.atom?q=VNPT&partner=VNPT"
    old = browser.current_url
    follow.click()
    wait_for_navigation(browser, old)
    assert browser.current_url == live.url + "/subscribe?q=VNPT&partner=VNPT"  # a page, not raw XML
    assert browser.find_element(By.TAG_NAME, "h1").text == "Theo dõi tìm kiếm: “VNPT” · VNPT"
    box = browser.find_element(By.ID, "feed-url")
    assert box.get_attribute("value") == feed
