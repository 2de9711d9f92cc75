"""The public web chat page under a flood: one address typing new nicks, many addresses
at once, and the agents' capacity kept for buyers on the platform's own channels."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from chats.models import ChannelKind, Conversation, PresenceStatus
from chats.services import buyer_message_receive, conversation_assign_auto, presence_set
from chats.throttles import MESSAGES, NEW_PER_ADDRESS, rate_of
from tests.factories import make_user

from .factories import make_channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def webchat(shop):
    return make_channel(shop)


def visitor(shop, nick, **headers):
    """A fresh browser (no cookie) that types ``nick``."""
    client = Client(**headers)
    client.post(reverse("buyer_chat:chat", args=[shop.code]), {"nick": nick})
    return client


def send(client, shop, text="在吗？"):
    return client.post(
        reverse("buyer_chat:send", args=[shop.code]), {"text": text}, HTTP_HX_REQUEST="true"
    )


def test_sixty_nicks_from_one_address_open_only_its_allowance(
    shop, webchat, django_capture_on_commit_callbacks
):
    allowance = rate_of(NEW_PER_ADDRESS)[0]
    with django_capture_on_commit_callbacks() as queued:
        codes = [send(visitor(shop, f"路人{n}"), shop).status_code for n in range(60)]
    assert codes.count(204) == allowance and codes.count(429) == 60 - allowance
    assert Conversation.objects.count() == allowance
    # Only the admitted conversations were routed and greeted (live-update events aside).
    tasks = [c for c in queued if getattr(c, "__module__", None) != "live.events"]
    assert len(tasks) == 2 * allowance


def test_an_admitted_visitor_keeps_chatting_after_the_allowance_is_used(shop, webchat):
    first = visitor(shop, "真买家")
    assert send(first, shop).status_code == 204
    for n in range(rate_of(NEW_PER_ADDRESS)[0]):
        send(visitor(shop, f"路人{n}"), shop)
    assert send(first, shop, "L码有吗").status_code == 204
    assert Conversation.objects.get(buyer__nick="真买家").buyer_message_count == 2


def test_changing_nick_does_not_reset_the_message_limit(shop, webchat):
    client = visitor(shop, "刷屏的人")
    limit = rate_of(MESSAGES)[0]
    codes = [send(client, shop, f"第{i}条").status_code for i in range(limit + 1)]
    assert codes[-1] == 429
    client.post(reverse("buyer_chat:chat", args=[shop.code]), {"nick": "换个名字"})
    assert send(client, shop).status_code == 429


def test_the_shop_takes_in_a_bounded_number_of_new_chats_from_many_addresses(
    shop, webchat, settings
):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**rates, "buyer_chat_shop_new": "10/min"},
    }
    codes = [
        send(visitor(shop, f"路人{n}", REMOTE_ADDR=f"198.51.100.{n}"), shop).status_code
        for n in range(15)
    ]
    assert codes == [204] * 10 + [429] * 5
    assert Conversation.objects.count() == 10


def test_behind_the_proxy_each_client_has_its_own_allowance(shop, webchat, settings):
    settings.HELPDESK_TRUSTED_PROXY_COUNT = 1
    allowance = rate_of(NEW_PER_ADDRESS)[0]
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for n in range(allowance):
        send(visitor(shop, f"甲{n}", HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy), shop)
    flooder = visitor(shop, "甲又来了", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7", **proxy)
    assert send(flooder, shop).status_code == 429
    buyer = visitor(shop, "乙", HTTP_X_FORWARDED_FOR="198.51.100.20", **proxy)
    assert send(buyer, shop).status_code == 204


def test_web_chats_fill_only_half_an_agents_slots_automatically(shop, webchat, now):
    shop.chat_limit_per_agent = 4
    shop.save()
    agent = make_user(shop, Role.PRE_SALE)
    presence_set(actor=agent, status=PresenceStatus.ONLINE, now=now)
    bridge = make_channel(shop, ChannelKind.BRIDGE)

    def arrive(channel, nick):
        message, _created = buyer_message_receive(
            channel=channel, buyer_nick=nick, text="在吗", now=now, browser_conversation_id=0
        )
        return conversation_assign_auto(conversation_id=message.conversation_id, now=now)

    assert [arrive(webchat, f"网页{n}") for n in range(3)] == [agent, agent, None]
    assert arrive(bridge, "旺旺买家") == agent
