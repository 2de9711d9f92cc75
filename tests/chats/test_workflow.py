"""Assignment, replies and response figures, the automatic greeting, alerts, closing."""

from datetime import timedelta

import pytest

from accounts.roles import Role
from approvals.models import Notification
from audit.models import AuditEvent
from chats.errors import AlreadyClaimed, ChatError, ConversationClosed
from chats.models import (
    AgentPresence,
    ChannelKind,
    ConversationState,
    Handover,
    Message,
    OutboxMessage,
    PresenceStatus,
    Queue,
    Sender,
)
from chats.services import (
    buyer_message_receive,
    close_idle,
    conversation_assign_auto,
    conversation_auto_greet,
    conversation_claim,
    conversation_close,
    conversation_reply,
    conversation_transfer,
    presence_set,
    survey_answer,
    survey_token,
)
from chats.services.watch import alert_unanswered, greet_due
from tests.factories import make_order, make_user

from .factories import make_channel

pytestmark = pytest.mark.django_db


def receive(channel, now, text="在吗", nick="阳光下的向日葵", **kwargs):
    message, _ = buyer_message_receive(
        channel=channel, buyer_nick=nick, text=text, now=now, **kwargs
    )
    return message.conversation


@pytest.fixture
def channel(shop):
    return make_channel(shop, ChannelKind.BRIDGE)


def online(user, now):
    return presence_set(actor=user, status=PresenceStatus.ONLINE, now=now)


def test_new_conversation_goes_to_the_least_loaded_online_pre_sale_agent(shop, channel, now):
    busy = make_user(shop, Role.PRE_SALE)
    free = make_user(shop, Role.PRE_SALE)
    away = make_user(shop, Role.PRE_SALE)
    for agent in (busy, free):
        online(agent, now)
    AgentPresence.objects.create(user=away, changed_at=now, last_seen_at=now)
    first = receive(channel, now, nick="买家甲")
    assert conversation_assign_auto(conversation_id=first.pk, now=now) in (busy, free)
    holder = first.__class__.objects.get(pk=first.pk).assignee
    second = receive(channel, now, nick="买家乙")
    other = conversation_assign_auto(conversation_id=second.pk, now=now)
    assert other is not None and other != holder and other != away


def test_nobody_gets_more_than_the_shop_limit(shop, channel, now):
    shop.chat_limit_per_agent = 1
    shop.save()
    agent = make_user(shop, Role.PRE_SALE)
    online(agent, now)
    first = receive(channel, now, nick="甲")
    second = receive(channel, now, nick="乙")
    assert conversation_assign_auto(conversation_id=first.pk, now=now) == agent
    assert conversation_assign_auto(conversation_id=second.pk, now=now) is None
    second.refresh_from_db()
    assert second.state == ConversationState.QUEUED
    with pytest.raises(ChatError):
        conversation_claim(actor=agent, conversation=second, now=now)


def test_claim_refuses_a_conversation_someone_else_holds(shop, channel, staff, now):
    conversation = receive(channel, now)
    conversation_claim(actor=staff[Role.PRE_SALE], conversation=conversation, now=now)
    with pytest.raises(AlreadyClaimed):
        conversation_claim(actor=staff[Role.SUPERVISOR], conversation=conversation, now=now)
    assert AuditEvent.objects.filter(verb="conversation.claimed").count() == 1


def test_reply_measures_first_and_average_response_on_human_replies(shop, channel, staff, now):
    agent = staff[Role.PRE_SALE]
    conversation = receive(channel, now)
    conversation_auto_greet(conversation_id=conversation.pk, now=now + timedelta(seconds=9))
    conversation_reply(
        actor=agent, conversation=conversation, text="您好", now=now + timedelta(seconds=20)
    )
    receive(channel, now + timedelta(seconds=60), text="能便宜点吗")
    conversation_reply(
        actor=agent, conversation=conversation, text="您好", now=now + timedelta(seconds=100)
    )
    conversation.refresh_from_db()
    assert conversation.first_response_seconds == 20
    assert conversation.response_count == 2 and conversation.average_response_seconds == 30
    assert conversation.responses_within_3min == 2 and conversation.awaiting_reply_since is None
    assert conversation.assignee == agent and conversation.unread_count == 0


