"""The home page's workbench cards: what waits in each queue the user may open."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from accounts.workbench import workbench_cards
from chats.models import ConversationState
from tests.chats.factories import make_conversation
from tests.orders.factories import make_problem
from tests.reviews.factories import make_review
from tests.tickets.factories import make_ticket
from tickets.states import TicketType

pytestmark = pytest.mark.django_db


def _figures(user):
    return {
        str(card.title): {str(f.label): f.count for f in card.figures}
        for card in workbench_cards(user, now=timezone.now())
    }


def test_each_role_gets_only_the_cards_of_the_queues_it_may_open(staff):
    assert set(_figures(staff[Role.PRE_SALE])) == {"会话"}
    assert set(_figures(staff[Role.AFTER_SALE])) >= {"售后工单"}
    assert "审批" not in _figures(staff[Role.AFTER_SALE])
    assert {"会话", "问题订单", "售后工单", "中差评", "审批"} <= set(_figures(staff[Role.MANAGER]))


def test_counts_cover_the_users_shops_and_not_a_foreign_one(staff, shop, other_shop):
    now = timezone.now()
    agent = staff[Role.IN_SALE]
    make_problem(shop, now)
    make_problem(shop, now, assignee=agent, due_at=now - timedelta(minutes=1))
    make_problem(other_shop, now)
    make_conversation(shop, now=now)
    make_conversation(shop, now=now, state=ConversationState.ACTIVE, assignee=agent)
    make_conversation(other_shop, now=now)
    figures = _figures(agent)
    assert figures["问题订单"] == {"未认领": 1, "我的": 1, "已超时": 1}
    assert figures["会话"]["排队等待"] == 1 and figures["会话"]["我的会话"] == 1


def test_tickets_and_reviews_cards(staff, shop, other_shop):
    now = timezone.now()
    make_ticket(shop, TicketType.DAMAGED, now)
    make_ticket(other_shop, TicketType.DAMAGED, now)
    make_review(shop)
    make_review(other_shop)
    figures = _figures(staff[Role.MANAGER])
    assert figures["售后工单"]["未分配"] == 1
    assert figures["中差评"]["新评价"] == 1


def test_home_page_queries_do_not_grow_with_the_queues(login, staff, shop):
    client = login(staff[Role.MANAGER])

    def queries_after_adding(count):
        now = timezone.now()
        for _ in range(count):
            make_problem(shop, now)
            make_ticket(shop, TicketType.DAMAGED, now)
            make_review(shop)
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/").content.decode()
        assert "售后工单" in page and "?assignee=me" in page
        return len(queries)

    assert queries_after_adding(1) == queries_after_adding(5)
