"""The keyset pager (helpdesk/keyset.py) as a supervisor uses it: older and newer pages of
the audit log with a filter kept, and an edited link answered with the newest page."""

from datetime import timedelta

import pytest
from selenium.webdriver.common.by import By

from accounts.roles import Role
from audit.models import AuditEvent
from tests.factories import make_order, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def first_row(browser) -> str:
    return browser.find_element(By.CSS_SELECTOR, "#audit-rows tbody tr").text


def test_supervisor_pages_the_audit_log_older_and_back_keeping_the_filter(
    browser, live_server, log_in, screenshot, shop, now
):
    AuditEvent.objects.bulk_create(
        AuditEvent(
            shop=shop,
            verb="review.contacted" if n % 2 else "ticket.created",
            object_type="ticket",
            object_id=str(n),
            object_repr=f"#{n}",
            created_at=now - timedelta(minutes=n // 3),
        )
        for n in range(240)
    )
    log_in(make_user(shop, Role.SUPERVISOR, display_name="李静", work_number="7001"))
    browser.get(f"{live_server.url}/audit/?verb=review")
    pager = browser.find_element(By.CSS_SELECTOR, "nav.keyset-pager")
    assert "共 120 条" in pager.text and "更早 →" in pager.text
    newest = first_row(browser)
    screenshot("newest")
    pager.find_element(By.LINK_TEXT, "更早 →").click()
    browser.find_element(By.LINK_TEXT, "← 较新")
    assert "verb=review" in browser.current_url and "cursor=" in browser.current_url
    assert first_row(browser) != newest
    screenshot("older")
    browser.find_element(By.LINK_TEXT, "更早 →").click()
    rows = browser.find_elements(By.CSS_SELECTOR, "#audit-rows tbody tr")
    assert len(rows) == 20
    assert browser.find_element(By.CSS_SELECTOR, "nav.keyset-pager .disabled").text == "更早 →"
    browser.find_element(By.LINK_TEXT, "« 最新").click()
    browser.find_element(By.CSS_SELECTOR, "nav.keyset-pager .disabled")
    assert first_row(browser) == newest and "verb=review" in browser.current_url
    browser.get(f"{live_server.url}/audit/?verb=review&cursor=edited")
    assert "翻页位置无效" in browser.find_element(By.CSS_SELECTOR, "#audit-rows").text
    assert first_row(browser) == newest
    screenshot("refused")


def test_the_orders_list_pages_to_orders_past_the_first_fifty(
    browser, live_server, log_in, screenshot, shop, now
):
    for n in range(55):
        make_order(
            shop, order_id=f"{4_000_000_000_000_000 + n}", ordered_at=now - timedelta(hours=n)
        )
    log_in(make_user(shop, Role.IN_SALE, display_name="小雨", work_number="3001"))
    browser.get(f"{live_server.url}/orders/")
    assert "共 55 条" in browser.find_element(By.CSS_SELECTOR, "nav.keyset-pager").text
    screenshot("newest")
    browser.find_element(By.LINK_TEXT, "更早 →").click()
    rows = browser.find_elements(By.CSS_SELECTOR, "#order-rows tbody tr")
    assert [row.text.split()[0] for row in rows] == [
        f"{4_000_000_000_000_000 + n}" for n in range(50, 55)
    ]
    screenshot("older")
