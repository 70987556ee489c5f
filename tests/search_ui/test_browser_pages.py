"""The agreements page and the article page in real headless Chromium, on the demo web's pages,
desktop (1366×900) and phone (390×844), each saving screenshots (paths in the terminal summary)."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

# First: it skips this module (with the reason) when selenium or the browser is absent.
from tests.search_ui.browser import DESKTOP, MOBILE, chromium, params, screenshot, wait_for_navigation

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", params=[DESKTOP, MOBILE], ids=["desktop", "phone"])
def browser(request):
    with chromium() as driver:
        driver.set_window_size(*request.param)
        yield driver


def table_rows(driver) -> list[tuple[str, str, str]]:
    out = []
    for tr in driver.find_elements(By.CSS_SELECTOR, "table.agreements tbody tr"):
        cells = tr.find_elements(By.CSS_SELECTOR, "th, td")
        out.append((cells[0].text.split("\n")[0], cells[1].text, cells[2].text.split("\n")[0]))
    return out


def test_agreements_page(browser, demo):
    browser.get(demo.url + "/")
    old = browser.current_url
    browser.find_element(By.LINK_TEXT, "Thỏa thuận").click()  # reachable from every page
    wait_for_navigation(browser, old)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Thỏa thuận hợp tác chuyển đổi số"
    rows = table_rows(browser)
    assert ("Tuyên Quang", "VNPT", "2023–2028") in rows and ("Bắc Kạn", "VNPT", "2020–2025") in rows
    assert rows.count(("Tuyên Quang", "VNPT", "2023–2028")) == 1
    expired = browser.find_element(By.CSS_SELECTOR, "tr.agreement.expired .chip.expired")
    assert expired.is_displayed() and expired.text == "đã hết hạn"
    screenshot(browser, "agreements")
    # A facet, then a timeline bar, then a sort: each is a link, each keeps the others.
    old = browser.current_url
    browser.find_element(By.CSS_SELECTOR, 'fieldset[data-facet="partner"] a.facet-link[href*="partner=VNPT"]').click()
    wait_for_navigation(browser, old)
    assert params(browser) == {"partner": ["VNPT"]} and {p for _, p, _ in table_rows(browser)} == {"VNPT"}
    bar = browser.find_element(By.CSS_SELECTOR, 'svg a.bar[href*="signed=2021"]')
    old = browser.current_url
    browser.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", bar)
    wait_for_navigation(browser, old)
    assert params(browser) == {"partner": ["VNPT"], "signed": ["2021"]}
    signed = [t.get_attribute("datetime") for t in browser.find_elements(By.CSS_SELECTOR, "table.agreements time")]
    assert signed and all(d.startswith("2021-") for d in signed)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Thỏa thuận hợp tác chuyển đổi số: VNPT · 2021"
    old = browser.current_url
    browser.find_element(By.LINK_TEXT, "Tỉnh (A–Z)").click()
    wait_for_navigation(browser, old)
    assert params(browser)["sort"] == ["province"]
    # A row's article opens the article page, whose agreement panel names the same signing.
    link = browser.find_element(By.CSS_SELECTOR, "table.agreements ul.reports a")
    old = browser.current_url
    link.click()
    wait_for_navigation(browser, old)
    assert browser.find_element(By.CSS_SELECTOR, ".agreement-panel").is_displayed()


def test_article_page(browser, demo):
    _, data = demo.json("/api/v1/agreements", {"partner": "VNPT", "province": "Tuyên Quang"})
    reports = data["agreements"][0]["articles"]
    browser.get(f"{demo.url}/article/{reports[0]['id']}")
    tags = {t.text: t for t in browser.find_elements(By.CSS_SELECTOR, "nav.tags a.chip")}
    assert {"Tuyên Quang", "VNPT", "2023–2028", "Thỏa thuận hợp tác"} <= set(tags)
    panel = browser.find_element(By.CSS_SELECTOR, ".agreement-panel")
    assert "2023–2028" in panel.text and "Tuyên Quang" in panel.text
    copies = browser.find_elements(By.CSS_SELECTOR, "section.copies li a")
    assert any(reports[1]["id"] in a.get_attribute("href") for a in copies)
    # The crawled sapo: shown once, set apart in bold above the body, which does not repeat it.
    lead = browser.find_element(By.CSS_SELECTOR, "article.detail p.lead")
    assert lead.is_displayed() and int(lead.value_of_css_property("font-weight")) >= 600
    body = browser.find_element(By.CSS_SELECTOR, "article.detail div.body")
    assert lead.text and lead.text not in body.text
    assert browser.find_element(By.TAG_NAME, "body").text.count(lead.text) == 1
    table = browser.find_element(By.CSS_SELECTOR, "details.technical table.fields")
    assert not table.is_displayed()  # folded away
    screenshot(browser, "article")
    browser.find_element(By.CSS_SELECTOR, "details.technical summary").click()
    WebDriverWait(browser, 5).until(lambda d: table.is_displayed())
    assert "content_hash" in table.text
    old = browser.current_url
    tags = {t.text: t for t in browser.find_elements(By.CSS_SELECTOR, "nav.tags a.chip")}
    tags["VNPT"].click()  # a tag opens the filtered search
    wait_for_navigation(browser, old)
    assert params(browser) == {"partner": ["VNPT"]}
    assert browser.find_element(By.TAG_NAME, "h1").text == "VNPT"
    screenshot(browser, "search-from-tag")
