"""The workspace and buyer pages: they render, escape buyer text, refuse other shops'
conversations and keep a fixed number of queries whatever the data size."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from chats.models import ChannelKind, Message, Sender
from chats.services import conversation_claim
from tests.factories import make_buyer, make_order, make_user

from .factories import make_channel, make_conversation, signed_post

pytestmark = pytest.mark.django_db

XSS = ['<script>alert("x")</script>', '<img src=x onerror="alert(1)">']


def test_workspace_lists_waiting_conversations(login, shop, staff, now):
    conversation = make_conversation(shop, now=now, buyer=make_buyer(shop, "小鹿乱撞"))
    client = login(staff[Role.PRE_SALE])
    response = client.get(reverse("chats:workspace") + "?view=waiting")
    assert response.status_code == 200
    assert "小鹿乱撞" in response.content.decode()
    page = client.get(reverse("chats:conversation", args=[conversation.pk]))
    assert page.status_code == 200 and "在吗？第0条" in page.content.decode()


@pytest.mark.parametrize("payload", XSS)
def test_buyer_text_is_escaped_on_agent_pages(client, login, shop, staff, now, payload):
    bridge = make_channel(shop, ChannelKind.BRIDGE)
    signed_post(
        client,
        bridge,
        {"message_id": "m1", "buyer_nick": payload, "text": payload, "sent_at": now.isoformat()},
    )
    message = Message.objects.get()
    assert message.text == payload
    agent = login(staff[Role.PRE_SALE])
    for url in (
        reverse("chats:workspace") + "?view=waiting",
        reverse("chats:conversation", args=[message.conversation_id]),
        reverse("chats:messages", args=[message.conversation_id]) + "?after=0",
    ):
        body = agent.get(url).content.decode()
        assert payload not in body
        assert "&lt;" in body


@pytest.mark.parametrize("payload", XSS)
def test_buyer_text_is_escaped_on_the_buyer_page(client, shop, payload):
    make_channel(shop)
    client.post(reverse("buyer_chat:chat", args=[shop.code]), {"nick": payload})
    client.post(reverse("buyer_chat:send", args=[shop.code]), {"text": payload})
    assert Message.objects.get().text == payload
    body = client.get(reverse("buyer_chat:chat", args=[shop.code])).content.decode()
    assert payload not in body and "&lt;" in body


def test_agent_of_another_shop_gets_404_on_pages_and_api(login, shop, other_shop, now):
    conversation = make_conversation(shop, now=now)
    outsider = make_user(other_shop, Role.SUPERVISOR)
    client = login(outsider)
    pk = conversation.pk
    for url in ("conversation", "messages", "scripts"):
        assert client.get(reverse(f"chats:{url}", args=[pk])).status_code == 404
    for url in ("reply", "claim", "close", "transfer", "concession", "check"):
        assert client.post(reverse(f"chats:{url}", args=[pk]), {"text": "hi"}).status_code == 404
    assert client.get(f"/api/v1/conversations/{pk}/").status_code == 404
    assert client.get("/api/v1/conversations/").json()["count"] == 0
    page = client.get(reverse("chats:workspace") + "?view=all").content.decode()
    assert conversation.buyer.nick not in page and "暂无会话" in page


def test_staff_without_a_shop_cannot_open_the_workspace(login, db):
    assert login(make_user()).get(reverse("chats:workspace")).status_code == 403


def test_supervisor_alerts_page_needs_supervisor(login, staff):
    assert login(staff[Role.PRE_SALE]).get(reverse("chats:alerts")).status_code == 403
    assert login(staff[Role.SUPERVISOR]).get(reverse("chats:alerts")).status_code == 200


def _fill(shop, now, count, agent):
    for _ in range(count):
        make_conversation(shop, now=now, messages=3, assignee=agent, state="active")


def test_queue_page_queries_do_not_grow_with_conversations(
    login, shop, staff, now, django_assert_max_num_queries
):
    agent = staff[Role.PRE_SALE]
    client = login(agent)
    _fill(shop, now, 2, agent)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("chats:queue") + "?view=all").status_code == 200
    _fill(shop, now, 20, agent)
    with django_assert_max_num_queries(len(small)):
        assert client.get(reverse("chats:queue") + "?view=all").status_code == 200


def test_conversation_page_queries_do_not_grow_with_messages(
    login, shop, staff, now, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    agent = staff[Role.PRE_SALE]
    client = login(agent)
    buyer = make_buyer(shop)
    for _ in range(2):
        make_order(shop, buyer)
    conversation = make_conversation(shop, now=now, buyer=buyer, assignee=agent, state="active")
    url = reverse("chats:conversation", args=[conversation.pk])
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    channel = conversation.channel
    Message.objects.bulk_create(
        Message(conversation=conversation, channel=channel, sender=s, text="好的", sent_at=now)
        for s in [Sender.BUYER, Sender.AGENT] * 60
    )
    for _ in range(8):
        make_order(shop, buyer)
        make_conversation(shop, now=now, buyer=buyer, channel=channel, state="closed")
    _fill(shop, now, 10, agent)
    with django_assert_max_num_queries(len(small)):
        assert client.get(url).status_code == 200


def test_a_pre_sale_agent_hands_a_case_to_after_sale_instead_of_a_ticket_they_cannot_open(
    shop, staff, now, login
):
    from tests.chats.factories import make_conversation

    conversation = make_conversation(shop, now=now)
    conversation_claim(actor=staff[Role.PRE_SALE], conversation=conversation, now=now)
    page = login(staff[Role.PRE_SALE]).get(f"/chats/{conversation.pk}/").content.decode()
    assert "/tickets/new/" not in page
    assert 'data-open-transfer="after_sale"' in page and 'id="transfer-action"' in page
    after_sale = login(staff[Role.AFTER_SALE]).get(f"/chats/{conversation.pk}/").content.decode()
    assert "/tickets/new/?buyer=" in after_sale
