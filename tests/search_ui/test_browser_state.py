"""The search page keeps up with its URL, in real headless Chromium: Back/Forward (bfcache or
not) shows the earlier state with every control working; active filters as removable chips and in
the heading and title; sort without words says it is newest first; date presets; skip link and
focus kept for keyboard users; results first on a phone with the facets in a drawer."""

from __future__ import annotations

import datetime as dt

import pytest
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

# First: it skips this module (with the reason) when selenium or the browser is absent.
from tests.search_ui.browser import (
    DESKTOP,
    MOBILE,
    active_element,
    chromium,
    params,
    screenshot,
    total,
    wait_for_navigation,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    with chromium() as driver:
        driver.set_window_size(*DESKTOP)
        yield driver


def tick(driver, facet: str, value: str) -> None:
    old = driver.current_url
    driver.find_element(By.CSS_SELECTOR, f'fieldset[data-facet="{facet}"] input[value="{value}"]').click()
    wait_for_navigation(driver, old)


def ticked(driver) -> set[tuple[str, str]]:
    return {
        (el.get_attribute("name"), el.get_attribute("value"))
        for el in driver.find_elements(By.CSS_SELECTOR, ".facets input[type=checkbox]")
        if el.is_selected()
    }


def back(driver) -> None:
    old = driver.current_url
    driver.back()
    wait_for_navigation(driver, old)


def test_back_shows_the_earlier_state_and_every_control_works(browser, live):
    browser.get(live.url + "/")
    box = browser.find_element(By.NAME, "q")
    old = browser.current_url
    box.send_keys("chuyen doi so", Keys.ENTER)
    wait_for_navigation(browser, old)
    searched_total = total(browser)
    tick(browser, "partner", "VNPT")
    vnpt_total = total(browser)
    tick(browser, "province_current", "Thái Nguyên")
    assert ticked(browser) == {("partner", "VNPT"), ("province_current", "Thái Nguyên")}
    assert total(browser) < vnpt_total

    back(browser)  # one step: VNPT only
    assert params(browser) == {"q": ["chuyen doi so"], "partner": ["VNPT"]}
    assert ticked(browser) == {("partner", "VNPT")}
    assert total(browser) == vnpt_total
    for el in browser.find_elements(By.CSS_SELECTOR, "#search input, #search select"):
        assert el.is_enabled(), el.get_attribute("outerHTML")[:120]  # nothing greyed out
    assert browser.find_element(By.NAME, "q").get_attribute("value") == "chuyen doi so"
    assert [c.text.replace("×", "").strip() for c in browser.find_elements(By.CSS_SELECTOR, "a.active-filter")] == [
        "Đối tác: VNPT"
    ]

    # The next tick applies exactly what is shown (Thái Nguyên, removed by Back, stays removed).
    tick(browser, "kind", "agreement")
    assert params(browser) == {"q": ["chuyen doi so"], "partner": ["VNPT"], "kind": ["agreement"]}
    back(browser)
    back(browser)  # two more steps: the plain search
    assert params(browser) == {"q": ["chuyen doi so"]} and ticked(browser) == set()
    assert total(browser) == searched_total
    old = browser.current_url
    Select(browser.find_element(By.ID, "sort")).select_by_value("oldest")  # the sort menu works
    wait_for_navigation(browser, old)
    assert params(browser) == {"q": ["chuyen doi so"], "sort": ["oldest"]}
    back(browser)
    assert Select(browser.find_element(By.ID, "sort")).first_selected_option.get_attribute("value") == "relevance"
    date = browser.find_element(By.NAME, "from")  # the date fields work
    assert date.is_enabled() and date.get_attribute("value") == ""
    old = browser.current_url
    browser.execute_script("arguments[0].value = '2024-01-01'; arguments[0].dispatchEvent(new Event('change'))", date)
    wait_for_navigation(browser, old)
    assert params(browser) == {"q": ["chuyen doi so"], "from": ["2024-01-01"]}


def test_active_filters_are_chips_in_the_heading_and_title(browser, live):
    browser.get(live.url + "/?partner=vnpt&province_current=thai+nguyen&year=2021")
    assert ticked(browser) == {("partner", "VNPT"), ("province_current", "Thái Nguyên")}  # typed loosely
    heading = browser.find_element(By.TAG_NAME, "h1").text
    assert heading == "Thái Nguyên · VNPT · 2021"
    assert browser.title == "Thái Nguyên · VNPT · 2021 · CĐS Radar"
    chips = browser.find_elements(By.CSS_SELECTOR, "a.active-filter")
    assert [c.get_attribute("aria-label") for c in chips] == [
        "Bỏ lọc Tỉnh: Thái Nguyên",
        "Bỏ lọc Đối tác: VNPT",
        "Bỏ lọc Năm: 2021",
    ]
    screenshot(browser, "search-filtered")
    old = browser.current_url
    chips[1].click()
    wait_for_navigation(browser, old)
    assert params(browser) == {"province_current": ["Thái Nguyên"], "year": ["2021"]}
    assert browser.find_element(By.TAG_NAME, "h1").text == "Thái Nguyên · 2021"
    old = browser.current_url
    browser.find_element(By.LINK_TEXT, "Bỏ tất cả").click()
    wait_for_navigation(browser, old)
    assert params(browser) == {} and browser.find_element(By.TAG_NAME, "h1").text == "Tất cả bài viết"


def test_without_words_the_sort_is_newest_and_says_so(browser, live):
    browser.get(live.url + "/")
    sort = Select(browser.find_element(By.ID, "sort"))
    assert sort.first_selected_option.text == "Mới nhất (mặc định)"
    assert browser.find_element(By.ID, "sort-note").text == "Không có từ khóa nên xếp mới nhất trước"
    dates = [t.get_attribute("datetime") for t in browser.find_elements(By.CSS_SELECTOR, ".hit time")]
    assert dates == sorted(dates, reverse=True)
    browser.get(live.url + "/?q=VNPT")
    assert Select(browser.find_element(By.ID, "sort")).first_selected_option.text == "Liên quan nhất"
    assert not browser.find_elements(By.ID, "sort-note")


def test_date_presets(browser, live):
    browser.get(live.url + "/?partner=VNPT")
    old = browser.current_url
    browser.find_element(By.LINK_TEXT, "Năm nay").click()
    wait_for_navigation(browser, old)
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).date()
    assert params(browser) == {"partner": ["VNPT"], "from": [f"{today.year}-01-01"], "to": [today.isoformat()]}
    assert browser.find_element(By.CSS_SELECTOR, "a.preset.active").text == "Năm nay"
    assert browser.find_element(By.NAME, "from").get_attribute("value") == f"{today.year}-01-01"