def test_a_bridged_reply_leaves_through_the_outbox_once(shop, channel, staff, now):
    conversation = receive(channel, now)
    message = conversation_reply(
        actor=staff[Role.PRE_SALE], conversation=conversation, text="您好", now=now
    )
    row = OutboxMessage.objects.get()
    assert row.key == f"reply:{message.pk}" and row.conversation == conversation


def test_a_queued_chat_is_greeted_without_an_empty_work_number(shop, channel, now):
    conversation = receive(channel, now)
    greeting = conversation_auto_greet(
        conversation_id=conversation.pk, now=now + timedelta(seconds=30)
    )
    assert greeting.sender == Sender.AUTO
    assert "客服号" not in greeting.text and "马上为您服务" in greeting.text


def test_the_greeting_fires_once_after_the_delay_with_the_agents_work_number(shop, channel, now):
    agent = make_user(shop, Role.PRE_SALE, work_number="1024")
    online(agent, now)
    conversation = receive(channel, now)
    conversation_assign_auto(conversation_id=conversation.pk, now=now)
    assert (
        conversation_auto_greet(conversation_id=conversation.pk, now=now + timedelta(seconds=7))
        is None
    )
    greeting = conversation_auto_greet(
        conversation_id=conversation.pk, now=now + timedelta(seconds=8)
    )
    assert greeting.sender == Sender.AUTO and "1024" in greeting.text
    assert greet_due(shop=None, now=now + timedelta(seconds=30)) == {"sent": 0, "skipped": 0}
    assert (
        conversation_auto_greet(conversation_id=conversation.pk, now=now + timedelta(seconds=9))
        is None
    )
    conversation.refresh_from_db()
    assert conversation.auto_greeted_at == now + timedelta(seconds=8)
    assert conversation.first_response_seconds is None


def test_no_greeting_when_an_agent_answered_in_time(shop, channel, staff, now):
    conversation = receive(channel, now)
    conversation_reply(actor=staff[Role.PRE_SALE], conversation=conversation, text="您好", now=now)
    assert greet_due(shop=shop, now=now + timedelta(seconds=60))["sent"] == 0


def test_the_sweep_greets_what_the_countdown_missed(shop, channel, now):
    conversation = receive(channel, now)
    assert greet_due(shop=shop, now=now + timedelta(seconds=10)) == {"sent": 1, "skipped": 0}
    assert Message.objects.filter(conversation=conversation, sender=Sender.AUTO).count() == 1


def test_unanswered_buyer_turns_red_and_alerts_supervisors_once(shop, channel, staff, now):
    conversation = receive(channel, now)
    assert alert_unanswered(shop=shop, now=now + timedelta(seconds=99))["sent"] == 0
    later = now + timedelta(seconds=100)
    assert alert_unanswered(shop=shop, now=later)["sent"] == 1
    assert alert_unanswered(shop=shop, now=later)["sent"] == 0
    conversation.refresh_from_db()
    assert conversation.is_overdue(later)
    notified = set(Notification.objects.values_list("user__username", flat=True))
    assert notified == {"supervisor_a", "manager_a"}


