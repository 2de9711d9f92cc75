from datetime import time, timedelta

import pytest
from django.core.exceptions import PermissionDenied

from accounts.roles import Role
from audit.models import AuditEvent
from chats.models import AgentPresence, Conversation, PresenceStatus
from chats.services import buyer_message_receive, conversation_assign_auto
from teamwork.errors import RoutingRefused
from teamwork.models import ConversationRoute, RoutingRule
from teamwork.routing import (
    agent_group_save,
    routing_rule_create,
    routing_rule_update,
    which_rule,
)
from teamwork.tags import tag_add, tag_create
from tests.chats.factories import make_channel
from tests.factories import at, make_buyer, make_order, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def boss(staff):
    return staff[Role.SUPERVISOR]


@pytest.fixture
def big_sizes(shop, boss, now):
    agent = make_user(shop, Role.PRE_SALE, display_name="阿胖", work_number="3001")
    return agent, agent_group_save(actor=boss, shop=shop, name="大码专席", members=[agent], now=now)


def rule(shop, boss, group, now, **data):
    data.setdefault("name", "大码")
    return routing_rule_create(actor=boss, shop=shop, data={"group": group, **data}, now=now)


def online(user, now):
    AgentPresence.objects.create(
        user=user, status=PresenceStatus.ONLINE, changed_at=now, last_seen_at=now
    )


def test_first_matching_rule_routes_and_only_its_group_gets_the_chat(shop, boss, big_sizes, now):
    agent, group = big_sizes
    rule(shop, boss, group, now, keywords="大码,胖", examples="有没有大码的")
    other = make_user(shop, Role.PRE_SALE)
    online(other, now)
    message, _created = buyer_message_receive(
        channel=make_channel(shop), buyer_nick="圆圆", text="你好，这款有大码吗", now=now
    )
    route = ConversationRoute.objects.get(conversation_id=message.conversation_id)
    assert route.group == group
    assert conversation_assign_auto(conversation_id=message.conversation_id, now=now) is None
    online(agent, now)
    assert conversation_assign_auto(conversation_id=message.conversation_id, now=now) == agent
    assert AuditEvent.objects.filter(verb="conversation.routed").exists()


def test_no_match_falls_back_to_the_usual_auto_assignment(shop, boss, big_sizes, now):
    _agent, group = big_sizes
    rule(shop, boss, group, now, keywords="大码")
    other = make_user(shop, Role.PRE_SALE)
    online(other, now)
    message, _created = buyer_message_receive(
        channel=make_channel(shop), buyer_nick="瘦瘦", text="什么时候发货", now=now
    )
    assert not ConversationRoute.objects.exists()
    assert conversation_assign_auto(conversation_id=message.conversation_id, now=now) == other


def test_conditions_on_product_buyer_tag_time_weekday_and_channel(shop, boss, big_sizes, now):
    _agent, group = big_sizes
    vip = tag_create(actor=boss, shop=shop, name="VIP", colour="#7a3cff", now=now)
    bridge = make_channel(shop, name="旺旺")
    night = rule(shop, boss, group, now, name="夜间", start_time=time(22), end_time=time(2))
    night.delete()
    r = rule(
        shop,
        boss,
        group,
        now,
        name="VIP周一上午旺旺羽绒服",
        product_terms="羽绒服",
        buyer_tag=vip,
        channel=bridge,
        weekdays=[0],
        start_time=time(9),
        end_time=time(12),
    )
    buyer = make_buyer(shop, nick="老客")
    make_order(shop, buyer=buyer, item_title="轻薄羽绒服女 短款")
    tag_add(actor=boss, target=buyer, tag=vip, now=now)
    message, _ = buyer_message_receive(channel=bridge, buyer_nick="老客", text="在吗", now=now)
    assert ConversationRoute.objects.get(conversation_id=message.conversation_id).rule == r
    # Monday 10:30 matched; Tuesday does not, nor another channel, nor an untagged buyer.
    assert (
        which_rule(
            shop=shop,
            text="羽绒服",
            at=now + timedelta(days=1),
            channel_id=bridge.pk,
            buyer_tag_ids=[vip.pk],
        )
        is None
    )
    assert (
        which_rule(shop=shop, text="羽绒服", at=now, channel_id=None, buyer_tag_ids=[vip.pk])
        is None
    )
    assert which_rule(shop=shop, text="羽绒服", at=now, channel_id=bridge.pk) is None
    assert (
        which_rule(shop=shop, text="羽绒服", at=now, channel_id=bridge.pk, buyer_tag_ids=[vip.pk])
        == r
    )
    assert (
        which_rule(
            shop=shop,
            text="羽绒服",
            at=at(2026, 11, 23, 13, 0),
            channel_id=bridge.pk,
            buyer_tag_ids=[vip.pk],
        )
        is None
    )


def test_examples_are_checked_on_save(shop, boss, big_sizes, now):
    _agent, group = big_sizes
    rule(shop, boss, group, now, name="大码", keywords="大码")
    with pytest.raises(RoutingRefused, match="大码"):
        rule(shop, boss, group, now, name="裤子", keywords="裤", examples="大码的裤子有吗")
    with pytest.raises(RoutingRefused, match="默认自动分配"):
        rule(shop, boss, group, now, name="裤子", keywords="裤", examples="有连衣裙吗")
    assert RoutingRule.objects.count() == 1


def test_agents_cannot_change_rules(shop, staff, big_sizes, now):
    _agent, group = big_sizes
    with pytest.raises(PermissionDenied):
        rule(shop, staff[Role.AFTER_SALE], group, now, keywords="大码")


