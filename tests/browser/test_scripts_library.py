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


def test_saving_a_failing_script_shows_findings_then_saves_with_a_reason(
    browser, live_server, log_in, screenshot, shop
):
    from audit.models import AuditEvent
    from scripts_lib.models import ReplyScript
    from tests.scripts_lib.factories import make_script

    script = make_script(
        shop.team, shop, code="zx", title="在线答复", body="您好，在的，请问有什么可以帮您？"
    )
    log_in(make_user(shop, Role.SUPERVISOR))
    browser.get(f"{live_server.url}/scripts/{script.pk}/edit/")
    body = browser.find_element(By.NAME, "body")
    body.clear()
    body.send_keys("在")
    browser.find_element(By.CSS_SELECTOR, "form.card button[type=submit]").click()
    WebDriverWait(browser, 10).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, "#save-findings"))
    )
    assert "只回一个词" in browser.find_element(By.ID, "save-findings").text
    screenshot("refused-with-findings")
    assert ReplyScript.objects.get(pk=script.pk).version == 1

    browser.find_element(By.NAME, "override_reason").send_keys("买家约定的暗号，主管确认")
    browser.find_element(By.CSS_SELECTOR, "form.card button[type=submit]").click()
    WebDriverWait(browser, 10).until(EC.url_contains("/scripts/"))
    WebDriverWait(browser, 10).until(lambda b: "/edit/" not in b.current_url)
    saved = ReplyScript.objects.get(pk=script.pk)
    assert (saved.body, saved.version) == ("在", 2)
    event = AuditEvent.objects.get(verb="script.etiquette_overridden")
    assert event.changes["reason"] == [None, "买家约定的暗号，主管确认"]
    screenshot("saved-with-reason")
