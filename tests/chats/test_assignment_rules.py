"""Busy (挂起) and a supervisor's assignment over the limit."""

import pytest
from django.core.exceptions import PermissionDenied

from accounts.roles import Role
from audit.models import AuditEvent
from chats.errors import AlreadyClaimed, OverLimit
from chats.models import AgentPresence, ChannelKind, ConversationState, PresenceStatus
from chats.services import (
    buyer_message_receive,
    conversation_assign,
    conversation_assign_auto,
    conversation_claim,
    presence_set,
)
from tests.factories import make_user

from .factories import make_channel, make_conversation

pytestmark = pytest.mark.django_db


def arrive(shop, now, nick):
    message, _ = buyer_message_receive(
        channel=make_channel(shop, ChannelKind.BRIDGE), buyer_nick=nick, text="在吗", now=now
    )
    return message.conversation


def test_a_busy_agent_gets_no_new_chats_but_keeps_theirs_and_may_claim(shop, now):
    agent = make_user(shop, Role.PRE_SALE)
    presence_set(actor=agent, status=PresenceStatus.ONLINE, now=now)
    held = arrive(shop, now, "甲")
    assert conversation_assign_auto(conversation_id=held.pk, now=now) == agent
    presence_set(actor=agent, status=PresenceStatus.BUSY, now=now)
    waiting = arrive(shop, now, "乙")
    assert conversation_assign_auto(conversation_id=waiting.pk, now=now) is None
    held.refresh_from_db()
    assert (held.assignee, held.state) == (agent, ConversationState.ACTIVE)
    conversation_claim(actor=agent, conversation=waiting, now=now)
    waiting.refresh_from_db()
    assert waiting.assignee == agent


def test_auto_assignment_passes_a_busy_agent_for_an_online_one(shop, now):
    busy = make_user(shop, Role.PRE_SALE)
    online = make_user(shop, Role.PRE_SALE)
    presence_set(actor=busy, status=PresenceStatus.BUSY, now=now)
    presence_set(actor=online, status=PresenceStatus.ONLINE, now=now)
    conversation = arrive(shop, now, "丙")
    assert conversation_assign_auto(conversation_id=conversation.pk, now=now) == online


def test_the_presence_form_takes_busy(shop, login, now):
    agent = make_user(shop, Role.PRE_SALE)
    response = login(agent).post("/chats/presence/", {"status": "busy"})
    assert response.status_code == 302
    assert AgentPresence.objects.get(user=agent).status == PresenceStatus.BUSY
    page = login(agent).get("/chats/").content.decode()
    assert 'data-testid="presence"' in page and 'value="online"' in page


@pytest.fixture
def full_agent(shop, now):
    shop.chat_limit_per_agent = 1
    shop.save()
    agent = make_user(shop, Role.PRE_SALE)
    conversation_claim(actor=agent, conversation=make_conversation(shop, now=now), now=now)
    return agent


def test_a_supervisor_is_told_the_agents_load_before_assigning_over_the_limit(
    shop, staff, full_agent, now
):
    waiting = make_conversation(shop, now=now)
    with pytest.raises(OverLimit, match=r"1/1") as refusal:
        conversation_assign(
            actor=staff[Role.SUPERVISOR], conversation=waiting, agent=full_agent, now=now
        )
    assert (refusal.value.load, refusal.value.limit) == (1, 1)
    waiting.refresh_from_db()
    assert waiting.assignee is None


def test_a_supervisor_who_confirms_assigns_over_the_limit_and_it_is_audited(
    shop, staff, full_agent, now
):
    waiting = make_conversation(shop, now=now)
    conversation_assign(
        actor=staff[Role.SUPERVISOR],
        conversation=waiting,
        agent=full_agent,
        now=now,
        over_limit_confirmed=True,
    )
    waiting.refresh_from_db()
    assert (waiting.assignee, waiting.state) == (full_agent, ConversationState.ACTIVE)
    event = AuditEvent.objects.get(verb="conversation.assigned_by_supervisor")
    assert event.actor == staff[Role.SUPERVISOR]
    assert event.changes["agent_load"][0] == "1/1"


def test_an_agent_may_not_assign_a_chat_to_someone(shop, staff, now):
    waiting = make_conversation(shop, now=now)
    with pytest.raises(PermissionDenied):
        conversation_assign(
            actor=staff[Role.PRE_SALE], conversation=waiting, agent=staff[Role.IN_SALE], now=now
        )
    waiting.refresh_from_db()
    assert waiting.assignee is None


def test_the_assign_page_asks_to_confirm_then_assigns(shop, staff, full_agent, login, now):
    waiting = make_conversation(shop, now=now)
    client = login(staff[Role.SUPERVISOR])
    url = f"/chats/{waiting.pk}/assign/"
    asked = client.post(url, {"agent": full_agent.pk}, HTTP_HX_REQUEST="true")
    assert asked.status_code == 200
    assert 'data-testid="assign-warning"' in asked.content.decode()
    waiting.refresh_from_db()
    assert waiting.assignee is None
    client.post(url, {"agent": full_agent.pk, "confirm": "on"}, HTTP_HX_REQUEST="true")
    waiting.refresh_from_db()
    assert waiting.assignee == full_agent


def test_an_agent_posting_to_assign_is_refused(shop, staff, login, now):
    waiting = make_conversation(shop, now=now)
    response = login(staff[Role.PRE_SALE]).post(
        f"/chats/{waiting.pk}/assign/", {"agent": staff[Role.PRE_SALE].pk, "confirm": "on"}
    )
    assert response.status_code == 403
    waiting.refresh_from_db()
    assert waiting.assignee is None


def test_a_held_chat_changes_hands_by_transfer_not_by_assignment(shop, staff, now):
    held = make_conversation(shop, now=now)
    conversation_claim(actor=staff[Role.PRE_SALE], conversation=held, now=now)
    with pytest.raises(AlreadyClaimed):
        conversation_assign(
            actor=staff[Role.SUPERVISOR], conversation=held, agent=staff[Role.IN_SALE], now=now
        )
    held.refresh_from_db()
    assert held.assignee == staff[Role.PRE_SALE]
