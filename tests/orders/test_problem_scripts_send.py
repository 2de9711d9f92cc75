"""A problem order's scripts reach the buyer: sent into the buyer's conversation (through
the outbox on a bridged channel), after the etiquette check; every script passes it."""

import pytest

from accounts.roles import Role
from chats.models import ChannelKind, Message, OutboxMessage, Sender
from chats.services.problem_scripts import problem_send_script
from orders.models import ProblemCategory
from orders.problem_scripts import SCRIPTS
from scripts_lib import etiquette
from tests.chats.factories import make_channel, make_conversation
from tests.factories import make_buyer, make_order, make_user

from .factories import make_problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(shop):
    return make_user(shop, Role.IN_SALE, work_number="2048")


def _problem(shop, now, category=ProblemCategory.ADDRESS_UNCLEAR):
    buyer = make_buyer(shop, nick="小雨点")
    order = make_order(shop, buyer, address="浙江省 杭州市")
    return make_problem(shop, now, category=category, order=order)


@pytest.mark.parametrize("category", list(SCRIPTS))
def test_every_problem_script_passes_the_etiquette_check(shop, now, agent, category):
    from orders.problem_scripts import scripts_for

    problem = _problem(shop, now, category=category)
    for script in scripts_for(problem, agent):
        findings = etiquette.check(script["text"], buyer=problem.order.buyer, order=problem.order)
        assert findings == [], (script["key"], findings)


def test_a_script_goes_into_the_buyers_bridged_conversation_through_the_outbox(shop, now, agent):
    problem = _problem(shop, now)
    channel = make_channel(shop, ChannelKind.BRIDGE)
    conversation = make_conversation(
        shop, now=now, channel=channel, buyer=problem.order.buyer, state="closed"
    )
    problem_send_script(actor=agent, problem=problem, key="ask_detail", now=now)
    sent = Message.objects.get(conversation=conversation, sender=Sender.AGENT)
    assert problem.order.order_id in sent.text and sent.author == agent
    assert OutboxMessage.objects.get().text == sent.text
    problem.refresh_from_db()
    assert problem.assignee == agent and problem.detail["steps"][-1]["step"] == "script_sent"


def test_an_unknown_script_or_a_foreign_agent_sends_nothing(shop, other_shop, now, agent):
    from django.core.exceptions import PermissionDenied

    from orders.errors import ProblemError

    problem = _problem(shop, now)
    with pytest.raises(ProblemError):
        problem_send_script(actor=agent, problem=problem, key="nope", now=now)
    stranger = make_user(other_shop, Role.IN_SALE)
    with pytest.raises(PermissionDenied):
        problem_send_script(actor=stranger, problem=problem, key="ask_detail", now=now)
    assert not OutboxMessage.objects.exists() and not Message.objects.exists()


def test_the_problem_pane_sends_a_script_and_links_the_buyers_conversation(shop, now, agent, login):
    problem = _problem(shop, now)
    conversation = make_conversation(
        shop, now=now, channel=make_channel(shop), buyer=problem.order.buyer
    )
    client = login(agent)
    pane = client.get(f"/orders/problems/{problem.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert f"/chats/{conversation.pk}/" in pane and 'data-testid="send-script-ask_detail"' in pane
    response = client.post(
        f"/orders/problems/{problem.pk}/send-script/",
        {"script": "ask_detail"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert Message.objects.filter(conversation=conversation, sender=Sender.AGENT).count() == 1
