"""Headless Chromium for UI tests (Debian's /usr/bin/chromium + chromedriver), and readers of the page.

Shared by tests/search_ui/test_browser.py and tests/test_end_to_end.py. Selenium is pointed at the
system chromedriver explicitly, so Selenium Manager never tries to download a browser. Importing
this module skips the importing test module, with the reason, only when the browser is genuinely
absent.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from urllib.parse import parse_qs, urlparse

import pytest

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium not installed (requirements.txt)")
if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
    pytest.skip(
        "Debian chromium/chromium-driver not installed (apt-get install chromium chromium-driver)",
        allow_module_level=True,
    )

from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,1600",
    "--lang=vi",
]


@contextmanager
def chromium():
    """One headless Chromium with a throwaway profile."""
    profile = tempfile.mkdtemp(prefix="cds-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in FLAGS + [f"--user-data-dir={profile}"]:
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def params(driver) -> dict[str, list[str]]:
    return parse_qs(urlparse(driver.current_url).query)


def total(driver) -> int:
    return int(driver.find_element(By.ID, "total").text.replace(".", ""))


def facet_counts(driver, facet: str) -> dict[str, int]:
    out = {}
    for label in driver.find_elements(By.CSS_SELECTOR, f'fieldset[data-facet="{facet}"] > label.facet-value'):
        out[label.find_element(By.CSS_SELECTOR, ".label").text] = int(
            label.find_element(By.CSS_SELECTOR, ".count").text
        )
    return out


def wait_for_navigation(driver, old_url: str) -> None:
    WebDriverWait(driver, 15).until(lambda d: d.current_url != old_url)
    WebDriverWait(driver, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")


DESKTOP, MOBILE = (1366, 900), (390, 844)
_shot_dir: list[str] = []
SHOTS: list[str] = []  # every screenshot path of the session, printed at the end (conftest)


def screenshot(driver, name: str) -> str:
    """Save what the window shows (its viewport) under one temp folder of the session and
    return the path; tests/search_ui/conftest.py prints every path in the terminal summary."""
    if not _shot_dir:
        _shot_dir.append(tempfile.mkdtemp(prefix="cds-screenshots-"))
    width = driver.get_window_size()["width"]
    path = os.path.join(_shot_dir[0], f"{name}-{width}.png")
    driver.save_screenshot(path)
    SHOTS.append(path)
    print(f"screenshot: {path}")
    return path


def active_element(driver):
    return driver.switch_to.active_element
