from datetime import timedelta

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By

from accounts.roles import Role
from chats.models import OutboxMessage, OutboxStatus
from tests.factories import make_user
from tests.outreach.factories import unpaid_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_supervisor_sees_the_setup_warning_and_retries_a_failed_message(
    browser, live_server, log_in, screenshot, shop
):
    now = timezone.now()
    order = unpaid_order(shop, ordered_at=now - timedelta(hours=2))
    OutboxMessage.objects.create(
        shop=shop,
        kind="payment_reminder",
        key=f"payment_reminder:{order.pk}",
        buyer=order.buyer,
        order=order,
        text="您好，订单已为您备好。",
        status=OutboxStatus.FAILED,
        attempts=8,
        last_error="消息桥回调超时（HTTP 504）",
        created_at=now,
        next_attempt_at=now,
    )
    log_in(make_user(shop, Role.SUPERVISOR, display_name="李静", work_number="7001"))
    browser.get(live_server.url + "/outreach/")
    page = browser.find_element(By.TAG_NAME, "main").text
    assert "没有催付、回访、签收回访、好评感谢话术" in page and "消息桥回调超时" in page
    screenshot("outbox")
    browser.find_element(By.CSS_SELECTOR, "form[action$='/retry/'] button").click()
    assert "已重新排队发送" in browser.find_element(By.CLASS_NAME, "flash").text
    assert OutboxMessage.objects.get().status == OutboxStatus.PENDING
    screenshot("retried")
