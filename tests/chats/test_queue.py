"""The queue pane: what each row says (preview, ageing on the server's clock, tags, order
state), one entry per buyer across shops, the agent's load, and agent groups once each."""

from datetime import timedelta

import pytest
import time_machine

from accounts.roles import Role
from chats.models import ChannelKind, ConversationState, Sender
from chats.selectors import Ageing, QueueView, agent_group_tabs, queue_page
from chats.services import buyer_message_receive, conversation_claim, conversation_reply
from chats.services.replies import post_message
from orders.states import OrderState
from teamwork.models import AgentGroup, Tag, TagLink, TagTarget
from tests.factories import make_buyer, make_order, make_shop, make_user

from .factories import make_channel, make_conversation

pytestmark = pytest.mark.django_db


def rows(user, now, view=QueueView.ALL):
    return [entry.conversation for entry in queue_page(user, view, now=now).entries]


@pytest.fixture
def agent(shop):
    return make_user(shop, Role.PRE_SALE)


@pytest.mark.parametrize(
    ("seconds", "state"),
    [
        (30, Ageing.FRESH),
        (99, Ageing.FRESH),
        (100, Ageing.NEARING),
        (179, Ageing.NEARING),
        (180, Ageing.OVER),
        (3600, Ageing.OVER),
    ],
)
def test_a_waiting_row_ages_by_the_three_minute_rule_on_the_servers_clock(
    shop, agent, now, seconds, state
):
    make_conversation(shop, now=now)
    later = now + timedelta(seconds=seconds)
    with time_machine.travel(later, tick=False):
        (row,) = rows(agent, later)
    assert (row.age, row.waited) == (state, seconds)


def test_an_answered_row_has_no_age(shop, agent, now):
    conversation = make_conversation(shop, now=now)
    conversation_reply(actor=agent, conversation=conversation, text="您好，在的", now=now)
    (row,) = rows(agent, now + timedelta(minutes=10))
    assert (row.age, row.waited) == (Ageing.ANSWERED, None)


def test_the_row_previews_the_latest_message_on_one_line(shop, agent, now):
    channel = make_channel(shop)
    message, _ = buyer_message_receive(
        channel=channel, buyer_nick="小鹿", text="这件  有\nXL 吗？", now=now
    )
    assert rows(agent, now)[0].last_message_preview == "这件 有 XL 吗？"
    conversation_reply(
        actor=agent, conversation=message.conversation, text="您好，XL 有货的" * 20, now=now
    )
    preview = rows(agent, now)[0].last_message_preview
    assert preview.startswith("您好，XL 有货的") and len(preview) == 80


def test_the_migration_backfills_previews_from_the_latest_message(shop, now):
    from importlib import import_module

    from django.apps import apps

    conversation = make_conversation(shop, now=now, messages=2)
    post_message(conversation, sender=Sender.SYSTEM, text="最后一条", now=now + timedelta(1))
    conversation.__class__.objects.update(last_message_preview="")
    migration = import_module("chats.migrations.0007_conversation_preview_and_busy_presence")
    migration.backfill_previews(apps, None)
    conversation.refresh_from_db()
    assert conversation.last_message_preview == "最后一条"


def test_the_row_shows_tags_and_the_buyers_latest_order_state_in_that_shop(shop, agent, now):
    buyer = make_buyer(shop, nick="老顾客")
    make_order(shop, buyer, state=OrderState.FINISHED, ordered_at=now - timedelta(days=9))
    make_order(shop, buyer, state=OrderState.WAITING_PAYMENT, ordered_at=now - timedelta(hours=1))
    other_shop = make_shop(shop.team)
    make_order(other_shop, make_buyer(other_shop, nick="老顾客"), ordered_at=now)
    conversation = make_conversation(shop, now=now, buyer=buyer)
    vip = Tag.objects.create(team=shop.team, name="VIP", created_at=now)
    big = Tag.objects.create(team=shop.team, name="大码", created_at=now)
    for tag, kind, target in (
        (vip, TagTarget.BUYER, buyer.pk),
        (big, TagTarget.CONVERSATION, conversation.pk),
    ):
        TagLink.objects.create(
            tag=tag, shop=shop, target_type=kind, target_id=target, created_at=now
        )
    (row,) = rows(agent, now)
    assert row.order_state == OrderState.WAITING_PAYMENT
    assert [t.name for t in row.queue_tags] == ["VIP", "大码"]


