"""Notes, tags, webhooks and routing rules, clicked through in headless Chromium."""

import pytest
from django.core.management import call_command
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from accounts.roles import Role
from approvals.models import Notification
from teamwork.models import AgentGroup, Tag, WebhookDelivery
from tests.factories import make_user
from tests.teamwork.receiver import receiver
from tests.tickets.factories import make_ticket
from tickets.models import TicketType

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _wait_for(browser, selector, text):
    """Wait for ``text``; an element read while the page navigates away is looked up
    again (Chromium reports it as stale or as a node of another document)."""
    WebDriverWait(
        browser, 15, ignored_exceptions=[StaleElementReferenceException, WebDriverException]
    ).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, selector), text))


def test_agent_notes_a_ticket_mentions_a_colleague_and_tags_it(
    browser, live_server, log_in, screenshot, shop, now
):
    agent = make_user(shop, Role.AFTER_SALE, display_name="大飞", work_number="3001")
    colleague = make_user(shop, Role.AFTER_SALE, display_name="阿杰", work_number="3002")
    Tag.objects.create(team=shop.team, name="易纠纷", colour="#d92d20", created_at=now)
    ticket = make_ticket(shop, TicketType.REFUND_ONLY, now, actor=agent)
    log_in(agent)
    browser.get(f"{live_server.url}/tickets/{ticket.pk}/")
    panel = f"#notes-ticket-{ticket.pk}"
    browser.find_element(By.CSS_SELECTOR, f"{panel} textarea").send_keys(
        "@3002 买家情绪激动，先别拒绝"
    )
    button = browser.find_element(By.CSS_SELECTOR, f"{panel} button[type=submit]")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()
    _wait_for(browser, f"{panel} .note-internal", "买家情绪激动")
    tags = f"#tags-ticket-{ticket.pk}"
    Select(browser.find_element(By.CSS_SELECTOR, f"{tags} select")).select_by_visible_text("易纠纷")
    add = browser.find_element(By.CSS_SELECTOR, f"{tags} .row-form button")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", add)
    add.click()
    _wait_for(browser, f"{tags} .tag", "易纠纷")
    screenshot("ticket-with-note-and-tag")
    notice = Notification.objects.get(user=colleague)
    assert notice.link.endswith(
        f"#note-{browser.find_element(By.CSS_SELECTOR, '.note-internal').get_attribute('id')[5:]}"
    )


def test_manager_registers_a_webhook_and_sends_a_test(
    browser, live_server, log_in, screenshot, shop, monkeypatch
):
    monkeypatch.setenv("HELPDESK_WEBHOOK_ALLOW_PRIVATE", "1")
    manager = make_user(shop, Role.MANAGER)
    log_in(manager)
    with receiver() as hook:
        browser.get(f"{live_server.url}/teamwork/webhooks/")
        browser.find_element(By.NAME, "url").send_keys(hook.url)
        browser.find_element(By.CSS_SELECTOR, "input[value='ticket.created']").click()
        browser.find_element(
            By.CSS_SELECTOR, "form button.primary[type=submit]:not([name])"
        ).click()
        _wait_for(browser, "table.grid", hook.url)
        browser.find_element(By.XPATH, "//button[text()='发送测试']").click()
        _wait_for(browser, "main", "webhook.test")
        call_command("run_job", "webhook_deliveries", "--json")
        browser.refresh()
        _wait_for(browser, "main", "已送达")
        screenshot("webhook-delivery-log")
    assert WebhookDelivery.objects.get().status == "sent"
    assert hook.requests[0]["headers"]["X-Helpdesk-Event"] == "webhook.test"


def test_supervisor_sets_up_a_group_and_a_rule_and_tests_it(
    browser, live_server, log_in, screenshot, shop
):
    supervisor = make_user(shop, Role.SUPERVISOR)
    make_user(shop, Role.PRE_SALE, display_name="阿胖", work_number="4001")
    make_user(shop, Role.PRE_SALE, display_name="小新", work_number="4002")
    log_in(supervisor)
    browser.get(f"{live_server.url}/teamwork/routing/")
    browser.find_element(By.NAME, "name").send_keys("大码专席")
    browser.find_element(By.XPATH, "//label[contains(., '阿胖')]").click()
    browser.find_element(By.XPATH, "//button[text()='新建分组']").click()
    _wait_for(browser, "main", "阿胖")
    form = browser.find_element(By.XPATH, "//button[text()='检验并保存']/ancestor::form")
    form.find_element(By.NAME, "name").send_keys("大码")
    form.find_element(By.NAME, "keywords").send_keys("大码,加大")
    form.find_element(By.NAME, "examples").send_keys("有没有大码")
    Select(form.find_element(By.NAME, "group")).select_by_visible_text("大码专席")
    form.find_element(By.XPATH, ".//button[text()='检验并保存']").click()
    _wait_for(browser, "main", "规则已保存")
    browser.find_element(By.NAME, "text").send_keys("这件有加大码吗")
    browser.find_element(By.XPATH, "//button[text()='测试']").click()
    _wait_for(browser, "[data-testid=routing-result]", "大码专席")
    screenshot("routing-rules")

    browser.find_element(By.LINK_TEXT, "编辑").click()
    keywords = browser.find_element(By.NAME, "keywords")
    assert keywords.get_attribute("value") == "大码, 加大"
    keywords.clear()
    keywords.send_keys("大码,加大,胖")
    browser.find_element(By.XPATH, "//button[text()='检验并保存']").click()
    WebDriverWait(browser, 15).until(lambda b: "/edit/" not in b.current_url)
    _wait_for(browser, "main", "规则已保存")
    assert "胖" in browser.find_element(By.CSS_SELECTOR, "table.grid").text
    browser.find_element(By.LINK_TEXT, "编辑成员").click()
    browser.find_element(By.XPATH, "//label[contains(., '小新')]").click()
    browser.find_element(By.XPATH, "//button[text()='保存分组']").click()
    _wait_for(browser, "main", "小新")
    group = AgentGroup.objects.get()
    assert sorted(m.label for m in group.members.all()) == ["小新 (4002)", "阿胖 (4001)"]