def test_routing_page_saves_tests_and_reorders(shop, boss, big_sizes, now, login):
    _agent, group = big_sizes
    client = login(boss)
    refused = client.post(
        "/teamwork/routing/rules/",
        {
            "shop": shop.code,
            "name": "退货",
            "keywords": "退货",
            "group": group.pk,
            "priority": 1,
            "examples": "我想换货",
        },
    )
    assert refused.status_code == 400 and "默认自动分配" in refused.content.decode()
    client.post(
        "/teamwork/routing/rules/",
        {
            "shop": shop.code,
            "name": "退货",
            "keywords": "退货",
            "group": group.pk,
            "priority": 1,
            "examples": "我要退货",
        },
    )
    client.post(
        "/teamwork/routing/rules/",
        {
            "shop": shop.code,
            "name": "换货",
            "keywords": "换货",
            "group": group.pk,
            "priority": 2,
        },
    )
    page = client.get("/teamwork/routing/", {"shop": shop.code, "text": "退货怎么寄"})
    assert "由规则「退货」分给「大码专席」" in page.content.decode()
    second = RoutingRule.objects.get(name="换货")
    client.post(f"/teamwork/routing/rules/{second.pk}/", {"op": "up"})
    assert list(RoutingRule.objects.values_list("name", flat=True)) == ["换货", "退货"]
    assert AuditEvent.objects.filter(verb="routing_rule.moved").exists()
    assert login(make_user(shop, Role.PRE_SALE)).get("/teamwork/routing/").status_code == 403


def test_group_queue_lists_the_groups_waiting_chats(shop, boss, big_sizes, now, login):
    agent, group = big_sizes
    rule(shop, boss, group, now, keywords="大码")
    buyer_message_receive(channel=make_channel(shop), buyer_nick="圆圆", text="大码有吗", now=now)
    buyer_message_receive(channel=make_channel(shop), buyer_nick="瘦瘦", text="发货", now=now)
    page = login(agent).get(f"/teamwork/routing/groups/{group.pk}/queue/").content.decode()
    assert "圆圆" in page and "瘦瘦" not in page
    assert Conversation.objects.count() == 2


def test_group_queue_and_rules_page_query_counts_are_fixed(
    shop, boss, big_sizes, now, login, django_assert_num_queries
):
    agent, group = big_sizes
    rule(shop, boss, group, now, keywords="大码")
    channel = make_channel(shop)
    agent_client, boss_client = login(agent), None
    for batch, count in ((1, 2), (2, 12)):
        for n in range(count):
            buyer_message_receive(
                channel=channel, buyer_nick=f"买家{batch}-{n}", text="大码有吗", now=now
            )
            rule(shop, boss, group, now, name=f"规则{batch}-{n}", keywords=f"词{batch}-{n}")
        with django_assert_num_queries(5):
            agent_client.get(f"/teamwork/routing/groups/{group.pk}/queue/")
        boss_client = login(boss)
        with django_assert_num_queries(12):
            boss_client.get("/teamwork/routing/")


def test_a_rule_is_edited_in_place_and_its_examples_are_checked_again(shop, boss, big_sizes, now):
    _agent, group = big_sizes
    first = rule(shop, boss, group, now, name="大码", keywords="大码")
    second = rule(shop, boss, group, now, name="裤子", keywords="裤")
    data = {"group": group, "name": "裤装", "keywords": "裤,短裤", "examples": "短裤有吗"}
    routing_rule_update(actor=boss, rule=second, data=data, now=now)
    second.refresh_from_db()
    assert (second.name, second.keywords, second.position) == ("裤装", ["裤", "短裤"], 2)
    event = AuditEvent.objects.get(verb="routing_rule.updated")
    assert event.changes["name"] == ["裤子", "裤装"]
    assert event.changes["keywords"] == [["裤"], ["裤", "短裤"]]
    with pytest.raises(RoutingRefused, match="大码"):
        routing_rule_update(actor=boss, rule=second, data={**data, "examples": "大码短裤"}, now=now)
    second.refresh_from_db()
    assert second.examples == "短裤有吗"
    with pytest.raises(PermissionDenied):
        routing_rule_update(actor=make_user(shop, Role.PRE_SALE), rule=first, data=data, now=now)


def test_rule_and_group_edit_pages(shop, other_shop, boss, big_sizes, now, login):
    agent, group = big_sizes
    the_rule = rule(shop, boss, group, now, name="大码", keywords="大码")
    client = login(boss)
    page = client.get(f"/teamwork/routing/rules/{the_rule.pk}/edit/").content.decode()
    assert 'value="大码"' in page
    saved = client.post(
        f"/teamwork/routing/rules/{the_rule.pk}/edit/",
        {"name": "加大码", "keywords": "大码,加大", "group": group.pk, "priority": 1},
    )
    assert saved.status_code == 302
    the_rule.refresh_from_db()
    assert (the_rule.name, the_rule.priority) == ("加大码", 1)
    newcomer = make_user(shop, Role.PRE_SALE, display_name="小新", work_number="3002")
    client.post(
        f"/teamwork/routing/groups/{group.pk}/edit/",
        {"name": "大码专席", "members": [agent.pk, newcomer.pk]},
    )
    assert set(group.members.all()) == {agent, newcomer}
    event = AuditEvent.objects.get(verb="agent_group.updated")
    assert event.changes == {"members": [[agent.label], [agent.label, newcomer.label]]}
    stranger = make_user(other_shop, Role.PRE_SALE)
    refused = client.post(
        f"/teamwork/routing/groups/{group.pk}/edit/",
        {"name": "大码专席", "members": [stranger.pk]},
    )
    assert refused.status_code == 400
    assert set(group.members.all()) == {agent, newcomer}
    foreign_boss = make_user(other_shop, Role.SUPERVISOR)
    assert login(foreign_boss).get(f"/teamwork/routing/rules/{the_rule.pk}/edit/").status_code in (
        403,
        404,
    )
