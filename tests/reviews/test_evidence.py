import csv
import io
import zipfile

import pytest
from django.db import connection, transaction
from django.db.utils import InternalError

from accounts.roles import Role
from chats.models import ChannelKind, Conversation
from reviews.errors import EvidenceImmutableError, ReviewError
from reviews.models import EvidenceMessage
from reviews.services import evidence_pack, evidence_select, review_mark_extortion
from tests.chats.factories import make_channel
from tests.factories import at, make_buyer

from .factories import make_conversation, make_message, make_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(shop, staff, now):
    """An extortion case with the buyer's messages in two conversations, an agent's reply
    and another buyer's message in the same shop."""
    buyer = make_buyer(shop, nick="tb8837261_11")
    review = make_review(shop, buyer=buyer, text="<script>alert('x')</script>差评！")
    first = make_conversation(shop, buyer, when=at(2026, 11, 20, 9, 0))
    second = make_conversation(shop, buyer, when=at(2026, 11, 21, 9, 0))
    m1 = make_message(first, "不给我退款我就给差评", when=at(2026, 11, 20, 9, 1))
    make_message(first, "非常抱歉，我们先核实一下", when=at(2026, 11, 20, 9, 2), sender="agent")
    m2 = make_message(second, "退<b>50</b>元，不然差评", when=at(2026, 11, 21, 9, 3))
    m3 = make_message(second, "我说到做到", when=at(2026, 11, 21, 9, 4))
    other = make_conversation(shop, make_buyer(shop), when=at(2026, 11, 21, 9, 0))
    foreign = make_message(other, "别人的消息", when=at(2026, 11, 21, 9, 5))
    review = review_mark_extortion(
        actor=staff[Role.REVIEW_SPECIALIST], review=review, note="要求退款否则差评", now=now
    )
    return {"review": review, "buyer_messages": [m1, m2, m3], "foreign": foreign}


def test_selected_messages_are_copied_with_their_times(case, staff, now):
    m1, m2, _ = case["buyer_messages"]
    copies = evidence_select(
        actor=staff[Role.REVIEW_SPECIALIST],
        review=case["review"],
        message_ids=[m2.pk, m1.pk],
        now=now,
    )
    assert len(copies) == 2
    kept = list(case["review"].evidence.values_list("text", "sent_at", "buyer_nick"))
    assert kept == [(m1.text, m1.sent_at, "tb8837261_11"), (m2.text, m2.sent_at, "tb8837261_11")]
    m1.text = "改过的消息"
    m1.save()
    assert case["review"].evidence.first().text == "不给我退款我就给差评"


def test_selecting_again_does_not_copy_twice(case, staff, now):
    m1 = case["buyer_messages"][0]
    specialist = staff[Role.REVIEW_SPECIALIST]
    evidence_select(actor=specialist, review=case["review"], message_ids=[m1.pk], now=now)
    assert (
        evidence_select(actor=specialist, review=case["review"], message_ids=[m1.pk], now=now) == []
    )
    assert case["review"].evidence.count() == 1


@pytest.mark.parametrize("which", ["foreign", "agent"])
def test_only_the_buyers_own_messages_are_evidence(case, staff, now, which):
    from chats.models import Message

    target = case["foreign"] if which == "foreign" else Message.objects.get(sender="agent")
    with pytest.raises(ReviewError, match="自己发送"):
        evidence_select(
            actor=staff[Role.REVIEW_SPECIALIST],
            review=case["review"],
            message_ids=[case["buyer_messages"][0].pk, target.pk],
            now=now,
        )
    assert not EvidenceMessage.objects.exists()


def test_evidence_needs_an_extortion_mark(shop, staff, now):
    with pytest.raises(ReviewError, match="标记"):
        evidence_select(
            actor=staff[Role.REVIEW_SPECIALIST], review=make_review(shop), message_ids=[1], now=now
        )


