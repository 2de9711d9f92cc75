"""Headless Chromium (Debian's chromium and chromium-driver) against the app served over
ASGI by uvicorn, as production serves it (the pages' live-update streams need it).
Screenshots land in test-artifacts/ for a person to look at."""

import shutil
import socket
import threading
import time
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


class AsgiLiveServer:
    """uvicorn in a thread of the test process, serving the ASGI app and the static files
    (what pytest-django's live_server does over WSGI)."""

    def __init__(self):
        import uvicorn
        from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
        from django.core.asgi import get_asgi_application
        from django.test.utils import modify_settings

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        config = uvicorn.Config(
            ASGIStaticFilesHandler(get_asgi_application()),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="off",
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        self.url = f"http://127.0.0.1:{self.port}"
        # pytest-django's _live_server_helper switches these on around each test.
        self._live_server_modified_settings = modify_settings(
            ALLOWED_HOSTS={"append": ["127.0.0.1", "localhost"]}
        )

    def stop(self):
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def _asgi_live_server(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        server = AsgiLiveServer()
    yield server
    server.stop()


@pytest.fixture
def live_server(_asgi_live_server, transactional_db):
    return _asgi_live_server


def _chromium(*, window: str = "1400,900", wait: int = 5):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not driver_path:
        pytest.fail("Debian's chromium and chromium-driver are needed (scripts/test installs them)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag.replace("1400,900", window))
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.implicitly_wait(wait)
    return driver


@pytest.fixture
def browser():
    driver = _chromium()
    yield driver
    driver.quit()


@pytest.fixture
def buyer_browser():
    """A buyer's phone-sized browser, for the web chat page."""
    driver = _chromium(window="390,800", wait=2)
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
