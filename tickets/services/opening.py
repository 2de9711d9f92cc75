"""Opening tickets: by a person from a page or the API, or by the system (the refund import)."""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Shop, User
from accounts.permissions import require
from audit.services import audit
from orders.models import Buyer, Order
from teamwork.events import ticket_event

from .. import policy, sla
from ..errors import TicketError
from ..models import ReturnReason, Ticket, TicketEvent
from ..states import (
    CLAIM_TYPES,
    TicketType,
)
from .common import timeline_event


def buyer_file(*, shop: Shop, nick: str) -> Buyer:
    """The shop's buyer file for ``nick``, opened if this is the buyer's first contact."""
    buyer, _created = Buyer.objects.get_or_create(shop=shop, nick=nick.strip()[:64])
    return buyer


@transaction.atomic
def ticket_create(
    *,
    actor: User | None,
    shop: Shop,
    type: TicketType,
    buyer: Buyer,
    now: datetime,
    order: Order | None = None,
    reason: str = ReturnReason.OTHER,
    description: str = "",
    worn_or_washed: bool = False,
    signed_intact: bool | None = None,
    assignee: User | None = None,
    costs: dict | None = None,
    platform_fields: dict | None = None,
) -> Ticket:
    """Open a ticket. ``actor`` None is the system (the refund import)."""
    if actor is not None:
        require(actor, "tickets.work", shop)
    type = TicketType(type)
    if buyer.shop_id != shop.pk or (order is not None and order.shop_id != shop.pk):
        raise TicketError(_("买家或订单不属于该店铺。"))
    policy.check_order_present(type, order)
    if order is not None and order.buyer_id and order.buyer_id != buyer.pk:
        raise TicketError(_("订单的买家与所选买家不一致。"))
    if assignee is None and actor is not None:
        assignee = actor
    ticket = Ticket(
        shop=shop,
        type=type,
        buyer=buyer,
        order=order,
        reason=ReturnReason(reason),
        description=description,
        worn_or_washed=worn_or_washed,
        signed_intact=signed_intact if type in CLAIM_TYPES else None,
        assignee=assignee,
        created_by=actor,
        created_at=now,
        updated_at=now,
        sla_due_at=sla.due_after(shop, type, now),
        **(costs or {}),
        **(platform_fields or {}),
    )
    ticket.save()
    timeline_event(
        ticket, TicketEvent.Kind.CREATED, actor, now, text=description, to_state=ticket.state
    )
    audit(actor, "ticket.created", ticket, changes={"type": [None, type]}, now=now)
    ticket_event("ticket.created", ticket, now=now)
    return ticket


@transaction.atomic
def ticket_open(
    *, actor: User, shop: Shop, type: TicketType, buyer_nick: str, now: datetime, **fields
) -> Ticket:
    """Open a ticket for a buyer named by nick (their buyer file is opened if new)."""
    require(actor, "tickets.work", shop)
    buyer = buyer_file(shop=shop, nick=buyer_nick)
    return ticket_create(actor=actor, shop=shop, type=type, buyer=buyer, now=now, **fields)
