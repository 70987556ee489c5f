"""The search page in real headless Chromium (Debian's /usr/bin/chromium + chromedriver).

Selenium is pointed at the system chromedriver explicitly, so Selenium Manager never tries to
download a browser. Skipped, with the reason, only when the browser is genuinely absent.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from urllib.parse import parse_qs, urlparse

import pytest

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium not installed (requirements.txt)")
if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
    pytest.skip("Debian chromium/chromium-driver not installed (apt-get install chromium chromium-driver)",
                allow_module_level=True)

from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

pytestmark = pytest.mark.browser
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1280,1600", "--lang=vi"]


@pytest.fixture(scope="module")
def browser():
    profile = tempfile.mkdtemp(prefix="cds-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in FLAGS + [f"--user-data-dir={profile}"]:
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def params(driver) -> dict[str, list[str]]:
    return parse_qs(urlparse(driver.current_url).query)


def total(driver) -> int:
    return int(driver.find_element(By.ID, "total").text.replace(".", ""))


def facet_counts(driver, facet: str) -> dict[str, int]:
    out = {}
    for label in driver.find_elements(By.CSS_SELECTOR, f'fieldset[data-facet="{facet}"] > label.facet-value'):
        out[label.find_element(By.CSS_SELECTOR, ".label").text] = int(label.find_element(By.CSS_SELECTOR, ".count").text)
    return out


def wait_for_navigation(driver, old_url: str) -> None:
    WebDriverWait(driver, 15).until(lambda d: d.current_url != old_url)
    WebDriverWait(driver, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")


def test_typing_without_diacritics_finds_diacritic_articles(browser, live):
    browser.get(live.url + "/")
    box = browser.find_element(By.NAME, "q")
    old = browser.current_url
    box.send_keys("chuyen doi so", Keys.ENTER)
    wait_for_navigation(browser, old)
    assert params(browser) == {"q": ["chuyen doi so"]}          # empty fields left out of the URL
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
    assert facet_counts(browser, "partner") == before_partner        # disjunctive: own counts unchanged
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
    from selenium.webdriver.support.ui import Select
    Select(browser.find_element(By.ID, "sort")).select_by_value("oldest")
    wait_for_navigation(browser, old)
    assert params(browser)["sort"] == ["oldest"]
    dates = [t.get_attribute("datetime") for t in browser.find_elements(By.CSS_SELECTOR, ".hit time")]
    assert dates == sorted(dates)


def test_article_detail_link(browser, live):
    browser.get(live.url + "/?q=Bac+Kan+VNPT")
    browser.find_element(By.CSS_SELECTOR, ".hit a.detail").click()
    WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, "table.fields")))
    assert "Giai đoạn thỏa thuận" in browser.page_source
    browser.find_element(By.LINK_TEXT, "← Quay lại kết quả").click()
    WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.ID, "total")))
    assert params(browser)["q"] == ["Bac Kan VNPT"]
