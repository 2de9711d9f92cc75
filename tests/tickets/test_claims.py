"""Damage and shortage claims: the complaint script admits nothing, whether the buyer signed
for the parcel intact is on record, and any payout waits for a supervisor."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from approvals.models import ApprovalRequest
from approvals.services import approval_decide
from audit.models import AuditEvent
from tests.tickets.factories import image_upload, make_ticket
from tickets.complaint import STEPS
from tickets.errors import PolicyRefused
from tickets.photos import photo_add
from tickets.services import ticket_act
from tickets.states import Action, TicketState, TicketType

pytestmark = pytest.mark.django_db


def test_complaint_position_admits_neither_fault_nor_cost():
    [step] = [step for step in STEPS if step.code == "state_position"]
    text = str(step.script)
    for admission in ("责任在", "疏漏", "由我们承担", "不用多花", "我们的错"):
        assert admission not in text
    assert "照片" in text and "签收" in text


def claim(shop, agent, now, **fields):
    ticket = make_ticket(shop, TicketType.DAMAGED, now, actor=agent, **fields)
    photo_add(actor=agent, ticket=ticket, upload=image_upload(), now=now)
    return ticket_act(actor=agent, ticket=ticket, action=Action.APPROVE, now=now)


def test_payout_needs_the_signed_intact_fact_first(shop, agent, now):
    ticket = claim(shop, agent, now)
    with pytest.raises(PolicyRefused) as refused:
        ticket_act(actor=agent, ticket=ticket, action=Action.COMPENSATE, amount="5", now=now)
    assert refused.value.rule == "signed_intact_required"


@pytest.mark.parametrize("ticket_type", [TicketType.DAMAGED, TicketType.MISSING_ITEM])
def test_even_a_small_claim_payout_waits_for_a_supervisor(
    shop, agent, supervisor, now, ticket_type
):
    ticket = make_ticket(shop, ticket_type, now, actor=agent, signed_intact=True)
    photo_add(actor=agent, ticket=ticket, upload=image_upload(), now=now)
    ticket = ticket_act(actor=agent, ticket=ticket, action=Action.APPROVE, now=now)
    ticket = ticket_act(actor=agent, ticket=ticket, action=Action.REFUND, amount="1", now=now)
    assert ticket.state == TicketState.AWAITING_APPROVAL
    assert ticket.refund_amount == Decimal("0")
    request = ApprovalRequest.objects.get()
    assert "签收时外包装完好" in request.reason
    approval_decide(actor=supervisor, request=request, approve=True, reason="", now=now)
    ticket.refresh_from_db()
    assert ticket.refund_amount == Decimal("1.00")


def test_agent_records_signed_intact_on_the_ticket_page(login, staff, shop, agent, now):
    ticket = claim(shop, agent, now)
    client = login(agent)
    page = client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()
    assert 'data-testid="signed-intact"' in page and "未记录" in page
    url = reverse("tickets:signed_intact", args=[ticket.pk])
    assert client.post(url, {"signed_intact": "no"}).status_code == 302
    ticket.refresh_from_db()
    assert ticket.signed_intact is False
    assert AuditEvent.objects.filter(verb="ticket.signed_intact_recorded").count() == 1
    refused = login(staff[Role.PRE_SALE]).post(url, {"signed_intact": "yes"})
    assert refused.status_code in (403, 404)
    ticket.refresh_from_db()
    assert ticket.signed_intact is False
