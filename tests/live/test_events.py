"""publish(): after commit only, ids and kind only, to the right topics."""

import pytest
from django.db import transaction

from accounts.roles import Role
from chats.models import ChannelKind
from chats.services import (
    buyer_message_receive,
    conversation_claim,
    conversation_reply,
    conversation_transfer,
)
from live.events import publish
from tests.chats.factories import make_channel, make_conversation

pytestmark = pytest.mark.django_db


def test_an_event_leaves_only_after_the_commit(sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        publish("queue", shop_id=7, conversation=3, assignee=None)
    assert sent == []
    for callback in callbacks:
        callback()
    assert sent == [
        ("shop:7", {"kind": "queue", "shop": 7, "user": None, "conversation": 3, "assignee": None})
    ]


def test_a_rolled_back_change_is_never_announced(sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                publish("queue", shop_id=7, conversation=3)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert sent == []


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        publish("typing", shop_id=1)


def test_a_buyer_message_tells_the_shop_and_the_buyers_page(
    sent, shop, now, django_capture_on_commit_callbacks
):
    channel = make_channel(shop)
    with django_capture_on_commit_callbacks(execute=True):
        message, _ = buyer_message_receive(channel=channel, buyer_nick="小鹿", text="在吗", now=now)
    events = [(topic, event) for topic, event in sent if event["kind"] == "message"]
    topics = {topic for topic, _event in events}
    assert topics == {f"shop:{shop.pk}", f"conversation:{message.conversation_id}"}
    payload = events[0][1]
    assert payload["message"] == message.pk and payload["conversation"] == message.conversation_id
    assert "text" not in payload and "在吗" not in str(payload)


def test_a_reply_a_claim_and_an_internal_note(
    sent, shop, staff, now, django_capture_on_commit_callbacks
):
    agent = staff[Role.PRE_SALE]
    conversation = make_conversation(shop, now=now)
    with django_capture_on_commit_callbacks(execute=True):
        conversation_claim(actor=agent, conversation=conversation, now=now)
    assert (f"shop:{shop.pk}", "queue", agent.pk) in {
        (topic, e["kind"], e.get("assignee")) for topic, e in sent
    }
    sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        conversation_reply(actor=agent, conversation=conversation, text="您好，在的", now=now)
    assert {topic for topic, e in sent if e["kind"] == "message"} == {
        f"shop:{shop.pk}",
        f"conversation:{conversation.pk}",
    }
    sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        conversation_transfer(
            actor=agent,
            conversation=conversation,
            now=now,
            reason="售后问题",
            wants="退货",
            todo="处理退货",
            to_queue="after_sale",
        )
    # The handover note is internal: the buyer's page hears nothing of it.
    assert all(not topic.startswith("conversation:") for topic, _e in sent)
    queue_events = [e for _t, e in sent if e["kind"] == "queue"]
    assert queue_events and queue_events[-1]["from"] == agent.pk


def test_a_bridge_conversation_publishes_too(sent, shop, now, django_capture_on_commit_callbacks):
    channel = make_channel(shop, kind=ChannelKind.BRIDGE)
    with django_capture_on_commit_callbacks(execute=True):
        buyer_message_receive(channel=channel, buyer_nick="阿木", text="发货了吗", now=now)
    assert any(e["kind"] == "message" for _t, e in sent)


def test_who_is_on_a_ticket_reaches_the_shop_at_once(sent, shop, staff, now):
    """Presence marks live in the cache, so their event does not wait for a commit."""
    from presence.services import presence_mark
    from tests.tickets.factories import make_ticket
    from tickets.models import TicketType

    ticket = make_ticket(shop, TicketType.INVOICE, now)
    presence_mark(actor=staff[Role.AFTER_SALE], target=ticket, now=now)
    assert sent == [
        (
            f"shop:{shop.pk}",
            {"kind": "presence_ticket", "shop": shop.pk, "user": None, "object": ticket.pk},
        )
    ]


def test_presence_events_reach_only_roles_that_may_see_the_object(memory_layer, shop, staff):
    from live.streams import agent_may_receive

    event = {"kind": "presence_ticket", "shop": shop.pk, "object": 1}
    assert agent_may_receive(staff[Role.AFTER_SALE], [shop.pk], event)
    assert not agent_may_receive(staff[Role.PRE_SALE], [shop.pk], event)
