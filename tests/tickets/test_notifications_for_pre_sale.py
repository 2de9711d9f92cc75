"""A pre-sale agent's notifications: each links to its object (the chat a discount request
was about), and the page offers no after-sale links that would answer 403."""

from decimal import Decimal

import pytest

from accounts.roles import Role
from approvals.services import approval_decide, approval_request
from tests.chats.factories import make_conversation

pytestmark = pytest.mark.django_db


def test_a_pre_sale_agents_notification_links_its_chat_and_no_after_sale_page(
    shop, staff, now, login
):
    agent = staff[Role.PRE_SALE]
    conversation = make_conversation(shop, now=now)
    request = approval_request(
        actor=agent,
        shop=shop,
        kind="discount",
        amount=Decimal("30"),
        reason="老顾客想要再便宜30",
        subject=conversation,
        now=now,
    )
    approval_decide(actor=staff[Role.SUPERVISOR], request=request, approve=True, reason="", now=now)
    page = login(agent).get("/tickets/notifications/").content.decode()
    assert f'<a href="/chats/{conversation.pk}/">' in page
    assert 'href="/tickets/' not in page.replace('href="/tickets/notifications/"', "")
