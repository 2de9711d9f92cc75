"""A visitor of the web chat page who types a real buyer's nick is attached to that
buyer's file; their messages are offered as evidence, but marked unverified in the picker
and set apart in the pack, which calls only the platform channel's messages the buyer's
own words."""

import csv
import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from chats.models import ChannelKind, Message
from reviews.services import evidence_select, review_mark_extortion
from tests.chats.factories import make_channel
from tests.factories import at, make_buyer

from .factories import make_conversation, make_message, make_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(shop, staff, now):
    buyer = make_buyer(shop, nick="tb8837261_11")
    make_channel(shop, ChannelKind.BRIDGE, name="旺旺")
    make_channel(shop, ChannelKind.WEBCHAT, name="店铺网页聊天")
    platform = make_conversation(shop, buyer, when=at(2026, 11, 20, 9, 0))
    own = make_message(platform, "不给我退款我就给差评", when=at(2026, 11, 20, 9, 1))
    # An impostor on the public page types the buyer's nick.
    impostor = Client()
    impostor.post(reverse("buyer_chat:chat", args=[shop.code]), {"nick": "tb8837261_11"})
    impostor.post(reverse("buyer_chat:send", args=[shop.code]), {"text": "再不退50元就投诉到平台"})
    forged = Message.objects.get(text="再不退50元就投诉到平台")
    assert forged.conversation.buyer == buyer  # attached to the real buyer's file
    review = review_mark_extortion(
        actor=staff[Role.REVIEW_SPECIALIST],
        review=make_review(shop, buyer=buyer),
        note="要求退款否则差评",
        now=now,
    )
    return {"review": review, "own": own, "forged": forged}


def test_the_picker_shows_each_messages_channel_and_marks_web_chat_unverified(login, staff, case):
    page = login(staff[Role.REVIEW_SPECIALIST]).get(
        reverse("reviews:detail", args=[case["review"].pk])
    )
    html = page.content.decode()
    assert "旺旺" in html and "店铺网页聊天" in html
    assert f'data-testid="unverified-{case["forged"].pk}"' in html
    assert f'data-testid="unverified-{case["own"].pk}"' not in html


def test_the_pack_calls_only_platform_messages_the_buyers_own(staff, case, now):
    from reviews.services import evidence_pack

    specialist = staff[Role.REVIEW_SPECIALIST]
    review = case["review"]
    evidence_select(
        actor=specialist,
        review=review,
        message_ids=[case["own"].pk, case["forged"].pk],
        now=now,
    )
    _name, data = evidence_pack(actor=specialist, review=review, now=now)
    archive = zipfile.ZipFile(io.BytesIO(data))

    summary = archive.read("summary.html").decode()
    own_part, _, unverified_part = summary.partition("未经身份验证的消息")
    assert case["own"].text in own_part and case["forged"].text not in own_part
    assert case["forged"].text in unverified_part and "无法证明是该买家本人" in unverified_part

    rows = list(csv.reader(io.StringIO(archive.read("messages.csv").decode("utf-8-sig"))))
    identity = {row[5]: (row[3], row[4]) for row in rows[1:]}
    assert identity[case["own"].text] == ("旺旺", "已验证（平台消息）")
    assert identity[case["forged"].text][0] == "店铺网页聊天"
    assert identity[case["forged"].text][1].startswith("未验证")

    lines = archive.read("messages.txt").decode().splitlines()
    forged_line = next(line for line in lines if case["forged"].text in line)
    assert "未验证" in forged_line
