"""Headless Chromium (Debian's chromium and chromium-driver) against pytest-django's live
server. Screenshots land in test-artifacts/ for a person to look at."""

import shutil
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--window-size=1400,900",
    "--lang=zh-CN",
]


def _chromium():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not driver_path:
        pytest.fail("Debian's chromium and chromium-driver are needed (scripts/test installs them)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.implicitly_wait(5)
    return driver


@pytest.fixture
def browser():
    driver = _chromium()
    yield driver
    driver.quit()


@pytest.fixture
def second_browser():
    """Another staff member's browser, with its own session, beside ``browser``."""
    driver = _chromium()
    yield driver
    driver.quit()


@pytest.fixture
def screenshot(browser, request):
    def _save(name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        browser.save_screenshot(str(path))
        return path

    return _save


@pytest.fixture
def log_in(browser, live_server):
    from selenium.webdriver.common.by import By

    from tests.factories import PASSWORD

    default_browser = browser

    def _log_in(user, driver=None):
        """Log in through the form (in ``driver``, by default ``browser``) and wait until
        the logged-in page has loaded: a test that navigates on at once would otherwise
        race the login POST."""
        from selenium.webdriver.support import expected_conditions as EC
        from selenium.webdriver.support.ui import WebDriverWait

        browser = driver or default_browser
        browser.get(live_server.url + "/accounts/login/")
        browser.find_element(By.NAME, "username").send_keys(user.username)
        browser.find_element(By.NAME, "password").send_keys(PASSWORD)
        browser.find_element(By.CSS_SELECTOR, "button[type=submit].primary").click()
        WebDriverWait(browser, 15).until(
            EC.presence_of_element_located((By.CSS_SELECTOR, ".userbox .who"))
        )

    return _log_in
