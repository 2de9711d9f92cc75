"""The conversations API and the refusals beside each success."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from chats.errors import AlreadyClaimed
from chats.services import conversation_close, conversation_transfer
from tests.factories import make_user

from .factories import make_conversation

pytestmark = pytest.mark.django_db


def test_api_lists_without_bodies_and_details_with_messages(login, shop, staff, now):
    conversation = make_conversation(shop, now=now, messages=2)
    client = login(staff[Role.PRE_SALE])
    listed = client.get("/api/v1/conversations/").json()
    assert listed["count"] == 1 and "messages" not in listed["results"][0]
    detail = client.get(f"/api/v1/conversations/{conversation.pk}/").json()
    assert [m["text"] for m in detail["messages"]] == ["在吗？第0条", "在吗？第1条"]


def test_api_list_queries_do_not_grow(login, shop, staff, now, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(staff[Role.PRE_SALE])
    agent = staff[Role.PRE_SALE]
    make_conversation(shop, now=now, assignee=agent, state="active")
    with CaptureQueriesContext(connection) as small:
        client.get("/api/v1/conversations/")
    for _ in range(15):
        make_conversation(shop, now=now, assignee=agent, state="active")
    with django_assert_num_queries(len(small)):
        assert client.get("/api/v1/conversations/").json()["count"] == 16


def test_an_agent_cannot_transfer_or_close_a_colleagues_conversation(shop, staff, now):
    holder = make_user(shop, Role.PRE_SALE)
    conversation = make_conversation(shop, now=now, assignee=holder, state="active")
    other = staff[Role.PRE_SALE]
    with pytest.raises(AlreadyClaimed):
        conversation_transfer(
            actor=other,
            conversation=conversation,
            now=now,
            reason="r",
            wants="w",
            todo="t",
            to_queue="in_sale",
        )
    with pytest.raises(AlreadyClaimed):
        conversation_close(actor=other, conversation=conversation, outcome="no_sale", now=now)
    conversation_close(
        actor=staff[Role.SUPERVISOR], conversation=conversation, outcome="no_sale", now=now
    )


def test_reply_to_a_colleagues_conversation_is_a_409(login, shop, staff, now):
    holder = make_user(shop, Role.PRE_SALE)
    conversation = make_conversation(shop, now=now, assignee=holder, state="active")
    response = login(staff[Role.PRE_SALE]).post(
        reverse("chats:reply", args=[conversation.pk]),
        {"text": "您好"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409


def test_the_bridge_endpoint_only_takes_post(client, shop):
    assert client.get("/api/v1/channels/1/messages").status_code == 405
