"""The agent's actions in the live workspace run a fixed number of queries, whatever the
length of the conversation or the buyer's order history: reply, the message fetch that
follows it, claim and transfer (issue 17: action latency under 200 agents)."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from chats.models import AgentPresence, ChannelKind, PresenceStatus
from tests.factories import make_buyer, make_order, make_user

from .factories import make_channel, make_conversation

pytestmark = pytest.mark.django_db

# session, user, memberships, then the view's own queries; a message written takes the
# conversation's row lock first (post_message), one query even when the service holds it
REPLY_QUERIES = 16
MESSAGES_QUERIES = 7
CLAIM_QUERIES = 29
TRANSFER_QUERIES = 35

SIZES = [(2, 1), (20, 5)]  # (messages in the conversation, orders of the buyer)


@pytest.fixture
def agents(shop, now):
    pair = [make_user(shop, Role.PRE_SALE), make_user(shop, Role.PRE_SALE)]
    for agent in pair:
        AgentPresence.objects.create(user=agent, status=PresenceStatus.ONLINE, changed_at=now)
    return pair


def bridged(shop, now, *, messages, orders, **fields):
    buyer = make_buyer(shop)
    for n in range(orders):
        make_order(shop, buyer, state="waiting_payment" if n == 0 else "paid")
    channel = make_channel(shop, ChannelKind.BRIDGE)
    return make_conversation(
        shop, now=now, channel=channel, buyer=buyer, messages=messages, **fields
    )


@pytest.mark.parametrize(("messages", "orders"), SIZES)
def test_reply_runs_a_fixed_number_of_queries(
    login, shop, agents, now, messages, orders, django_assert_num_queries
):
    conversation = bridged(
        shop, now, messages=messages, orders=orders, assignee=agents[0], state="active"
    )
    client = login(agents[0])
    url = reverse("chats:reply", args=[conversation.pk])
    with django_assert_num_queries(REPLY_QUERIES):
        response = client.post(
            url, {"text": "好的亲，马上为您查询", "seen": 10**9}, HTTP_HX_REQUEST="true"
        )
    assert response.status_code == 204


@pytest.mark.parametrize(("messages", "orders"), SIZES)
def test_message_fetch_runs_a_fixed_number_of_queries(
    login, shop, agents, now, messages, orders, django_assert_num_queries
):
    conversation = bridged(
        shop,
        now,
        messages=messages,
        orders=orders,
        assignee=agents[0],
        state="active",
        unread_count=1,
    )
    client = login(agents[0])
    url = reverse("chats:messages", args=[conversation.pk]) + "?after=0"
    with django_assert_num_queries(MESSAGES_QUERIES):
        response = client.get(url, HTTP_HX_REQUEST="true")
    assert response.content.decode().count('class="msg msg-') == messages


@pytest.mark.parametrize(("messages", "orders"), SIZES)
def test_claim_runs_a_fixed_number_of_queries(
    login, shop, agents, now, messages, orders, django_assert_num_queries
):
    conversation = bridged(shop, now, messages=messages, orders=orders)
    client = login(agents[0])
    with django_assert_num_queries(CLAIM_QUERIES):
        response = client.post(
            reverse("chats:claim", args=[conversation.pk]), HTTP_HX_REQUEST="true"
        )
    assert response.status_code == 200
    conversation.refresh_from_db()
    assert conversation.assignee == agents[0]


@pytest.mark.parametrize(("messages", "orders"), SIZES)
def test_transfer_runs_a_fixed_number_of_queries(
    login, shop, agents, now, messages, orders, django_assert_num_queries
):
    conversation = bridged(
        shop, now, messages=messages, orders=orders, assignee=agents[0], state="active"
    )
    client = login(agents[0])
    form = {"reason": "下班交接", "wants": "问发货", "todo": "查物流", "to_agent": agents[1].pk}
    with django_assert_num_queries(TRANSFER_QUERIES):
        response = client.post(
            reverse("chats:transfer", args=[conversation.pk]), form, HTTP_HX_REQUEST="true"
        )
    assert response.status_code == 200
    conversation.refresh_from_db()
    assert conversation.assignee == agents[1]
