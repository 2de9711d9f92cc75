"""The composer: scripts by shortcut or search with placeholders filled, the etiquette
check as the agent types and before sending, findings kept for QA."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from chats.models import Message, Sender
from scripts_lib.models import ReplyScript
from tests.factories import make_buyer, make_order, make_user

from .factories import make_conversation

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(shop):
    return make_user(shop, Role.PRE_SALE, work_number="1066")


@pytest.fixture
def conversation(shop, agent, now):
    buyer = make_buyer(shop, "糖糖不吃糖")
    make_order(shop, buyer, state="waiting_payment", total_amount=Decimal("268.00"))
    return make_conversation(shop, now=now, buyer=buyer, assignee=agent, state="active")


def test_slash_code_inserts_the_script_filled_in(login, shop, agent, conversation, now):
    ReplyScript.objects.create(
        team=shop.team,
        category="payment",
        title="催付提醒",
        code="cf",
        created_at=now,
        updated_at=now,
        body="{buyer_nick}，您的订单金额 {order_amount} 元，{cutoff_time} 前付款当天发出，工号{work_number}",
    )
    response = login(agent).get(reverse("chats:scripts", args=[conversation.pk]) + "?q=/cf")
    body = response.content.decode()
    assert "糖糖不吃糖，您的订单金额 268.00 元，17:00 前付款当天发出，工号1066" in body
    script = ReplyScript.objects.get(code="cf")
    assert reverse("scripts_lib:use", args=[script.pk]) in body


def test_the_draft_check_marks_problems_as_the_agent_types(login, agent, conversation):
    response = login(agent).post(
        reverse("chats:check", args=[conversation.pk]), {"text": "我不知道"}
    )
    assert response.status_code == 200 and "findings" in response.content.decode()


def test_send_with_findings_asks_first_then_keeps_them_for_qa(login, agent, conversation):
    client = login(agent)
    url = reverse("chats:reply", args=[conversation.pk])
    asked = client.post(url, {"text": "我不知道"}, HTTP_HX_REQUEST="true")
    assert asked.headers["HX-Retarget"] == "#draft-findings"
    assert not Message.objects.filter(sender=Sender.AGENT).exists()
    sent = client.post(url, {"text": "我不知道", "confirm": "on"}, HTTP_HX_REQUEST="true")
    assert sent.status_code == 204 and "chat-sent" in sent.headers["HX-Trigger"]
    message = Message.objects.get(sender=Sender.AGENT)
    assert message.findings and message.findings[0]["rule"] == "dont_know"


def test_a_clean_reply_is_sent_at_once(login, agent, conversation):
    client = login(agent)
    response = client.post(
        reverse("chats:reply", args=[conversation.pk]),
        {"text": "您好，这款有现货，今天付款今天发出。"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 204
    assert Message.objects.get(sender=Sender.AGENT).findings == []
