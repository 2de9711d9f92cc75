"""Night-time automatic answers: confident knowledge answers go out labelled, through the
outbox, once; the conversation stays in the queue; nothing for complaints, the buyer's own
order or small talk, nothing while the shop is open with an agent online."""

from pathlib import Path
from unittest import mock

import pytest

from audit.models import AuditEvent
from chats.models import (
    AgentPresence,
    ChannelKind,
    ConversationState,
    OutboxKind,
    OutboxMessage,
    PresenceStatus,
    Sender,
)
from chats.services.intake import buyer_message_receive
from knowledge.autoanswer import auto_answer
from knowledge.models import AutoAnswer, AutoAnswerSetting
from knowledge.services import knowledge_import
from knowledge.sources import forget_engines
from tests.chats.factories import make_channel
from tests.factories import at

KB = Path(__file__).parent / "eval" / "kb.csv"
NIGHT = at(2026, 11, 24, 2, 30)
DAY = at(2026, 11, 24, 10, 30)


@pytest.fixture
def knowledge_shop(shop):
    forget_engines()
    knowledge_import(actor=None, shop=shop, path=KB, now=NIGHT)
    AutoAnswerSetting.objects.create(shop=shop, enabled=True, updated_at=NIGHT)
    yield shop
    forget_engines()


def _receive(shop, text, *, now, kind=ChannelKind.BRIDGE, nick="夜猫子"):
    channel = shop.channels.filter(kind=kind).first() or make_channel(shop, kind=kind)
    message, _created = buyer_message_receive(channel=channel, buyer_nick=nick, text=text, now=now)
    return message


@pytest.mark.django_db(transaction=True)
def test_night_question_is_answered_once_through_the_outbox_and_stays_queued(knowledge_shop):
    with (
        mock.patch("chats.tasks.deliver_outbox_message.delay"),
        mock.patch("chats.tasks.assign_conversation.delay"),
        mock.patch("chats.tasks.greet_if_unanswered.apply_async"),
        mock.patch("knowledge.tasks.auto_answer_buyer_message") as task,
    ):
        message = _receive(knowledge_shop, "穿久了会起毛球吗", now=NIGHT)
        task.delay_on_commit.assert_called_once_with(message.pk)
        log = auto_answer(message_id=message.pk, now=NIGHT)
        assert auto_answer(message_id=message.pk, now=NIGHT) is None
    assert log.entry.key == "K07"
    reply = log.reply
    assert reply.sender == Sender.AUTO
    assert reply.text.startswith("【自动回复】") and "抗起球" in reply.text
    outbox = OutboxMessage.objects.get()
    assert (outbox.kind, outbox.text) == (OutboxKind.REPLY, reply.text)
    conversation = message.conversation
    conversation.refresh_from_db()
    assert conversation.state == ConversationState.QUEUED
    assert conversation.awaiting_reply_since is not None
    assert AutoAnswer.objects.count() == 1
    assert AuditEvent.objects.filter(verb="knowledge.auto_answered").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    [
        "我的快递到哪了",
        "衣服质量太差了，我要投诉",
        "你好",
        "今天天气怎么样",
        "订单3598127345612345怎么还没到",
        "包裹好几天没动静",
        "物流三天都没更新",
    ],
)
def test_never_answered_automatically(knowledge_shop, text):
    with mock.patch("knowledge.tasks.auto_answer_buyer_message"):
        message = _receive(knowledge_shop, text, now=NIGHT, kind=ChannelKind.WEBCHAT)
    assert auto_answer(message_id=message.pk, now=NIGHT) is None
    assert not message.conversation.messages.filter(sender=Sender.AUTO).exists()


@pytest.mark.django_db
def test_daytime_with_an_agent_online_leaves_it_to_the_agent(knowledge_shop, staff):
    AgentPresence.objects.create(
        user=staff["pre_sale"], status=PresenceStatus.ONLINE, changed_at=DAY, last_seen_at=DAY
    )
    message = _receive(knowledge_shop, "会起球吗", now=DAY, kind=ChannelKind.WEBCHAT)
    assert auto_answer(message_id=message.pk, now=DAY) is None
    later = _receive(knowledge_shop, "会起球吗", now=DAY, kind=ChannelKind.WEBCHAT, nick="b")
    # nobody online in the day: answered
    AgentPresence.objects.update(status=PresenceStatus.AWAY)
    assert auto_answer(message_id=later.pk, now=DAY) is not None


@pytest.mark.django_db
def test_shop_that_has_not_turned_it_on_gets_no_automatic_answer(knowledge_shop):
    AutoAnswerSetting.objects.update(enabled=False)
    message = _receive(knowledge_shop, "会起球吗", now=NIGHT, kind=ChannelKind.WEBCHAT)
    assert auto_answer(message_id=message.pk, now=NIGHT) is None