def test_transfer_to_the_after_sale_queue_keeps_a_handover_note(shop, channel, staff, now):
    agent = staff[Role.PRE_SALE]
    conversation = receive(channel, now)
    conversation_claim(actor=agent, conversation=conversation, now=now)
    with pytest.raises(ChatError):
        conversation_transfer(
            actor=agent,
            conversation=conversation,
            now=now,
            reason="",
            wants="x",
            todo="y",
            to_queue=Queue.AFTER_SALE,
        )
    conversation_transfer(
        actor=agent,
        conversation=conversation,
        now=now,
        reason="收到的衣服有破损",
        wants="换一件新的",
        todo="核对照片后安排换货",
        to_queue=Queue.AFTER_SALE,
    )
    conversation.refresh_from_db()
    assert conversation.queue == Queue.AFTER_SALE and conversation.assignee is None
    assert conversation.state == ConversationState.QUEUED
    note = Handover.objects.get()
    assert note.from_queue == Queue.PRE_SALE and note.wants == "换一件新的"
    internal = Message.objects.get(conversation=conversation, is_internal=True)
    assert "收到的衣服有破损" in internal.text and channel.name in internal.text
    assert OutboxMessage.objects.count() == 0


def test_transfer_to_another_agent_notifies_them(shop, channel, staff, now):
    conversation = receive(channel, now)
    conversation_claim(actor=staff[Role.PRE_SALE], conversation=conversation, now=now)
    colleague = make_user(shop, Role.PRE_SALE)
    conversation_transfer(
        actor=staff[Role.PRE_SALE],
        conversation=conversation,
        now=now,
        reason="交班",
        wants="问尺码",
        todo="按档案推荐 M 码",
        to_agent=colleague,
    )
    conversation.refresh_from_db()
    assert conversation.assignee == colleague
    assert Notification.objects.filter(user=colleague).exists()


def test_close_sends_thanks_and_a_survey_answered_once(shop, channel, staff, now):
    agent = staff[Role.PRE_SALE]
    conversation = receive(channel, now)
    order = make_order(shop, conversation.buyer, paid_at=now)
    conversation_reply(actor=agent, conversation=conversation, text="您好", now=now)
    conversation_close(actor=agent, conversation=conversation, outcome="paid", order=order, now=now)
    conversation.refresh_from_db()
    assert conversation.state == ConversationState.CLOSED and conversation.outcome_order == order
    survey = Message.objects.get(conversation=conversation, sender=Sender.SYSTEM)
    token = survey.text.rsplit("/c/survey/", 1)[1].rstrip("/")
    assert OutboxMessage.objects.filter(kind="survey").count() == 1
    survey_answer(token=token, rating=5, now=now)
    with pytest.raises(ChatError):
        survey_answer(token=token, rating=1, now=now)
    conversation.refresh_from_db()
    assert conversation.csat_rating == 5
    with pytest.raises(ConversationClosed):
        conversation_reply(actor=agent, conversation=conversation, text="在吗", now=now)


def test_survey_page_accepts_one_rating(client, shop, channel, staff, now):
    conversation = receive(channel, now)
    conversation_close(
        actor=staff[Role.PRE_SALE], conversation=conversation, outcome="no_sale", now=now
    )
    url = f"/c/survey/{survey_token(conversation)}/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"rating": "4"}).status_code == 200
    assert client.post(url, {"rating": "1"}).status_code == 400
    conversation.refresh_from_db()
    assert conversation.csat_rating == 4
    assert client.get("/c/survey/forged-token/").status_code == 404


def test_paid_outcome_needs_the_buyers_paid_order(shop, channel, staff, now):
    conversation = receive(channel, now)
    stranger_order = make_order(shop, paid_at=now)
    with pytest.raises(ChatError):
        conversation_close(
            actor=staff[Role.PRE_SALE],
            conversation=conversation,
            outcome="paid",
            order=stranger_order,
            now=now,
        )


def answered(channel, staff, now, nick):
    conversation = receive(channel, now, nick=nick)
    conversation_reply(actor=staff[Role.PRE_SALE], conversation=conversation, text="您好", now=now)
    return conversation


def test_idle_conversations_close_themselves_once(shop, channel, staff, now):
    conversation = answered(channel, staff, now, "一个买家")
    fresh = answered(channel, staff, now + timedelta(minutes=25), "另一个买家")
    later = now + timedelta(minutes=31)
    assert close_idle(shop=None, now=later) == {"closed": 1, "handed": 0, "skipped": 0}
    assert close_idle(shop=None, now=later) == {"closed": 0, "handed": 0, "skipped": 0}
    conversation.refresh_from_db()
    fresh.refresh_from_db()
    assert conversation.state == ConversationState.CLOSED
    assert fresh.state != ConversationState.CLOSED


