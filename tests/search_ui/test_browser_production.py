"""The app as production serves it (gunicorn, search_ui/gunicorn_conf.py) in real headless
Chromium, under its Content-Security-Policy: every page loads with no policy violation, the
script still runs (it is a file, not inline), the server-drawn SVG charts render, and an injected
inline handler is blocked, which is what the policy is for."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By  # noqa: E402

# First: it skips this module (with the reason) when selenium or the browser is absent.
from tests.search_ui.browser import chromium, params, total, wait_for_navigation

pytestmark = pytest.mark.browser

# Records every CSP violation of a page from its first byte (a listener added after load would
# miss those of the page's own markup and scripts).
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || ""));
});
"""


@pytest.fixture(scope="module")
def browser():
    with chromium() as driver:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_VIOLATIONS})
        yield driver


def violations(driver) -> list[str]:
    return driver.execute_script("return window.__csp || ['listener missing'];")


def test_the_search_page_works_under_the_policy(browser, production):
    browser.get(production.url + "/?q=VNPT")
    assert browser.execute_script("return window.__csp !== undefined")
    assert total(browser) > 0
    # The script ran: it hides the apply button and submits a facet as soon as it is ticked.
    assert not browser.find_element(By.CSS_SELECTOR, "button.apply").is_displayed()
    bars = browser.find_elements(By.CSS_SELECTOR, "figure.coverage svg a.bar rect")
    assert bars and all(b.size["width"] > 0 for b in bars)  # the SVG chart is drawn
    assert any(b.size["height"] > 0 for b in bars)
    box = browser.find_element(By.CSS_SELECTOR, 'fieldset[data-facet="partner"] input[value="VNPT"]')
    old = browser.current_url
    box.click()
    wait_for_navigation(browser, old)
    assert params(browser) == {"q": ["VNPT"], "partner": ["VNPT"]}
    assert (
        browser.find_element(By.CSS_SELECTOR, "link[rel=stylesheet]")
        and browser.execute_script("return getComputedStyle(document.body).margin") != "8px"
    )  # style.css applied
    assert violations(browser) == []


@pytest.mark.parametrize("path", ["/", "/agreements", "/subscribe?q=VNPT", "/api/v1/docs", "/khong-co"])
def test_no_page_breaks_the_policy(browser, production, path):
    browser.get(production.url + path)
    assert browser.find_element(By.TAG_NAME, "h1").text
    assert violations(browser) == []


def test_an_article_page_breaks_no_policy(browser, production):
    browser.get(production.url + "/?q=VNPT")
    link = browser.find_element(By.CSS_SELECTOR, ".hit a.detail")
    old = browser.current_url
    link.click()
    wait_for_navigation(browser, old)
    assert "/article/" in browser.current_url and browser.find_element(By.TAG_NAME, "h1").text
    assert violations(browser) == []


def test_the_subscribe_page_script_runs_from_its_file(browser, production):
    browser.get(production.url + "/subscribe?q=VNPT")
    box = browser.find_element(By.ID, "feed-url")
    box.click()  # focus selects the whole address
    assert browser.execute_script("var e = arguments[0]; return [e.selectionStart, e.selectionEnd];", box) == [
        0,
        len(box.get_attribute("value")),
    ]
    assert browser.find_element(By.ID, "copy-feed").is_displayed()  # shown by search.js
    assert violations(browser) == []


def test_an_injected_inline_handler_is_blocked(browser, production):
    browser.get(production.url + "/")
    browser.execute_script("""document.body.insertAdjacentHTML("beforeend",
        '<img src="data:," onload="window.__ran = 1"><script>window.__ran = 2</script>');""")
    browser.execute_script(
        "var s = document.createElement('script'); s.textContent = 'window.__ran = 3'; document.body.appendChild(s);"
    )
    assert browser.execute_script("return window.__ran") is None
    assert any(v.startswith("script-src") for v in violations(browser)), violations(browser)
