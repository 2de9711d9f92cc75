import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from accounts.roles import Role
from scripts_lib.services import default_scripts_load
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_supervisor_browses_and_searches_the_library_by_pinyin(
    browser, live_server, log_in, screenshot, shop
):
    default_scripts_load(team=shop.team, now=timezone.now())
    supervisor = make_user(shop, Role.SUPERVISOR, display_name="李静", work_number="7001")
    log_in(supervisor)
    browser.get(live_server.url + "/scripts/")
    categories = browser.find_element(By.CLASS_NAME, "lib-categories").text
    assert categories.index("欢迎语") < categories.index("欢送语") < categories.index("催付")
    assert browser.find_elements(By.CSS_SELECTOR, "#lib-results tbody tr")
    screenshot("library")

    search = browser.find_element(By.NAME, "q")
    search.send_keys("cf")
    WebDriverWait(browser, 5).until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, "#lib-results tbody"), "催付：当天发货")
    )
    WebDriverWait(browser, 5).until(
        lambda b: all(
            "催付" in row.text
            for row in b.find_elements(By.CSS_SELECTOR, "#lib-results tbody tr td:first-child")
        )
    )
    assert "q=cf" in browser.current_url
    screenshot("search")
    assert all(
        "Content Security Policy" not in entry["message"] for entry in browser.get_log("browser")
    )


def test_script_form_checks_etiquette_while_typing(browser, live_server, log_in, screenshot, shop):
    supervisor = make_user(shop, Role.SUPERVISOR)
    log_in(supervisor)
    browser.get(live_server.url + "/scripts/new/")
    body = browser.find_element(By.NAME, "body")
    body.send_keys("你好，这个价格不能再便宜了")
    WebDriverWait(browser, 5).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, "#body-check li[data-rule=informal_you]"))
    )
    rules = {
        li.get_attribute("data-rule")
        for li in browser.find_elements(By.CSS_SELECTOR, "#body-check li")
    }
    assert rules == {"informal_you", "negative_word", "refusal_without_apology"}
    screenshot("form")
