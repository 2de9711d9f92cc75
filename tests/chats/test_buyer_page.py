"""The buyer's web chat page: nick, a signed cookie, only this browser's conversation,
polling for replies, a rate limit."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from chats.models import Conversation, Message
from chats.services import conversation_reply
from chats.throttles import MESSAGES, rate_of

from .factories import make_channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def webchat(shop):
    return make_channel(shop)


def start(client, shop, nick="夏天的风"):
    client.post(reverse("buyer_chat:chat", args=[shop.code]), {"nick": nick})
    return client


def send(client, shop, text):
    return client.post(
        reverse("buyer_chat:send", args=[shop.code]), {"text": text}, HTTP_HX_REQUEST="true"
    )


def test_buyer_gives_a_nick_chats_and_sees_the_reply(client, shop, webchat, staff, now):
    page = client.get(reverse("buyer_chat:chat", args=[shop.code]))
    assert 'name="nick"' in page.content.decode()
    start(client, shop)
    assert send(client, shop, "这条裙子有L码吗？").status_code == 204
    assert send(client, shop, "我165cm").status_code == 204
    conversation = Conversation.objects.get()
    assert conversation.buyer.nick == "夏天的风" and conversation.buyer_message_count == 2
    last_id = Message.objects.order_by("pk").last().pk
    poll = reverse("buyer_chat:messages", args=[shop.code]) + f"?after={last_id}"
    assert client.get(poll).status_code == 204
    conversation_reply(
        actor=staff[Role.PRE_SALE], conversation=conversation, text="有的亲，L码有货", now=now
    )
    response = client.get(poll)
    assert response.status_code == 200 and "L码有货" in response.content.decode()


def test_another_browser_with_the_same_nick_does_not_see_the_conversation(client, shop, webchat):
    start(client, shop)
    send(client, shop, "我的收货地址是杭州市西湖区")
    stranger = start(Client(), shop)
    body = stranger.get(reverse("buyer_chat:chat", args=[shop.code])).content.decode()
    assert "杭州市西湖区" not in body
    send(stranger, shop, "你好")
    assert Conversation.objects.count() == 2


def test_a_forged_cookie_is_ignored(client, shop, webchat):
    client.cookies[f"hd_chat_{shop.pk}"] = '{"nick": "x", "c": 1}'
    page = client.get(reverse("buyer_chat:chat", args=[shop.code]))
    assert 'name="nick"' in page.content.decode()


def test_sending_is_rate_limited(client, shop, webchat):
    start(client, shop, "刷屏的人")
    limit = rate_of(MESSAGES)[0]
    codes = [send(client, shop, f"第{i}条").status_code for i in range(limit + 2)]
    assert codes[:limit] == [204] * limit and codes[-1] == 429
    assert Message.objects.count() == limit


def test_internal_notes_never_reach_the_buyer(client, shop, webchat, staff, now):
    from chats.models import Queue
    from chats.services import conversation_claim, conversation_transfer

    start(client, shop)
    send(client, shop, "衣服破了")
    conversation = Conversation.objects.get()
    agent = staff[Role.PRE_SALE]
    conversation_claim(actor=agent, conversation=conversation, now=now)
    conversation_transfer(
        actor=agent,
        conversation=conversation,
        now=now,
        reason="破损",
        wants="换新",
        todo="核对照片",
        to_queue=Queue.AFTER_SALE,
    )
    body = client.get(reverse("buyer_chat:chat", args=[shop.code])).content.decode()
    assert "衣服破了" in body and "核对照片" not in body


def test_unknown_shop_or_shop_without_web_chat_is_404(client, shop):
    assert client.get("/c/no-such-shop/").status_code == 404
    assert client.get(reverse("buyer_chat:chat", args=[shop.code])).status_code == 404


def test_the_survey_is_a_real_link_on_the_buyer_page(client, shop, webchat, staff, now):
    from chats.services import conversation_close

    start(client, shop)
    send(client, shop, "<b>谢谢</b>")
    conversation = Conversation.objects.get()
    conversation_close(
        actor=staff[Role.PRE_SALE], conversation=conversation, outcome="no_sale", now=now
    )
    body = client.get(reverse("buyer_chat:chat", args=[shop.code])).content.decode()
    assert "&lt;b&gt;谢谢" in body
    href = body.split('data-testid="survey-link"')[0].rsplit('href="', 1)[1].split('"')[0]
    assert href.startswith("/c/survey/")
    survey = client.get(href)
    assert survey.status_code == 200
    client.post(href, {"rating": "5"})
    conversation.refresh_from_db()
    assert conversation.csat_rating == 5


def test_the_survey_link_is_kept_absolute_when_a_public_address_is_set(
    client, shop, webchat, staff, now, settings
):
    from chats.services import conversation_close

    settings.HELPDESK_PUBLIC_URL = "https://kefu.example.com"
    start(client, shop)
    send(client, shop, "好的")
    conversation_close(
        actor=staff[Role.PRE_SALE],
        conversation=Conversation.objects.get(),
        outcome="no_sale",
        now=now,
    )
    body = client.get(reverse("buyer_chat:chat", args=[shop.code])).content.decode()
    assert '<a href="https://kefu.example.com/c/survey/' in body
