"""Product cards and library images out (issue 22): the agent picks a product by search
or an image of the shop's library in the composer; the buyer's web chat renders them, the
outbox carries them to a bridge, the API, the QA transcript show them. Refusals change
nothing."""

import base64
import json

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from catalogue.sending import library_image_send, product_card_send
from catalogue.services import library_image_delete
from chats.cards import product_card_text
from chats.errors import ChatError
from chats.models import ChannelKind, Message, MessageImage, OutboxMessage
from chats.scripting import check_draft
from chats.senders import WebhookSender
from tests.catalogue.factories import make_library_image, make_product
from tests.factories import make_user

from .factories import make_channel, make_conversation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT


def agent_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_composer_finds_a_product_and_sends_it_as_a_card(shop, staff, now):
    conversation = make_conversation(shop, now=now)
    product = make_product(
        shop,
        title="羊毛混纺大衣 驼色",
        price="399.00",
        link="https://item.taobao.com/item.htm?id=9",
    )
    make_product(shop, title="纯棉袜子")
    agent = agent_client(staff[Role.PRE_SALE])
    url = reverse("chats:products", args=[conversation.pk])
    found = agent.get(url, {"q": "大衣"}).content.decode()
    assert "羊毛混纺大衣" in found and "纯棉袜子" not in found
    assert agent.get(url, {"q": ""}).content.decode().strip() == ""
    response = agent.post(
        reverse("chats:product_card", args=[conversation.pk]), {"product": product.pk}
    )
    assert response.status_code == 302
    message = Message.objects.get(card__isnull=False)
    assert message.card == {
        "type": "product",
        "sku_code": product.sku_code,
        "title": "羊毛混纺大衣 驼色",
        "price": "399.00",
        "link": "https://item.taobao.com/item.htm?id=9",
        "image": 0,
    }
    assert message.text == product_card_text(product)
    assert check_draft(message.text, buyer=conversation.buyer) == []
    assert message.images.count() == 1
    conversation.refresh_from_db()
    assert conversation.assignee_id == staff[Role.PRE_SALE].pk

    html = render_to_string(
        "chats/buyer_chat.html#messages",
        {"shop": shop, "chat_messages": [message], "last_id": message.pk},
    )
    image = message.images.get()
    assert 'data-testid="product-card"' in html and "¥399.00" in html
    assert reverse("buyer_chat:image", args=[shop.code, image.pk]) in html
    assert 'href="https://item.taobao.com/item.htm?id=9"' in html
    pane = agent.get(reverse("chats:conversation", args=[conversation.pk])).content.decode()
    assert 'data-testid="product-card"' in pane
    assert reverse("chat-image", args=[image.pk]) in pane


def test_a_product_without_image_or_link_still_goes_as_a_card(shop, staff, now):
    conversation = make_conversation(shop, now=now)
    product = make_product(shop, image=False)
    message = product_card_send(
        actor=staff[Role.PRE_SALE], conversation=conversation, product=product, now=now
    )
    assert message.card["image"] is None and message.card["link"] is None
    assert not message.images.exists()


def test_another_shops_product_or_library_image_is_a_404(shop, other_shop, staff, now):
    conversation = make_conversation(shop, now=now)
    foreign_product = make_product(other_shop)
    foreign_image = make_library_image(other_shop)
    agent = agent_client(staff[Role.PRE_SALE])
    card = agent.post(
        reverse("chats:product_card", args=[conversation.pk]), {"product": foreign_product.pk}
    )
    image = agent.post(
        reverse("chats:library_image", args=[conversation.pk]), {"image": foreign_image.pk}
    )
    junk = agent.post(reverse("chats:library_image", args=[conversation.pk]), {"image": "x"})
    assert (card.status_code, image.status_code, junk.status_code) == (404, 404, 404)
    assert Message.objects.filter(sender="agent").count() == 0
    assert (
        "纯棉"
        not in agent.get(
            reverse("chats:products", args=[conversation.pk]), {"q": "纯棉"}
        ).content.decode()
    )


def test_the_services_refuse_a_product_or_image_of_another_shop(shop, other_shop, staff, now):
    conversation = make_conversation(shop, now=now)
    boss = make_user(other_shop, Role.MANAGER, username="boss_two")
    boss.memberships.create(shop=shop, role=Role.MANAGER)
    with pytest.raises(ChatError):
        product_card_send(
            actor=boss, conversation=conversation, product=make_product(other_shop), now=now
        )
    from chats.errors import InvalidMessage

    with pytest.raises(InvalidMessage):
        library_image_send(
            actor=boss, conversation=conversation, image=make_library_image(other_shop), now=now
        )
    assert not Message.objects.filter(sender="agent").exists()


