"""A reply written before the buyer's newest messages is held once, showing them; sent
again with them seen, it goes."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from chats.errors import UnseenBuyerMessages
from chats.models import Message, Sender
from chats.services import conversation_reply
from chats.services.collision import unseen_buyer_messages
from tests.chats.factories import make_conversation
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(shop):
    return make_user(shop, Role.PRE_SALE, username="xiaomei", display_name="小美")


@pytest.fixture
def conversation(shop, now, agent):
    return make_conversation(shop, now=now, assignee=agent, state="active")


def buyer_writes(conversation, text, now):
    return Message.objects.create(
        conversation=conversation,
        channel=conversation.channel,
        sender=Sender.BUYER,
        text=text,
        sent_at=now,
    )


def test_reply_after_a_new_buyer_message_is_held_and_nothing_is_written(conversation, agent, now):
    seen = conversation.messages.get()
    newer = buyer_writes(conversation, "改成蓝色的吧", now)
    with pytest.raises(UnseenBuyerMessages) as held:
        conversation_reply(
            actor=agent, conversation=conversation, text="好的亲", now=now, seen_message_id=seen.pk
        )
    assert held.value.messages == [newer]
    assert "1 条消息" in str(held.value)
    assert not conversation.messages.filter(sender=Sender.AGENT).exists()

    sent = conversation_reply(
        actor=agent, conversation=conversation, text="好的亲", now=now, seen_message_id=newer.pk
    )
    assert sent.sender == Sender.AGENT


def test_own_and_internal_messages_do_not_hold_a_reply(conversation, agent, now):
    seen = conversation.messages.get()
    conversation_reply(actor=agent, conversation=conversation, text="在的", now=now)
    assert (
        unseen_buyer_messages(actor=agent, conversation=conversation, seen_message_id=seen.pk) == []
    )


def test_another_shops_staff_cannot_read_unseen_messages(conversation, other_shop):
    from django.core.exceptions import PermissionDenied

    stranger = make_user(other_shop, Role.MANAGER, username="stranger")
    with pytest.raises(PermissionDenied):
        unseen_buyer_messages(actor=stranger, conversation=conversation, seen_message_id=0)


def test_composer_shows_the_new_messages_and_sends_when_they_are_seen(
    client, conversation, agent, now
):
    seen = conversation.messages.get()
    newer = buyer_writes(conversation, "还有红色吗", now)
    client.force_login(agent)
    url = reverse("chats:reply", args=[conversation.pk])
    headers = {"HX-Request": "true"}

    held = client.post(url, {"text": "有的亲", "seen": seen.pk}, headers=headers)
    html = held.content.decode()
    assert held.status_code == 200
    assert held["HX-Retarget"] == "#draft-findings"
    assert "还有红色吗" in html
    assert f'data-seen-through="{newer.pk}"' in html
    assert not conversation.messages.filter(sender=Sender.AGENT).exists()

    sent = client.post(url, {"text": "有的亲", "seen": newer.pk}, headers=headers)
    assert sent.status_code == 204
    assert conversation.messages.filter(sender=Sender.AGENT).count() == 1


def test_the_composer_carries_the_newest_message_seen(client, conversation, agent):
    client.force_login(agent)
    page = client.get(reverse("chats:conversation", args=[conversation.pk])).content.decode()
    assert f'name="seen" value="{conversation.messages.get().pk}"' in page
