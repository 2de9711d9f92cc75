"""Counts and pagers that stop at a cap (helpdesk/capped.py): "999+" past it, exact below
it, and still only over the rows the user may see."""

import pytest

from accounts.roles import Role
from audit.models import AuditEvent
from chats.models import ConversationState, OutboxStatus
from chats.selectors import queue_counts
from helpdesk import capped
from helpdesk.capped import CappedCount, CappedPaginator, capped_counts
from orders.models import ProblemCategory
from tests.chats.factories import make_conversation
from tests.orders.factories import make_problem
from tests.outreach.test_pages import outbox_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def cap_of(monkeypatch):
    def _cap(value: int) -> None:
        monkeypatch.setattr(capped, "CAP", value)

    return _cap


def events(shop, now, count: int) -> None:
    AuditEvent.objects.bulk_create(
        AuditEvent(
            shop=shop,
            verb="ticket.created",
            object_type="ticket",
            object_id=str(n),
            object_repr=f"#{n}",
            created_at=now,
        )
        for n in range(count)
    )


def test_a_count_past_the_cap_prints_with_a_plus_and_adds_up_to_the_cap():
    assert str(CappedCount(4, 3)) == "3+"
    assert str(CappedCount(3, 3)) == "3"
    assert sum([CappedCount(2, 3), CappedCount(1, 3)]) == 3
    assert str(sum([CappedCount(2, 3), CappedCount(2, 3)])) == "3+"


def test_capped_counts_read_each_filter_up_to_the_cap_in_one_query(
    shop, now, cap_of, django_assert_num_queries
):
    cap_of(3)
    events(shop, now, 5)
    rows = AuditEvent.objects.filter(shop=shop)
    with django_assert_num_queries(1):
        counts = capped_counts({"all": rows, "none": rows.filter(verb="nothing")})
    assert (str(counts["all"]), str(counts["none"])) == ("3+", "0")


def test_the_paginator_offers_only_the_pages_the_cap_fills(shop, now, cap_of):
    cap_of(120)
    events(shop, now, 500)
    paginator = CappedPaginator(AuditEvent.objects.order_by("-created_at", "-id"), 50)
    assert (paginator.count, paginator.num_pages, paginator.num_pages_label) == (121, 3, "3+")
    assert not paginator.get_page(3).has_next()


def test_the_audit_pager_says_more_past_the_cap_and_still_pages_beyond_it(
    login, staff, shop, now, cap_of
):
    cap_of(120)
    events(shop, now, 200)
    client = login(staff[Role.SUPERVISOR])
    first = client.get("/audit/").content.decode()
    assert "共 120+ 条" in first
    page = client.get("/audit/")
    for _ in range(3):  # the audit log pages by keyset: the cap does not end it
        page = client.get(f"/audit/?{page.context['page'].older_query}")
    assert page.status_code == 200 and len(page.context["page"]) == 50
    assert "共 120+ 条" in page.content.decode()


def test_the_audit_pager_counts_only_the_users_shops(login, staff, shop, other_shop, now, cap_of):
    cap_of(120)
    events(shop, now, 60)
    events(other_shop, now, 200)
    page = login(staff[Role.SUPERVISOR]).get("/audit/").content.decode()
    assert "共 60 条" in page


def test_outbox_badges_stop_at_the_cap_and_skip_other_shops(
    login, staff, shop, other_shop, now, cap_of
):
    cap_of(2)
    for n in range(3):
        outbox_row(shop, now, n=n)
    outbox_row(shop, now, status=OutboxStatus.FAILED, n=9)
    for n in range(3):
        outbox_row(other_shop, now, status=OutboxStatus.FAILED, n=10 + n)
    page = login(staff[Role.SUPERVISOR]).get("/outreach/").content.decode()
    assert "已发送 2+" in page
    assert "发送失败 1<" in page


def test_problem_category_badges_stop_at_the_cap_and_skip_other_shops(
    login, staff, shop, other_shop, now, cap_of
):
    cap_of(2)
    for _ in range(3):
        make_problem(shop, now, category=ProblemCategory.OUT_OF_STOCK)
    make_problem(shop, now, category=ProblemCategory.ADDRESS_CHANGE)
    for _ in range(3):
        make_problem(other_shop, now, category=ProblemCategory.ADDRESS_CHANGE)
    page = login(staff[Role.IN_SALE]).get("/orders/problems/").content.decode()
    assert 'data-category="out_of_stock">缺货 <b>2+</b>' in page
    assert 'data-category="address_change">改地址 <b>1</b>' in page
    assert '<span class="count">2+</span>' in page


def test_chat_badges_stop_at_the_cap_and_sum_unread_only_of_mine(
    staff, shop, other_shop, now, cap_of
):
    cap_of(3)
    agent = staff[Role.PRE_SALE]
    for _ in range(4):
        make_conversation(shop, now=now)
    make_conversation(shop, now=now, state=ConversationState.ACTIVE, assignee=agent, unread_count=2)
    make_conversation(shop, now=now, state=ConversationState.ACTIVE, assignee=agent, unread_count=5)
    make_conversation(other_shop, now=now)
    counts = queue_counts(agent)
    assert {key: str(value) for key, value in counts.items()} == {
        "mine": "2",
        "waiting": "3+",
        "unread": "3+",
    }
    cap_of(10)
    assert int(queue_counts(agent)["unread"]) == 7
