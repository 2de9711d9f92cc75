"""The queue row's preview of a photo-only message: stored as a marker, shown in the
reader's language (a buyer's photo through the bridge or the web chat, an agent's library
image); a message's own words are shown as they are."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from chats.media import chat_image_clean
from chats.models import Conversation
from chats.previews import IMAGE_PREVIEW
from chats.services import buyer_message_receive
from chats.services.replies import post_message
from tests.factories import make_user

from .factories import make_channel
from .test_media import jpeg_with_gps

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"


def photo():
    return chat_image_clean(jpeg_with_gps((16, 16)), field="image")


def queue_previews(user) -> list[str]:
    client = Client()
    client.force_login(user)
    html = client.get(reverse("chats:queue") + "?view=all").content.decode()
    return re.findall(r'data-testid="preview">([^<]*)<', html)


@pytest.fixture
def readers(shop):
    return {
        "zh-hans": make_user(shop, Role.PRE_SALE, username="kefu_zh"),
        "en": make_user(shop, Role.PRE_SALE, username="kefu_en", language="en"),
    }


def test_a_buyers_photo_reads_as_a_photo_in_each_readers_language(shop, readers, now):
    buyer_message_receive(
        channel=make_channel(shop), buyer_nick="小鹿", text="", images=[photo()], now=now
    )
    assert Conversation.objects.get().last_message_preview == IMAGE_PREVIEW
    assert queue_previews(readers["zh-hans"]) == ["[图片]"]
    assert queue_previews(readers["en"]) == ["[Photo]"]


def test_an_agents_image_reads_in_english_and_words_stay_as_written(shop, readers, now):
    message, _ = buyer_message_receive(
        channel=make_channel(shop), buyer_nick="小鹿", text="这件有 XL 吗？", now=now
    )
    assert queue_previews(readers["en"]) == ["这件有 XL 吗？"]
    post_message(message.conversation, sender="agent", text="", images=[photo()], now=now)
    assert queue_previews(readers["en"]) == ["[Photo]"]
    assert queue_previews(readers["zh-hans"]) == ["[图片]"]


def test_words_sent_with_a_photo_are_the_preview(shop, readers, now):
    buyer_message_receive(
        channel=make_channel(shop), buyer_nick="小鹿", text="颜色不对", images=[photo()], now=now
    )
    assert queue_previews(readers["en"]) == ["颜色不对"]