def test_evidence_has_no_update_path(case, staff, now):
    m1 = case["buyer_messages"][0]
    evidence_select(
        actor=staff[Role.REVIEW_SPECIALIST], review=case["review"], message_ids=[m1.pk], now=now
    )
    copy = EvidenceMessage.objects.get()
    copy.text = "篡改"
    with pytest.raises(EvidenceImmutableError):
        copy.save()
    with pytest.raises(EvidenceImmutableError):
        EvidenceMessage.objects.filter(pk=copy.pk).update(text="篡改")
    with pytest.raises(EvidenceImmutableError):
        EvidenceMessage.objects.bulk_update([copy], ["text"])
    with (
        pytest.raises(InternalError, match="immutable"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE reviews_evidencemessage SET text = %s WHERE id = %s", ["篡改", copy.pk]
        )
    assert EvidenceMessage.objects.get().text == m1.text


def test_the_identity_mark_cannot_be_raised_afterwards(shop, staff, now):
    """A web-chat copy stays unverified: the database refuses to flip the mark."""
    buyer = make_buyer(shop, nick="tb8837261_11")
    review = make_review(shop, buyer=buyer)
    review = review_mark_extortion(
        actor=staff[Role.REVIEW_SPECIALIST], review=review, note="要求退款否则差评", now=now
    )
    web = make_channel(shop, ChannelKind.WEBCHAT)
    conversation = Conversation.objects.create(
        shop=shop, channel=web, buyer=buyer, created_at=now, last_message_at=now
    )
    message = make_message(conversation, "不退款就差评", when=now)
    evidence_select(
        actor=staff[Role.REVIEW_SPECIALIST], review=review, message_ids=[message.pk], now=now
    )
    copy = EvidenceMessage.objects.get()
    assert not copy.identity_verified and copy.channel_name == web.name
    with (
        pytest.raises(InternalError, match="immutable"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE reviews_evidencemessage SET identity_verified = true WHERE id = %s",
            [copy.pk],
        )


def test_deleting_the_chat_message_keeps_the_copy(case, staff, now):
    m1 = case["buyer_messages"][0]
    evidence_select(
        actor=staff[Role.REVIEW_SPECIALIST], review=case["review"], message_ids=[m1.pk], now=now
    )
    m1.delete()
    copy = EvidenceMessage.objects.get()
    assert copy.source_message is None and copy.text == "不给我退款我就给差评"


def test_pack_holds_exactly_the_selected_messages_escaped(case, staff, now):
    m1, m2, m3 = case["buyer_messages"]
    specialist = staff[Role.REVIEW_SPECIALIST]
    evidence_select(actor=specialist, review=case["review"], message_ids=[m1.pk, m2.pk], now=now)
    name, data = evidence_pack(actor=specialist, review=case["review"], now=now)
    assert name.endswith(".zip")
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert sorted(archive.namelist()) == ["messages.csv", "messages.txt", "summary.html"]
    rows = list(csv.reader(io.StringIO(archive.read("messages.csv").decode("utf-8-sig"))))
    assert rows[0] == ["发送时间", "买家", "会话编号", "渠道", "身份", "消息内容", "图片"]
    assert [(r[0], r[5]) for r in rows[1:]] == [
        ("2026-11-20 09:01:00", m1.text),
        ("2026-11-21 09:03:00", m2.text),
    ]
    text = archive.read("messages.txt").decode()
    assert m1.text in text and m2.text in text and m3.text not in text
    assert "非常抱歉" not in text and "别人的消息" not in text
    summary = archive.read("summary.html").decode()
    assert "<script>" not in summary and "&lt;script&gt;" in summary
    assert "<b>50</b>" not in summary and "&lt;b&gt;50&lt;/b&gt;" in summary
    assert summary.count("<tr><td>") == 2


def test_no_pack_without_evidence(case, staff, now):
    with pytest.raises(ReviewError, match="证据"):
        evidence_pack(actor=staff[Role.REVIEW_SPECIALIST], review=case["review"], now=now)


def test_pack_holds_the_buyers_photos_as_files(case, staff, now, settings, tmp_path):
    """Issue 22: a photo the buyer sent with an evidence message travels in the pack as a
    file, named in the CSV, the text lines and the summary."""
    from chats.media import chat_image_clean, message_images_store
    from tests.chats.test_media import jpeg_with_gps

    settings.MEDIA_ROOT = tmp_path / "private"
    m1, m2, _ = case["buyer_messages"]
    message_images_store(
        message=m2, images=[chat_image_clean(jpeg_with_gps(), field="image")], now=now
    )
    specialist = staff[Role.REVIEW_SPECIALIST]
    evidence_select(actor=specialist, review=case["review"], message_ids=[m1.pk, m2.pk], now=now)
    _name, data = evidence_pack(actor=specialist, review=case["review"], now=now)
    archive = zipfile.ZipFile(io.BytesIO(data))
    photo = f"images/{m2.conversation_id}-{m2.pk}-1.jpg"
    assert photo in archive.namelist()
    assert archive.read(photo)[:3] == b"\xff\xd8\xff"
    rows = list(csv.reader(io.StringIO(archive.read("messages.csv").decode("utf-8-sig"))))
    assert [r[6] for r in rows[1:]] == ["", photo]
    assert photo in archive.read("messages.txt").decode()
    assert f'src="{photo}"' in archive.read("summary.html").decode()