def test_a_buyer_on_the_platform_in_two_shops_is_one_entry_with_a_badge_per_shop(shop, now):
    second = make_shop(shop.team, name="B店")
    agent = make_user(shop, Role.PRE_SALE)
    agent.memberships.create(shop=second, role=Role.PRE_SALE)
    for s in (shop, second):
        buyer_message_receive(
            channel=make_channel(s, ChannelKind.BRIDGE),
            buyer_nick="同一个人",
            text="在吗",
            now=now,
        )
    (entry,) = queue_page(agent, QueueView.ALL, now=now).entries
    assert {c.shop.name for c in entry.shops} == {"A店", "B店"}


def test_the_same_nick_typed_on_web_chat_is_not_taken_for_the_same_buyer(shop, now):
    second = make_shop(shop.team, name="B店")
    agent = make_user(shop, Role.PRE_SALE)
    agent.memberships.create(shop=second, role=Role.PRE_SALE)
    buyer_message_receive(
        channel=make_channel(shop, ChannelKind.BRIDGE), buyer_nick="同一个人", text="在吗", now=now
    )
    buyer_message_receive(channel=make_channel(second), buyer_nick="同一个人", text="在吗", now=now)
    entries = queue_page(agent, QueueView.ALL, now=now).entries
    assert len(entries) == 2 and not any(e.elsewhere for e in entries)


def test_the_agents_load_counts_every_shop_against_the_lowest_limit(shop, agent, now):
    second = make_shop(shop.team, chat_limit_per_agent=3)
    agent.memberships.create(shop=second, role=Role.PRE_SALE)
    for s in (shop, second):
        conversation_claim(actor=agent, conversation=make_conversation(s, now=now), now=now)
    page = queue_page(agent, QueueView.MINE, now=now)
    assert (page.load, page.limit, page.full) == (2, 3, False)


def test_the_pane_shows_the_load_and_why_a_full_agent_cannot_claim(shop, agent, login, now):
    shop.chat_limit_per_agent = 1
    shop.save()
    conversation_claim(actor=agent, conversation=make_conversation(shop, now=now), now=now)
    waiting = make_conversation(shop, now=now)
    page = login(agent).get(f"/chats/{waiting.pk}/").content.decode()
    assert 'data-testid="load"' in page and "接待 1/1" in page
    assert 'data-testid="claim" disabled' in page
    # It says what to do: 挂起 (else the freed place is refilled at once), close or
    # transfer one, or ask a supervisor to assign it.
    assert "你正在接待 1/1 个会话，已到上限" in page
    assert "挂起" in page and "结束或转接一个会话" in page and "请主管把这个会话分配给你" in page


def test_an_agent_with_room_gets_an_enabled_claim_button(shop, agent, login, now):
    waiting = make_conversation(shop, now=now)
    page = login(agent).get(f"/chats/{waiting.pk}/").content.decode()
    assert 'data-testid="claim">' in page and "claim-blocked" not in page


def test_agent_groups_of_the_same_name_in_several_shops_show_once(shop, agent, login, now):
    shops = [shop, make_shop(shop.team, name="B店"), make_shop(shop.team, name="C店")]
    for s in shops:
        group = AgentGroup.objects.create(shop=s, name="大码专席", created_at=now)
        group.members.add(agent)
    (tab,) = agent_group_tabs(agent)
    assert tab[0] == "大码专席" and len(tab[1]) == 3
    page = login(agent).get("/chats/").content.decode()
    assert page.count("<summary>大码专席</summary>") == 1


def test_closed_conversations_leave_the_queue(shop, agent, now):
    make_conversation(shop, now=now, state=ConversationState.CLOSED)
    assert rows(agent, now) == []
