import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from accounts.roles import Role
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_logs_in_sees_queues_and_switches_to_english(
    browser, live_server, log_in, screenshot, shop
):
    agent = make_user(shop, Role.IN_SALE, display_name="小雨", work_number="2001")
    log_in(agent)
    assert "小雨 (2001)" in browser.find_element(By.CLASS_NAME, "who").text
    nav = browser.find_element(By.CLASS_NAME, "mainnav").text
    assert "工作台" in nav and "审计日志" not in nav
    screenshot("zh")

    browser.find_element(By.CSS_SELECTOR, "[data-testid=lang-en]").click()
    WebDriverWait(browser, 15, ignored_exceptions=[StaleElementReferenceException]).until(
        lambda driver: "Log out" in driver.find_element(By.CLASS_NAME, "userbox").text
    )
    screenshot("en")
    # get_log hands out the entries since the last call and empties the buffer: read once.
    console = browser.get_log("browser")
    refused = [
        entry["message"] for entry in console if "Content Security Policy" in entry["message"]
    ]
    assert not refused, refused