def test_the_agent_sends_a_library_image_and_it_stays_after_the_library_changes(shop, staff, now):
    conversation = make_conversation(shop, now=now)
    chart = make_library_image(shop, name="尺码表")
    agent = agent_client(staff[Role.PRE_SALE])
    picker = agent.get(reverse("chats:library", args=[conversation.pk])).content.decode()
    assert "尺码表" in picker and reverse("catalogue:image_file", args=[chart.pk]) in picker
    response = agent.post(
        reverse("chats:library_image", args=[conversation.pk]), {"image": chart.pk}
    )
    assert response.status_code == 302
    message = Message.objects.get(sender="agent")
    assert message.text == "" and message.card is None
    sent = message.images.get()
    assert (sent.width, sent.height, sent.content_type) == (chart.width, chart.height, "image/png")
    conversation.refresh_from_db()
    assert conversation.last_message_preview == "[图片]"
    library_image_delete(actor=staff[Role.SUPERVISOR], image=chart, now=now)
    assert agent.get(reverse("chat-image", args=[sent.pk])).status_code == 200
    html = render_to_string(
        "chats/buyer_chat.html#messages",
        {"shop": shop, "chat_messages": [message], "last_id": message.pk},
    )
    assert reverse("buyer_chat:image", args=[shop.code, sent.pk]) in html


def test_a_bridge_gets_the_card_and_the_images_inline_in_the_outbox_json(shop, staff, now):
    bridge = make_channel(shop, ChannelKind.BRIDGE)
    conversation = make_conversation(shop, now=now, channel=bridge)
    agent = staff[Role.PRE_SALE]
    product = make_product(shop, link="https://detail.tmall.com/item.htm?id=3")
    product_card_send(actor=agent, conversation=conversation, product=product, now=now)
    library_image_send(
        actor=agent, conversation=conversation, image=make_library_image(shop), now=now
    )
    card_row, image_row = OutboxMessage.objects.order_by("pk")
    card_body = json.loads(WebhookSender(bridge).payload(card_row))
    assert card_body["card"]["type"] == "product" and card_body["card"]["image"] == 0
    assert card_body["text"] == product_card_text(product)
    [main] = card_body["images"]
    assert main["content_type"] == "image/png" and main["width"] == product.width
    assert base64.b64decode(main["content_base64"])[:8] == b"\x89PNG\r\n\x1a\n"
    image_body = json.loads(WebhookSender(bridge).payload(image_row))
    assert image_body["text"] == "" and image_body["card"] is None
    assert len(image_body["images"]) == 1
    assert image_row.message.images.count() == 1


def test_the_api_and_the_qa_transcript_show_cards_and_images(shop, staff, now):
    conversation = make_conversation(shop, now=now)
    agent = staff[Role.PRE_SALE]
    product_card_send(actor=agent, conversation=conversation, product=make_product(shop), now=now)
    library_image_send(
        actor=agent, conversation=conversation, image=make_library_image(shop), now=now
    )
    api = agent_client(agent).get(reverse("conversation-detail", args=[conversation.pk])).json()
    card_message, image_message = api["messages"][-2:]
    assert card_message["card"]["type"] == "product" and len(card_message["images"]) == 1
    assert image_message["card"] is None and len(image_message["images"]) == 1
    supervisor = agent_client(staff[Role.SUPERVISOR])
    page = supervisor.get(reverse("kpi:conversation", args=[conversation.pk])).content.decode()
    assert 'data-testid="product-card"' in page
    for image in MessageImage.objects.all():
        assert reverse("chat-image", args=[image.pk]) in page


def test_the_pane_runs_the_same_queries_with_images_and_cards(shop, staff, now):
    """The pane's messages come with their images prefetched: more cards and images add
    no query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    conversation = make_conversation(shop, now=now)
    agent = staff[Role.PRE_SALE]
    client = agent_client(agent)
    url = reverse("chats:conversation", args=[conversation.pk])
    product = make_product(shop)
    chart = make_library_image(shop)
    product_card_send(actor=agent, conversation=conversation, product=product, now=now)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(5):
        product_card_send(actor=agent, conversation=conversation, product=product, now=now)
        library_image_send(actor=agent, conversation=conversation, image=chart, now=now)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