def test_skip_link_and_focus_kept_for_keyboard_users(browser, live):
    browser.get(live.url + "/?q=chuyen+doi+so")
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    skip = active_element(browser)
    assert skip.text == "Bỏ qua, đến kết quả" and skip.is_displayed()
    skip.send_keys(Keys.ENTER)
    assert active_element(browser).get_attribute("id") == "results"
    box = browser.find_element(By.CSS_SELECTOR, 'fieldset[data-facet="partner"] input[value="Viettel"]')
    old = browser.current_url
    box.send_keys(Keys.SPACE)  # a keyboard tick
    wait_for_navigation(browser, old)
    focused = active_element(browser)
    assert (focused.get_attribute("name"), focused.get_attribute("value")) == ("partner", "Viettel")
    assert focused.is_selected()


def test_phone_shows_results_first_and_facets_in_a_drawer(live):
    with chromium() as phone:
        phone.set_window_size(*MOBILE)
        phone.get(live.url + "/?q=chuyen+doi+so&partner=VNPT")
        results = phone.find_element(By.ID, "results")
        assert results.is_displayed() and results.location["y"] < 400
        facets = phone.find_element(By.ID, "filters")
        assert not facets.is_displayed()
        screenshot(phone, "search-filtered")
        opener = phone.find_element(By.CSS_SELECTOR, "a.open-filters")
        assert opener.text == "Bộ lọc (1)"
        opener.click()
        WebDriverWait(phone, 10).until(lambda d: facets.is_displayed())
        screenshot(phone, "search-drawer")
        old = phone.current_url
        phone.find_element(By.CSS_SELECTOR, 'fieldset[data-facet="kind"] input[value="agreement"]').click()
        wait_for_navigation(phone, old)
        assert params(phone) == {"q": ["chuyen doi so"], "partner": ["VNPT"], "kind": ["agreement"]}
        facets = phone.find_element(By.ID, "filters")
        assert facets.is_displayed()  # still in the drawer, on the same tick
        focused = active_element(phone)
        assert (focused.get_attribute("name"), focused.get_attribute("value")) == ("kind", "agreement")
        phone.find_element(By.CSS_SELECTOR, "a.drawer-close").click()
        WebDriverWait(phone, 10).until(lambda d: not facets.is_displayed())
        assert phone.find_element(By.ID, "results").is_displayed()
        phone.get(live.url + "/?q=tàu+vũ+trụ+sao+hỏa")  # the empty message is the first thing shown
        empty = phone.find_element(By.CSS_SELECTOR, ".notice.empty")
        assert empty.is_displayed() and empty.location["y"] < 844
        screenshot(phone, "search-empty")