def test_an_unanswered_buyer_is_never_closed_away(shop, channel, staff, now):
    conversation = receive(channel, now)
    conversation_claim(actor=staff[Role.PRE_SALE], conversation=conversation, now=now)
    conversation_auto_greet(conversation_id=conversation.pk, now=now + timedelta(seconds=10))
    much_later = now + timedelta(hours=5)
    assert close_idle(shop=shop, now=much_later) == {"closed": 0, "handed": 0, "skipped": 0}
    conversation.refresh_from_db()
    assert conversation.state == ConversationState.ACTIVE
    assert conversation.is_overdue(much_later)


def test_an_unanswered_buyer_nobody_took_goes_to_a_supervisor_once(shop, channel, staff, now):
    conversation = receive(channel, now)
    assert close_idle(shop=shop, now=now + timedelta(minutes=29))["handed"] == 0
    later = now + timedelta(minutes=31)
    assert close_idle(shop=shop, now=later) == {"closed": 0, "handed": 1, "skipped": 0}
    assert close_idle(shop=shop, now=later) == {"closed": 0, "handed": 0, "skipped": 0}
    conversation.refresh_from_db()
    supervisor = staff[Role.SUPERVISOR]
    assert conversation.state == ConversationState.ACTIVE
    assert conversation.assignee == supervisor
    assert conversation.awaiting_reply_since == now
    assert Notification.objects.get(user=supervisor).link.endswith(f"/{conversation.pk}/")


def test_run_job_closes_idle_conversations(shop, channel, staff, now, capsys):
    import json

    from django.core.management import call_command

    answered(channel, staff, now, "买家")
    later = (now + timedelta(hours=1)).isoformat()
    call_command("run_job", "close_idle_conversations", "--at", later, "--json")
    assert json.loads(capsys.readouterr().out) == {
        "job": "close_idle_conversations",
        "closed": 1,
        "handed": 0,
        "skipped": 0,
    }


def test_a_message_after_closing_opens_a_new_conversation(shop, channel, staff, now):
    conversation = receive(channel, now)
    conversation_close(
        actor=staff[Role.PRE_SALE], conversation=conversation, outcome="spam", now=now
    )
    assert receive(channel, now).pk != conversation.pk


def test_buyer_text_over_the_limit_is_refused(shop, channel, now):
    from chats.errors import InvalidMessage
    from chats.models import MAX_MESSAGE_LENGTH

    with pytest.raises(InvalidMessage):
        receive(channel, now, text="啊" * (MAX_MESSAGE_LENGTH + 1))


def test_an_online_agent_whose_workspace_stopped_polling_gets_nothing(shop, channel, now):
    from chats.services.assignment import presence_seen

    agent = make_user(shop, Role.PRE_SALE)
    online(agent, now)
    later = now + timedelta(minutes=5)
    conversation = receive(channel, later)
    assert conversation_assign_auto(conversation_id=conversation.pk, now=later) is None
    presence_seen(actor=agent, now=later)
    assert conversation_assign_auto(conversation_id=conversation.pk, now=later) == agent


def test_a_full_agent_is_told_their_load_and_what_to_do(shop, now):
    from chats.errors import ChatError
    from chats.services import conversation_claim
    from tests.chats.factories import make_conversation
    from tests.factories import make_user

    shop.chat_limit_per_agent = 1
    shop.save()
    agent = make_user(shop, Role.PRE_SALE)
    conversation_claim(actor=agent, conversation=make_conversation(shop, now=now), now=now)
    with pytest.raises(
        ChatError,
        match=r"正在接待 1/1 个会话，已到上限。.*挂起.*结束或转接.*请主管把这个会话分配给你",
    ):
        conversation_claim(actor=agent, conversation=make_conversation(shop, now=now), now=now)
